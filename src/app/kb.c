/* SPDX-License-Identifier: MIT */
/* The knowledge base's use cases (app/kb.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/kb.h"
#include "app/ticket_entities.h"
#include "base/date.h"
#include "domain/knowledge.h"
#include "store/kb.h"

/* The per-article count of the description's pairs: an open-addressing table of ids. */
struct tally {
    int64_t *id;
    int *n;
    size_t cap;
};

static bool tally_init(struct tally *t, struct sh_arena *a, size_t postings)
{
    t->cap = 64;
    while (t->cap < postings * 2)
        t->cap <<= 1;
    t->id = sh_arena_alloc(a, t->cap * sizeof *t->id);
    t->n = sh_arena_alloc(a, t->cap * sizeof *t->n);
    if (!t->id || !t->n)
        return false;
    memset(t->id, 0, t->cap * sizeof *t->id);
    memset(t->n, 0, t->cap * sizeof *t->n);
    return true;
}

static void tally_add(struct tally *t, int64_t id)
{
    size_t h = ((uint64_t)id * 0x9E3779B97F4A7C15ull) & (t->cap - 1);
    while (t->id[h] && t->id[h] != id)
        h = (h + 1) & (t->cap - 1);
    t->id[h] = id;
    t->n[h]++;
}

struct cand {
    int64_t id;
    int n;
};

static int by_count(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    if (a->n != b->n)
        return b->n - a->n;
    return a->id > b->id ? -1 : a->id < b->id;
}

static int by_score(const void *x, const void *y)
{
    const struct kb_suggestion *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->id > b->id ? -1 : a->id < b->id;
}

/* text cut to at most max characters (UTF-8). */
static const char *cut_chars(struct sh_arena *a, const char *s, size_t max)
{
    if (!s)
        return "";
    size_t n = 0, i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
            break;
    return s[i] ? sh_arena_printf(a, "%.*s…", (int)i, s) : s;
}

/* The articles sharing at least `least` of the pairs, most shared first, at most
 * KB_ROWS_MAX: each pair's posting list counted per article. */
static enum sh_code candidates(const struct uc *u, const struct kb_pairs *q, int least,
                               struct cand **out, int *n, struct sh_err *e)
{
    struct db_rows lists[KB_MAX_PAIRS];
    size_t postings = 0;
    for (int i = 0; i < q->n; i++) {
        enum sh_code rc = kb_pair_ids(u->tx, u->a, q->p[i], &lists[i], e);
        if (rc)
            return rc;
        postings += (size_t)lists[i].nrows;
    }
    struct tally t;
    if (!tally_init(&t, u->a, postings))
        return sh_err_set(e, SH_TOO_BIG, "out of memory");
    for (int i = 0; i < q->n; i++)
        for (int r = 0; r < lists[i].nrows; r++)
            tally_add(&t, db_get_int(&lists[i], r, "id", 0));
    /* only the KB_ROWS_MAX best are kept: a histogram of the counts (at most one per pair)
     * gives the least count among them, and only the articles at or above it are sorted */
    int hist[KB_MAX_PAIRS + 1] = {0};
    for (size_t h = 0; h < t.cap; h++)
        if (t.id[h] && t.n[h] >= least)
            hist[t.n[h] > KB_MAX_PAIRS ? KB_MAX_PAIRS : t.n[h]]++;
    int floor = least;
    for (int v = KB_MAX_PAIRS, acc = 0; v >= least; v--)
        if ((acc += hist[v]) >= KB_ROWS_MAX) {
            floor = v;
            break;
        }
    struct cand *c = sh_arena_alloc(u->a, (postings + 1) * sizeof *c);
    if (!c)
        return sh_err_set(e, SH_TOO_BIG, "out of memory");
    int k = 0;
    for (size_t h = 0; h < t.cap; h++)
        if (t.id[h] && t.n[h] >= floor)
            c[k++] = (struct cand){t.id[h], t.n[h]};
    qsort(c, (size_t)k, sizeof *c, by_count);
    *out = c;
    *n = k < KB_ROWS_MAX ? k : KB_ROWS_MAX;
    return SH_OK;
}

