/* SPDX-License-Identifier: MIT */
/* The knowledge base's names and the ranking of suggestions (domain/knowledge.h). */
#include <string.h>

#include "base/bigram.h"
#include "domain/knowledge.h"

const char *const kb_status_names[] = {"draft", "published", "archived", NULL};
const char *const kb_source_names[] = {"ticket", "seminar", "other", NULL};
const char *const improve_kind_names[] = {"customer_need", "product_feedback", NULL};
const char *const improve_status_names[] = {"new", "accepted", "rejected", "done", NULL};

/* Number of UTF-8 characters in s[0..n). */
static int chars(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static bool known(const struct kb_pairs *q, const char *s, size_t n)
{
    for (int i = 0; i < q->n; i++)
        if (strlen(q->p[i]) == n && !memcmp(q->p[i], s, n))
            return true;
    return false;
}

void kb_pairs_of(const char *text, struct kb_pairs *out)
{
    out->n = 0;
    struct sh_buf b;
    sh_buf_init(&b, 1 << 16);
    if (text && sh_bigrams(text, &b) == SH_TOO_BIG)
        b.len = 0; /* cannot happen below the description's 4,000 characters */
    const char *s = b.buf && b.len ? b.buf : "";
    while (*s && out->n < KB_MAX_PAIRS) {
        const char *end = strchr(s, ' ');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        if (n > 0 && n < sizeof(out->p[0]) && chars(s, n) == 2 && !known(out, s, n)) {
            memcpy(out->p[out->n], s, n);
            out->p[out->n][n] = '\0';
            out->n++;
        }
        s += n;
        while (*s == ' ')
            s++;
    }
    sh_buf_release(&b);
}

int kb_min_overlap(const struct kb_pairs *q)
{
    return q->n >= 2 ? 2 : 1;
}

int64_t kb_score(int overlap, bool model_match, int64_t helped)
{
    if (helped < 0)
        helped = 0;
    return (int64_t)overlap * 10 + (model_match ? 30 : 0) + (helped > 20 ? 20 : helped);
}
