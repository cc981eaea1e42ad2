/* SPDX-License-Identifier: MIT */
/* Attachments of a ticket: photos and PDFs, typed by content, stored by hash. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "base/date.h"
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- attachments: photos and PDFs, typed by content, stored by hash ---- */

#define ATTACH_MAX (20u << 20)

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

struct attach_ctx {
    struct api_ctx *c;
    int64_t id, att_id;
    const char *filename, *mime, *sha;
    size_t size;
};

static enum sh_code attach_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct attach_ctx *x = arg;
    struct api_ctx *c = x->c;
    struct db_rows t, r;
    enum sh_code rc = load_ticket(c, tx, x->id, &t, e);
    if (rc)
        return rc;
    int64_t ev;
    if ((rc = ticket_event(c, tx, x->id, "attachment",
                           api_is_external(c) || !c->who.user_id ? "customer" : "internal",
                           x->filename, NULL, &ev, e)))
        return rc;
    char now[21];
    api_now(now);
    if ((rc =
             db_query(tx, c->a,
                      "INSERT INTO attachments (ticket_id, event_id, sha256, filename, mime, size, "
                      "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "
                      "id",
                      DB_P(DB_INT(x->id), DB_INT(ev), DB_TEXT(x->sha), DB_TEXT(x->filename),
                           DB_TEXT(x->mime), DB_INT((int64_t)x->size),
                           c->who.user_id ? DB_INT(c->who.user_id) : DB_NULL, DB_TEXT(now)),
                      &r, e)))
        return rc;
    x->att_id = db_get_int(&r, 0, "id", 0);
    return audit_write(tx, &c->who, "ticket", x->id, "attach", NULL,
                       sh_arena_printf(c->a, "{\"attachment_id\":%" PRId64 ",\"sha256\":\"%s\"}",
                                       x->att_id, x->sha),
                       e);
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
    char tmp[900];
    snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return sh_err_set(e, SH_INTERNAL, "cannot write attachment under '%s'", d1);
    bool ok = fwrite(p, 1, n, f) == n && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return sh_err_set(e, SH_INTERNAL, "cannot store attachment");
    }
    return SH_OK;
}

enum sh_code ticket_attach(struct api_ctx *c, int64_t ticket_id, const void *data, size_t n,
                           const char *filename, size_t max, struct sh_buf *out, struct sh_err *e)
{
    struct attach_ctx x = {.c = c, .id = ticket_id};
    if (n == 0)
        return sh_err_field(e, SH_INVALID, "file", "send the file as the request body");
    if (n > max)
        return sh_err_field(e, SH_TOO_BIG, "file", "attachments are limited to %zu MB", max >> 20);
    const char *ext;
    x.mime = sniff(data, n, &ext);
    if (!x.mime)
        return sh_err_field(e, SH_INVALID, "file",
                            "only JPEG, PNG, GIF, WebP photos and PDF documents are accepted");
    if (filename && !filename_ok(filename))
        return sh_err_field(e, SH_INVALID, "filename", "'filename' has characters not allowed");
    x.filename = filename ? filename : sh_arena_printf(c->a, "attachment.%s", ext);
    x.size = n;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    char *hex = sh_arena_alloc(c->a, sizeof(h) * 2 + 1);
    sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
    x.sha = hex;
    char path[800];
    /* the blob first: a row never points at a missing file; an orphan blob is harmless */
    enum sh_code rc = store_blob(c->app->data_dir, x.sha, data, n, path, sizeof(path), e);
    if (!rc)
        rc = db_write(c->app->db, attach_run, &x, e);
    if (rc)
        return rc;
    struct jw w;
    jw_init(&w, out);
    jw_obj_begin(&w);
    jw_kint(&w, "id", x.att_id);
    jw_kint(&w, "ticket_id", x.id);
    jw_kstr(&w, "filename", x.filename);
    jw_kstr(&w, "mime", x.mime);
    jw_kint(&w, "size", (int64_t)x.size);
    jw_kstr(&w, "sha256", x.sha);
    jw_kstr(&w, "url", sh_arena_printf(c->a, "/api/v1/attachments/%" PRId64, x.att_id));
    jw_obj_end(&w);
    return jw_finish(&w);
}

void h_ticket_attach(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    struct sh_err e;
    sh_err_clear(&e);
    if (ticket_attach(c, id, c->req->body.buf, c->req->body.len, http_query(c->req, "filename"),
                      ATTACH_MAX, &b, &e))
        api_reply_err(c, &e);
    else
        api_reply_json(c, 201, &b);
    sh_buf_release(&b);
}

struct att_get {
    struct api_ctx *c;
    int64_t id;
    struct db_rows a, t;
};

static enum sh_code att_get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct att_get *x = arg;
    enum sh_code rc = db_query(tx, x->c->a,
                               "SELECT a.ticket_id, a.sha256, a.filename, a.mime, a.size, "
                               "ev.visibility FROM attachments a LEFT JOIN ticket_events ev ON "
                               "ev.id = a.event_id WHERE a.id = $1",
                               DB_P(DB_INT(x->id)), &x->a, e);
    if (rc)
        return rc;
    if (x->a.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "attachment %" PRId64 " not found", x->id);
    if ((rc = load_ticket(x->c, tx, db_get_int(&x->a, 0, "ticket_id", 0), &x->t, e)))
        return rc == SH_NOT_FOUND ? sh_err_set(e, SH_NOT_FOUND, "attachment not found") : rc;
    const char *vis = db_get(&x->a, 0, "visibility");
    if (api_is_external(x->c) && (!vis || strcmp(vis, "customer")))
        return sh_err_set(e, SH_NOT_FOUND, "attachment %" PRId64 " not found", x->id);
    return SH_OK;
}

void h_attachment_get(struct api_ctx *c)
{
    struct att_get x = {.c = c};
    if (!api_param_id(c, 0, &x.id))
        return;
    if (!api_read_or_reply(c, att_get_run, &x))
        return;
    const char *sha = db_get(&x.a, 0, "sha256");
    char rel[200];
    snprintf(rel, sizeof(rel), "attachments/%.2s/%s", sha, sha);
    http_serve_file(c->req, c->app->data_dir, rel);
    if (c->req->status == 200) {
        c->req->content_type = sh_arena_strdup(c->a, db_get(&x.a, 0, "mime"));
        const char *fn = db_get(&x.a, 0, "filename");
        /* RFC 6266: a plain fallback and the UTF-8 name */
        char *enc = sh_arena_alloc(c->a, strlen(fn) * 3 + 1), *q = enc;
        for (const unsigned char *p = (const unsigned char *)fn; *p; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                *p == '.' || *p == '-' || *p == '_')
                *q++ = (char)*p;
            else {
                static const char hex[] = "0123456789ABCDEF";
                *q++ = '%';
                *q++ = hex[*p >> 4];
                *q++ = hex[*p & 15];
            }
        }
        *q = '\0';
        http_add_header(c->req, "Content-Disposition",
                        sh_arena_printf(c->a,
                                        "attachment; filename=\"attachment\"; "
                                        "filename*=UTF-8''%s",
                                        enc));
        http_add_header(c->req, "Cache-Control", "private, max-age=3600");
    }
}
