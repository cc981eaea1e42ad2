/* SPDX-License-Identifier: MIT */
/* Attachments of a ticket: photos and PDFs, typed by content, stored by hash. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/ticket_attach.h"
#include "base/date.h"
#include "domain/upload_name.h"

#define ATTACH_MAX (20u << 20)

struct attach_ctx {
    struct api_ctx *c;
    int64_t id, att_id;
    struct ticket_blob blob;
};

static enum sh_code attach_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct attach_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_ticket_attach(&u, x->id, &x->blob, &x->att_id, e);
}

enum sh_code ticket_attach(struct api_ctx *c, int64_t ticket_id, const void *data, size_t n,
                           const char *filename, size_t max, struct sh_buf *out, struct sh_err *e)
{
    return ticket_attach_limited(c, ticket_id, data, n, filename, max, 0, out, e);
}

enum sh_code ticket_attach_limited(struct api_ctx *c, int64_t ticket_id, const void *data, size_t n,
                                   const char *filename, size_t max, int limit, struct sh_buf *out,
                                   struct sh_err *e)
{
    struct attach_ctx x = {.c = c, .id = ticket_id};
    enum sh_code rc = ticket_blob_check(c->a, data, n, filename, max, &x.blob, e);
    x.blob.limit = limit;
    if (rc || (rc = ticket_blob_store(c->app->data_dir, &x.blob, e)) ||
        (rc = db_write(c->app->db, attach_run, &x, e)))
        return rc;
    struct jw w;
    jw_init(&w, out);
    jw_obj_begin(&w);
    jw_kint(&w, "id", x.att_id);
    jw_kint(&w, "ticket_id", x.id);
    jw_kstr(&w, "filename", x.blob.filename);
    jw_kstr(&w, "mime", x.blob.mime);
    jw_kint(&w, "size", (int64_t)x.blob.size);
    jw_kstr(&w, "sha256", x.blob.sha);
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

/* Serves a blob of the attachment store named filename (RFC 6266): as a download, or inline
 * when inline_image and its type is one of the images uploads sniff (JPEG, PNG, GIF, WebP).
 * A stored type that is none of the upload types goes out as application/octet-stream. */
static void serve_blob(struct api_ctx *c, const char *sha, const char *mime, const char *filename,
                       bool inline_image)
{
    char rel[200];
    snprintf(rel, sizeof(rel), "attachments/%.2s/%s", sha, sha);
    http_serve_file(c->req, c->app->data_dir, rel);
    if (c->req->status != 200)
        return;
    /* RFC 6266: a plain fallback and the UTF-8 name, cleaned again for rows stored
     * before names were (domain/upload_name.h) */
    const char *ext = upload_ext_of_mime(mime);
    c->req->content_type = sh_arena_strdup(c->a, ext ? mime : "application/octet-stream");
    if (ext)
        filename = upload_name(c->a, filename ? filename : "", ext);
    else if (!filename)
        filename = "attachment";
    char *enc = sh_arena_alloc(c->a, strlen(filename) * 3 + 1), *q = enc;
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
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
    bool in = inline_image && ext && !strncmp(mime, "image/", 6);
    http_add_header(c->req, "Content-Disposition",
                    sh_arena_printf(c->a,
                                    "%s; filename=\"attachment.%s\"; "
                                    "filename*=UTF-8''%s",
                                    in ? "inline" : "attachment", ext ? ext : "bin", enc));
    http_add_header(c->req, "Cache-Control", "private, max-age=3600");
}

void api_serve_blob(struct api_ctx *c, const char *sha, const char *mime, const char *filename)
{
    serve_blob(c, sha, mime, filename, false);
}

void api_serve_photo(struct api_ctx *c, const char *sha, const char *mime, const char *filename)
{
    serve_blob(c, sha, mime, filename, true);
}

void h_attachment_get(struct api_ctx *c)
{
    struct att_get x = {.c = c};
    if (!api_param_id(c, 0, &x.id))
        return;
    if (!api_read_or_reply(c, att_get_run, &x))
        return;
    api_serve_blob(c, db_get(&x.a, 0, "sha256"), db_get(&x.a, 0, "mime"),
                   db_get(&x.a, 0, "filename"));
}
