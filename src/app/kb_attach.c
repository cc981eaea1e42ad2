/* SPDX-License-Identifier: MIT */
#include "app/kb_attach.h"

#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/kb.h"
#include "base/date.h"

#define ATT_COLS                                                                                   \
    "SELECT a.id, a.article_id, a.filename, a.mime, a.size, a.sha256, a.created_at, "              \
    "a.created_by, COALESCE(u.display_name, '') AS created_by_name FROM kb_attachments a "         \
    "LEFT JOIN users u ON u.id = a.created_by "

enum sh_code kb_attach_check(struct sh_arena *a, const void *data, size_t n, const char *filename,
                             struct ticket_blob *out, struct sh_err *e)
{
    enum sh_code rc = ticket_blob_check(a, data, n, filename, KB_ATTACH_MAX, out, e);
    if (rc == SH_TOO_BIG)
        return sh_err_reason(e, "too_large", "{\"max\":%u}", KB_ATTACH_MAX);
    if (rc == SH_INVALID && n > 0 && !strcmp(e->field, "file"))
        return sh_err_reason(e, "unsupported_media_type", NULL);
    if (rc == SH_INVALID && n == 0)
        return sh_err_reason(e, "required", NULL);
    if (rc == SH_INVALID)
        return sh_err_reason(e, "invalid_format", NULL);
    return rc;
}

/* Counted after taking the article's row (PostgreSQL runs READ COMMITTED): parallel
 * uploads cannot all see room for one more. */
static enum sh_code attach_room(const struct uc *u, int64_t id, struct sh_err *e)
{
    enum sh_code rc = db_lock_row(u->tx, "kb_articles", id, e);
    struct db_rows r;
    if (!rc)
        rc = db_query(u->tx, u->a, "SELECT count(*) AS n FROM kb_attachments WHERE article_id = $1",
                      DB_P(DB_INT(id)), &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) < KB_ATTACH_LIMIT)
        return rc;
    sh_err_field(e, SH_UNPROCESSABLE, "file", "at most %d attachments per article",
                 KB_ATTACH_LIMIT);
    return sh_err_reason(e, "too_many", "{\"max\":%d}", KB_ATTACH_LIMIT);
}

enum sh_code uc_kb_attach_add(const struct uc *u, int64_t id, const struct ticket_blob *b,
                              struct db_rows *out, struct sh_err *e)
{
    enum sh_code rc = uc_ent_visible(u, &ent_kb_articles, id, e);
    if (rc || (rc = attach_room(u, id, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a,
                       "INSERT INTO kb_attachments (article_id, sha256, filename, mime, size, "
                       "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                       DB_P(DB_INT(id), DB_TEXT(b->sha), DB_TEXT(b->filename), DB_TEXT(b->mime),
                            DB_INT((int64_t)b->size),
                            u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL, DB_TEXT(now)),
                       &r, e)))
        return rc;
    int64_t att = db_get_int(&r, 0, "id", 0);
    if ((rc = uc_audit(u, "kb_article", id, "attach", NULL,
                       sh_arena_printf(u->a, "{\"attachment_id\":%" PRId64 ",\"sha256\":\"%s\"}",
                                       att, b->sha),
                       e)))
        return rc;
    return uc_kb_attachment_get(u, id, att, out, e);
}

enum sh_code uc_kb_attachments(const struct uc *u, int64_t id, struct db_rows *out,
                               struct sh_err *e)
{
    enum sh_code rc = uc_ent_visible(u, &ent_kb_articles, id, e);
    if (rc)
        return rc;
    return db_query(u->tx, u->a, ATT_COLS "WHERE a.article_id = $1 ORDER BY a.id", DB_P(DB_INT(id)),
                    out, e);
}

enum sh_code uc_kb_attachment_get(const struct uc *u, int64_t id, int64_t att_id,
                                  struct db_rows *out, struct sh_err *e)
{
    enum sh_code rc = uc_ent_visible(u, &ent_kb_articles, id, e);
    if (!rc)
        rc = db_query(u->tx, u->a, ATT_COLS "WHERE a.id = $1 AND a.article_id = $2",
                      DB_P(DB_INT(att_id), DB_INT(id)), out, e);
    if (!rc && out->nrows == 0)
        rc = sh_err_set(e, SH_NOT_FOUND, "attachment %" PRId64 " not found", att_id);
    return rc;
}

enum sh_code uc_kb_attachment_delete(const struct uc *u, int64_t id, int64_t att_id,
                                     struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = uc_kb_attachment_get(u, id, att_id, &r, e);
    if (rc || (rc = db_exec(u->tx, "DELETE FROM kb_attachments WHERE id = $1", DB_P(DB_INT(att_id)),
                            NULL, e)))
        return rc;
    return uc_audit(u, "kb_article", id, "detach",
                    sh_arena_printf(u->a, "{\"attachment_id\":%" PRId64 ",\"sha256\":\"%s\"}",
                                    att_id, db_get(&r, 0, "sha256")),
                    NULL, e);
}
