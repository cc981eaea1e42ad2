/* SPDX-License-Identifier: MIT */
/* The knowledge base (issue 18 item 4, R-008, R-072; docs/knowledge.md): the statuses and
 * sources of an article, the kinds and statuses of an improvement input, and how the
 * suggestions for a fault description are ranked: the description's character pairs found
 * in an article's pair text, a match of the ticket's model, and the tickets the article
 * helped (how many pairs an article shares is counted from the pair index's posting lists,
 * app/kb.c). Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_KNOWLEDGE_H
#define SH_DOMAIN_KNOWLEDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_err.h"

extern const char *const kb_status_names[];      /* draft published archived */
extern const char *const kb_source_names[];      /* ticket seminar other */
extern const char *const improve_kind_names[];   /* customer_need product_feedback */
extern const char *const improve_status_names[]; /* new accepted rejected done */

/* At most this many distinct pairs of a description take part in a suggestion. */
#define KB_MAX_PAIRS 48

/* The distinct two-character pairs of text (base/bigram.c; single trailing characters are
 * left out: too common to mean anything), at most KB_MAX_PAIRS, each NUL-terminated in
 * pairs[i] (a pair is at most 8 bytes of UTF-8). Returns their count. */
struct kb_pairs {
    int n;
    char p[KB_MAX_PAIRS][9];
};
void kb_pairs_of(const char *text, struct kb_pairs *out);

/* The least overlap an article needs to be suggested: 2 pairs, or 1 when the description
 * has only one. */
int kb_min_overlap(const struct kb_pairs *q);

/* RULE issue 18 item 4: the rank of a suggestion: 10 per shared pair, 30 when the article is
 * about the ticket's model, plus the tickets it helped (at most 20). */
int64_t kb_score(int overlap, bool model_match, int64_t helped);

#endif