enum sh_code uc_kb_suggest(const struct uc *u, const struct kb_suggest_in *in,
                           struct kb_suggest_out *out, struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    struct kb_pairs q;
    kb_pairs_of(in->text, &q);
    struct cand *c = NULL;
    int nc = 0;
    enum sh_code rc = q.n ? candidates(u, &q, kb_min_overlap(&q), &c, &nc, e) : SH_OK;
    if (rc || !nc)
        return rc;
    int64_t ids[KB_ROWS_MAX];
    for (int i = 0; i < nc; i++)
        ids[i] = c[i].id;
    struct db_rows r;
    if ((rc = kb_published_rows(u->tx, u->a, ids, nc, &r, e)))
        return rc;
    struct kb_suggestion *all = sh_arena_alloc(u->a, sizeof(*all) * (size_t)(r.nrows + 1));
    if (!all)
        return sh_err_set(e, SH_TOO_BIG, "out of memory");
    for (int i = 0; i < r.nrows; i++) {
        struct kb_suggestion *s = &all[i];
        s->id = db_get_int(&r, i, "id", 0);
        for (int k = 0; k < nc; k++)
            if (c[k].id == s->id)
                s->matched = c[k].n;
        s->model_id = db_get_int(&r, i, "model_id", 0);
        s->helped_count = db_get_int(&r, i, "helped_count", 0);
        s->score =
            kb_score(s->matched, in->model_id && s->model_id == in->model_id, s->helped_count);
        s->title = db_get(&r, i, "title");
        s->symptom = cut_chars(u->a, db_get(&r, i, "symptom"), 80);
        s->model_name = db_get(&r, i, "model_name");
        s->fault_category = db_get(&r, i, "fault_category");
    }
    qsort(all, (size_t)r.nrows, sizeof(*all), by_score);
    out->items = all;
    out->n = r.nrows < in->limit ? r.nrows : in->limit;
    return SH_OK;
}

enum sh_code uc_kb_link(const struct uc *u, int64_t ticket_id, int64_t article_id,
                        struct kb_link_out *out, struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    enum sh_code rc = uc_ent_visible(u, &ent_tickets, ticket_id, e);
    struct db_rows r;
    if (rc || (rc = ent_load(u->tx, u->a, &ent_kb_articles, article_id, &r, e)))
        return rc;
    const char *st = db_get(&r, 0, "status");
    if (!st || strcmp(st, "published")) {
        sh_err_field(e, SH_CONFLICT, "article_id", "only a published article can help a ticket");
        return sh_err_reason_str1(e, "guard", "status", st ? st : "");
    }
    char now[21];
    sh_ts_format(u->now, now);
    return kb_link_add(u->tx, u->a, ticket_id, article_id, u->who ? u->who->user_id : 0, now,
                       &out->created, &out->helped_count, e);
}

enum sh_code uc_kb_links_of(const struct uc *u, int64_t ticket_id, struct db_rows *out,
                            struct sh_err *e)
{
    enum sh_code rc = uc_ent_visible(u, &ent_tickets, ticket_id, e);
    return rc ? rc : kb_links_of_ticket(u->tx, u->a, ticket_id, out, e);
}

static void put(const struct uc *u, struct fval *v, const char *col, const char *text)
{
    int k = ent_colidx(&ent_kb_articles, col);
    if (k < 0 || !text)
        return;
    v[k].present = true;
    v[k].text = text;
    v[k].i = strtoll(text, NULL, 10);
    (void)u;
}

/* The joined texts a, b (either may be empty), cut to the column's 4,000 characters. */
static const char *both(struct sh_arena *a, const char *x, const char *y)
{
    const char *s =
        sh_arena_printf(a, "%s%s%s", x ? x : "", x && *x && y && *y ? "\n" : "", y ? y : "");
    const char *c = cut_chars(a, s, 3990);
    return c;
}

enum sh_code uc_kb_from_ticket(const struct uc *u, int64_t ticket_id, struct ent_written *out,
                               struct sh_err *e)
{
    struct kb_ticket_text t;
    enum sh_code rc = uc_ent_visible(u, &ent_tickets, ticket_id, e);
    if (rc || (rc = kb_ticket_text(u->tx, u->a, ticket_id, &t, e)))
        return rc;
    /* RULE issue 18 item 4: only a solved problem becomes an article */
    if (strcmp(t.status, "resolved") && strcmp(t.status, "closed")) {
        sh_err_field(e, SH_CONFLICT, "ticket_id", "ticket %s is %s, not resolved", t.number,
                     t.status);
        return sh_err_reason_str1(e, "guard", "status", t.status);
    }
    struct fval v[64] = {0};
    const char *desc = t.description && *t.description ? t.description : t.number;
    put(u, v, "title", cut_chars(u->a, desc, 40));
    put(u, v, "symptom", cut_chars(u->a, t.description, 3990));
    if (t.model_id)
        put(u, v, "model_id", sh_arena_printf(u->a, "%" PRId64, t.model_id));
    if (t.fault_category && *t.fault_category)
        put(u, v, "fault_category", t.fault_category);
    put(u, v, "cause", cut_chars(u->a, t.findings, 3990));
    put(u, v, "solution", both(u->a, t.resolution, t.work_done));
    put(u, v, "source", "ticket");
    put(u, v, "source_ticket_id", sh_arena_printf(u->a, "%" PRId64, ticket_id));
    put(u, v, "source_note", t.number);
    put(u, v, "status", "draft");
    return uc_ent_create(u, &ent_kb_articles, v, out, e);
}
