/* SPDX-License-Identifier: MIT */
/* The knowledge base's SQL (store/kb.h). */
#include <string.h>

#include "base/sh_buf.h"
#include "store/kb.h"

enum sh_code kb_pair_ids(struct db_tx *tx, struct sh_arena *a, const char *pair,
                         struct db_rows *out, struct sh_err *e)
{
    if (db_tx_dialect(tx) == DB_PG)
        return db_query(tx, a,
                        "SELECT id FROM kb_articles WHERE to_tsvector('simple', search_bi) @@ "
                        "to_tsquery('simple', $1)",
                        DB_P(DB_TEXT(sh_arena_printf(a, "'%s'", pair))), out, e);
    return db_query(tx, a, "SELECT rowid AS id FROM kb_articles_bi WHERE kb_articles_bi MATCH $1",
                    DB_P(DB_TEXT(sh_arena_printf(a, "\"%s\"", pair))), out, e);
}

enum sh_code kb_published_rows(struct db_tx *tx, struct sh_arena *a, const int64_t *ids, int n,
                               struct db_rows *out, struct sh_err *e)
{
    if (n < 1 || n > KB_ROWS_MAX)
        return sh_err_set(e, SH_INVALID, "between 1 and %d ids", KB_ROWS_MAX);
    struct sh_buf b;
    sh_buf_init(&b, 4096);
    struct db_val p[KB_ROWS_MAX];
    enum sh_code rc = sh_buf_adds(&b, "SELECT a.id, a.title, a.symptom, a.model_id, m.name AS "
                                      "model_name, a.fault_category, a.helped_count FROM "
                                      "kb_articles a LEFT JOIN product_models m ON m.id = "
                                      "a.model_id WHERE a.status = 'published' AND a.id IN (");
    for (int i = 0; i < n && !rc; i++) {
        p[i] = DB_INT(ids[i]);
        rc = sh_buf_addf(&b, "%s$%d", i ? ", " : "", i + 1);
    }
    if (!rc)
        rc = sh_buf_adds(&b, ")");
    if (!rc)
        rc = db_query(tx, a, sh_arena_strdup(a, b.buf), p, n, out, e);
    sh_buf_release(&b);
    return rc;
}

enum sh_code kb_link_add(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                         int64_t article_id, int64_t user_id, const char *now, bool *created,
                         int64_t *helped, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, "SELECT id FROM kb_links WHERE ticket_id = $1 AND article_id = $2",
                 DB_P(DB_INT(ticket_id), DB_INT(article_id)), &r, e);
    if (rc)
        return rc;
    *created = r.nrows == 0;
    if (*created &&
        ((rc = db_exec(tx,
                       "INSERT INTO kb_links (ticket_id, article_id, created_by, created_at) "
                       "VALUES ($1, $2, $3, $4)",
                       DB_P(DB_INT(ticket_id), DB_INT(article_id),
                            user_id ? DB_INT(user_id) : DB_NULL, DB_TEXT(now)),
                       NULL, e)) ||
         (rc = db_exec(tx,
                       "UPDATE kb_articles SET helped_count = (SELECT count(*) FROM kb_links "
                       "WHERE article_id = $1) WHERE id = $1",
                       DB_P(DB_INT(article_id)), NULL, e))))
        return rc;
    if ((rc = db_query(tx, a, "SELECT helped_count FROM kb_articles WHERE id = $1",
                       DB_P(DB_INT(article_id)), &r, e)))
        return rc;
    *helped = r.nrows ? db_get_int(&r, 0, "helped_count", 0) : 0;
    return SH_OK;
}

enum sh_code kb_links_of_ticket(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                struct db_rows *out, struct sh_err *e)
{
    return db_query(tx, a,
                    "SELECT a.id, a.title, a.helped_count FROM kb_links l JOIN kb_articles a ON "
                    "a.id = l.article_id WHERE l.ticket_id = $1 ORDER BY l.id LIMIT 100",
                    DB_P(DB_INT(ticket_id)), out, e);
}

/* The non-empty values of column col of r joined by newlines. */
static const char *joined(struct sh_arena *a, const struct db_rows *r, const char *col,
                          const char *col2)
{
    struct sh_buf b;
    sh_buf_init(&b, 1 << 16);
    enum sh_code rc = SH_OK;
    for (int i = 0; i < r->nrows && !rc; i++)
        for (int k = 0; k < 2 && !rc; k++) {
            const char *v = db_get(r, i, k ? col2 : col);
            if (v && *v)
                rc = sh_buf_addf(&b, "%s%s", b.len ? "\n" : "", v);
            if (!col2)
                break;
        }
    const char *s = sh_arena_strdup(a, b.buf && b.len ? b.buf : "");
    sh_buf_release(&b);
    return s;
}

enum sh_code kb_ticket_text(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                            struct kb_ticket_text *out, struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    struct db_rows t, ev, wo;
    enum sh_code rc = db_query(tx, a,
                               "SELECT status, number, description, fault_category, model_id "
                               "FROM tickets WHERE id = $1",
                               DB_P(DB_INT(ticket_id)), &t, e);
    if (rc)
        return rc;
    if (!t.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "no ticket %lld", (long long)ticket_id);
    out->status = db_get(&t, 0, "status");
    out->number = db_get(&t, 0, "number");
    out->description = db_get(&t, 0, "description");
    out->fault_category = db_get(&t, 0, "fault_category");
    out->model_id = db_get_int(&t, 0, "model_id", 0);
    if ((rc = db_query(tx, a,
                       "SELECT body FROM ticket_events WHERE ticket_id = $1 AND kind = 'state' "
                       "AND body <> '' AND (data LIKE '%\"to\":\"resolved\"%' OR data LIKE "
                       "'%\"to\":\"closed\"%') ORDER BY id LIMIT 20",
                       DB_P(DB_INT(ticket_id)), &ev, e)) ||
        (rc = db_query(tx, a,
                       "SELECT findings, work_done, result_note FROM work_orders WHERE "
                       "ticket_id = $1 ORDER BY id LIMIT 20",
                       DB_P(DB_INT(ticket_id)), &wo, e)))
        return rc;
    out->resolution = joined(a, &ev, "body", NULL);
    out->findings = joined(a, &wo, "findings", NULL);
    out->work_done = joined(a, &wo, "work_done", "result_note");
    return SH_OK;
}
