/* SPDX-License-Identifier: MIT */
#include "app/ticket_attach.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "app/audit_row.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "base/date.h"
#include "domain/upload_name.h"
#include "store/settings.h"

static const char *sniff(const unsigned char *p, size_t n, const char **ext)
{
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return *ext = "jpg", "image/jpeg";
    if (n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8))
        return *ext = "png", "image/png";
    if (n >= 6 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6)))
        return *ext = "gif", "image/gif";
    if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
        return *ext = "webp", "image/webp";
    if (n >= 5 && !memcmp(p, "%PDF-", 5))
        return *ext = "pdf", "application/pdf";
    return NULL;
}

static bool filename_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 200)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == '/' || *p == '\\' || *p == '"' || *p == 0x7f)
            return false;
    return true;
}

static enum sh_code store_blob(const char *dir, const char *sha, const void *p, size_t n,
                               char *path, size_t pathlen, struct sh_err *e)
{
    char d1[600];
    snprintf(d1, sizeof(d1), "%s/attachments/%.2s", dir, sha);
    char base[600];
    snprintf(base, sizeof(base), "%s/attachments", dir);
    mkdir(dir, 0750);
    mkdir(base, 0750);
    mkdir(d1, 0750);
    snprintf(path, pathlen, "%s/%s", d1, sha);
    struct stat st;
    if (stat(path, &st) == 0 && (size_t)st.st_size == n)
        return SH_OK; /* same content stored before */
    enum sh_code rc = sh_file_write_atomic(path, p, n, e);
    if (rc && rc != SH_UNAVAILABLE)
        return sh_err_set(e, SH_INTERNAL, "cannot store attachment under '%s'", d1);
    return rc;
}

enum sh_code ticket_blob_check(struct sh_arena *a, const void *data, size_t n, const char *filename,
                               size_t max, struct ticket_blob *out, struct sh_err *e)
{
    if (n == 0)
        return sh_err_field(e, SH_INVALID, "file", "send the file as the request body");
    if (n > max)
        return sh_err_field(e, SH_TOO_BIG, "file", "attachments are limited to %zu MB", max >> 20);
    const char *ext;
    out->mime = sniff(data, n, &ext);
    if (!out->mime)
        return sh_err_field(e, SH_INVALID, "file",
                            "only JPEG, PNG, GIF, WebP photos and PDF documents are accepted");
    if (filename && !filename_ok(filename))
        return sh_err_field(e, SH_INVALID, "filename", "'filename' has characters not allowed");
    out->filename = upload_name(a, filename, ext); /* the detected type's extension */
    out->data = data;
    out->size = n;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    char *hex = sh_arena_alloc(a, sizeof(h) * 2 + 1);
    sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
    out->sha = hex;
    return SH_OK;
}

enum sh_code ticket_blob_store(const char *data_dir, const struct ticket_blob *b, struct sh_err *e)
{
    char path[800];
    return store_blob(data_dir, b->sha, b->data, b->size, path, sizeof(path), e);
}

/* Counted inside the write transaction, after taking the ticket's row (PostgreSQL runs
 * READ COMMITTED): parallel uploads cannot all see room for one more. The limit is the public
 * link's: it counts the photos uploaded through it (by nobody signed in), not the staff's
 * attachments (review 69 I2). */
static enum sh_code attach_room(const struct uc *u, int64_t id, int limit, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = tickets_lock(u->tx, id, e);
    if (!rc)
        rc = db_query(u->tx, u->a,
                      "SELECT count(*) AS n FROM attachments WHERE ticket_id = $1 AND "
                      "created_by IS NULL",
                      DB_P(DB_INT(id)), &r, e);
    if (!rc && db_get_int(&r, 0, "n", 0) >= limit)
        rc = sh_err_field(e, SH_UNPROCESSABLE, "file", "at most %d photos per report", limit);
    return rc;
}

/* RULE review 72 #11: a customer or dealer account uploads at most
 * external_attachments_per_ticket files to one ticket and external_upload_bytes_per_day bytes
 * in 24 hours (all its tickets); counted under the ticket's row lock. 409 guard upload_quota
 * {limit, max}. */
static enum sh_code external_quota(const struct uc *u, int64_t id, size_t size, struct sh_err *e)
{
    int64_t per_ticket = 0, per_day = 0;
    struct db_rows r;
    char since[21];
    sh_ts_format(u->now - 86400, since);
    enum sh_code rc =
        settings_int(u->tx, u->a, "external_attachments_per_ticket", 20, &per_ticket, e);
    if (rc ||
        (rc = settings_int(u->tx, u->a, "external_upload_bytes_per_day", 52428800, &per_day, e)) ||
        (rc = tickets_lock(u->tx, id, e)) ||
        (rc = db_query(u->tx, u->a,
                       "SELECT (SELECT count(*) FROM attachments WHERE ticket_id = $1 AND "
                       "created_by = $2) AS n, (SELECT COALESCE(SUM(size), 0) FROM attachments "
                       "WHERE created_by = $2 AND created_at >= $3) AS bytes",
                       DB_P(DB_INT(id), DB_INT(u->who->user_id), DB_TEXT(since)), &r, e)))
        return rc;
    const char *limit = NULL;
    int64_t max = 0;
    if (db_get_int(&r, 0, "n", 0) >= per_ticket)
        limit = "per_ticket", max = per_ticket;
    else if (db_get_int(&r, 0, "bytes", 0) + (int64_t)size > per_day)
        limit = "bytes_per_day", max = per_day;
    if (!limit)
        return SH_OK;
    sh_err_set(e, SH_CONFLICT, "upload quota reached (%s, at most %" PRId64 ")", limit, max);
    return sh_err_reason(e, "guard",
                         "{\"guard\":\"upload_quota\",\"limit\":\"%s\",\"max\":%" PRId64 "}", limit,
                         max);
}

enum sh_code uc_ticket_attach(const struct uc *u, int64_t id, const struct ticket_blob *b,
                              int64_t *attachment_id, struct sh_err *e)
{
    struct ticket_row t;
    enum sh_code rc = uc_ticket_load(u, id, &t, e);
    if (!rc && b->limit)
        rc = attach_room(u, id, b->limit, e);
    if (!rc && principal_external(u->who) && u->who->user_id)
        rc = external_quota(u, id, b->size, e);
    if (rc)
        return rc;
    int64_t ev;
    bool cust = principal_external(u->who) || !u->who->user_id;
    if ((rc = uc_ticket_event(u, id, "attachment", cust ? "customer" : "internal", b->filename,
                              NULL, &ev, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a,
                       "INSERT INTO attachments (ticket_id, event_id, sha256, filename, mime, "
                       "size, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                       "RETURNING id",
                       DB_P(DB_INT(id), DB_INT(ev), DB_TEXT(b->sha), DB_TEXT(b->filename),
                            DB_TEXT(b->mime), DB_INT((int64_t)b->size),
                            u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL, DB_TEXT(now)),
                       &r, e)))
        return rc;
    *attachment_id = db_get_int(&r, 0, "id", 0);
    return uc_audit(u, "ticket", id, "attach", NULL,
                    sh_arena_printf(u->a, "{\"attachment_id\":%" PRId64 ",\"sha256\":\"%s\"}",
                                    *attachment_id, b->sha),
                    e);
}
