/* SPDX-License-Identifier: MIT */
/* Attachments of a knowledge article (docs/knowledge.md):
 *   POST   /api/v1/kb-articles/{id}/attachments?filename=   the file as the body
 *   GET    /api/v1/kb-articles/{id}/attachments             the list
 *   GET    /api/v1/kb-articles/{id}/attachments/{att}       the file
 *   DELETE /api/v1/kb-articles/{id}/attachments/{att}
 * Parse, call the use case (app/kb_attach.c), render. */
#include <inttypes.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/kb_attach.h"

struct katt_ctx {
    struct api_ctx *c;
    int64_t id, att;
    struct ticket_blob blob;
    struct db_rows rows;
};

static void att_json(struct jw *w, struct sh_arena *a, const struct db_rows *r, int i)
{
    jw_obj_begin(w);
    jw_kintstr(w, "id", db_get(r, i, "id"));
    jw_kintstr(w, "article_id", db_get(r, i, "article_id"));
    jw_kstr(w, "filename", db_get(r, i, "filename"));
    jw_kstr(w, "mime", db_get(r, i, "mime"));
    jw_kintstr(w, "size", db_get(r, i, "size"));
    jw_kstr(w, "sha256", db_get(r, i, "sha256"));
    jw_kstr(w, "created_at", db_get(r, i, "created_at"));
    if (db_get(r, i, "created_by"))
        jw_kintstr(w, "created_by", db_get(r, i, "created_by"));
    else
        jw_knull(w, "created_by");
    jw_kstr(w, "created_by_name", db_get(r, i, "created_by_name"));
    jw_kstr(w, "url",
            sh_arena_printf(a, "/api/v1/kb-articles/%s/attachments/%s", db_get(r, i, "article_id"),
                            db_get(r, i, "id")));
    jw_obj_end(w);
}

static enum sh_code add_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct katt_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_kb_attach_add(&u, x->id, &x->blob, &x->rows, e);
}

void h_kb_attach_add(struct api_ctx *c)
{
    struct katt_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id))
        return;
    struct sh_err e;
    sh_err_clear(&e);
    if (kb_attach_check(c->a, c->req->body.buf, c->req->body.len, http_query(c->req, "filename"),
                        &x.blob, &e) ||
        ticket_blob_store(c->app->data_dir, &x.blob, &e) || db_write(c->app->db, add_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    att_json(&w, c->a, &x.rows, 0);
    http_add_header(c->req, "Location",
                    sh_arena_printf(c->a, "/api/v1/kb-articles/%" PRId64 "/attachments/%s", x.id,
                                    db_get(&x.rows, 0, "id")));
    api_reply_jw(c, 201, &b, &w);
}

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct katt_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_kb_attachments(&u, x->id, &x->rows, e);
}

static void list_item(struct jw *w, int i, const void *arg)
{
    const struct katt_ctx *x = arg;
    att_json(w, x->c->a, &x->rows, i);
}

void h_kb_attachments(struct api_ctx *c)
{
    struct katt_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, list_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.rows.nrows, .item = list_item, .arg = &x});
}

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct katt_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_kb_attachment_get(&u, x->id, x->att, &x->rows, e);
}

void h_kb_attachment_get(struct api_ctx *c)
{
    struct katt_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_param_id(c, 1, &x.att) ||
        !api_read_or_reply(c, get_run, &x))
        return;
    api_serve_blob(c, db_get(&x.rows, 0, "sha256"), db_get(&x.rows, 0, "mime"),
                   db_get(&x.rows, 0, "filename"));
}

static enum sh_code del_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct katt_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_kb_attachment_delete(&u, x->id, x->att, e);
}

void h_kb_attachment_delete(struct api_ctx *c)
{
    struct katt_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_param_id(c, 1, &x.att) ||
        !api_write_or_reply(c, del_run, &x))
        return;
    api_reply_no_content(c);
}
