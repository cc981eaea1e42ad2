/* SPDX-License-Identifier: MIT */
/* The knowledge base's own SQL (docs/knowledge.md): the published articles whose pair text
 * shares a pair with a description, the "this helped" links with the count kept on the
 * article, and the texts of a ticket an article is made from. */
#ifndef SH_STORE_KB_H
#define SH_STORE_KB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "store/db.h"

/* The ids of the articles (any status) whose pair text holds pair: the posting list of one
 * pair in the pair index. Column id. */
SH_WUR enum sh_code kb_pair_ids(struct db_tx *tx, struct sh_arena *a, const char *pair,
                                struct db_rows *out, struct sh_err *e);

/* The published articles among ids[0..n) (n <= KB_ROWS_MAX): columns id, title, symptom,
 * model_id, model_name, fault_category, helped_count. */
#define KB_ROWS_MAX 100
SH_WUR enum sh_code kb_published_rows(struct db_tx *tx, struct sh_arena *a, const int64_t *ids,
                                      int n, struct db_rows *out, struct sh_err *e);

/* Records that article helped ticket (once per pair) and counts it on the article;
 * *created is false when the link existed. *helped gets the article's count. */
SH_WUR enum sh_code kb_link_add(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                int64_t article_id, int64_t user_id, const char *now, bool *created,
                                int64_t *helped, struct sh_err *e);

/* The articles linked to a ticket: columns id, title, helped_count. */
SH_WUR enum sh_code kb_links_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                       struct db_rows *out, struct sh_err *e);

/* The texts a resolved ticket gives an article. */
struct kb_ticket_text {
    const char *status, *number, *description, *fault_category;
    int64_t model_id;
    const char *resolution; /* the notes of the steps to resolved/closed, oldest first */
    const char *findings;   /* the work orders' findings */
    const char *work_done;  /* the work orders' work done and result notes */
};
SH_WUR enum sh_code kb_ticket_text(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                   struct kb_ticket_text *out, struct sh_err *e);

#endif
