/* SPDX-License-Identifier: MIT */
/* The knowledge base's routes besides the entity CRUD (docs/knowledge.md):
 *   GET  /api/v1/kb-articles/suggest?text=&model=&limit=   ranked suggestions
 *   POST /api/v1/kb-articles/from-ticket/{id}              a draft from a resolved ticket
 *   GET  /api/v1/tickets/{id}/kb-links                     the articles that helped it
 *   POST /api/v1/tickets/{id}/kb-links {article_id}        "this helped"
 * Parse, call the use case (app/kb.c), render. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/kb.h"

/* ---- suggestions ---- */

struct suggest_ctx {
    struct api_ctx *c;
    struct kb_suggest_in in;
    struct kb_suggest_out out;
};

static enum sh_code suggest_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct suggest_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_kb_suggest(&u, &x->in, &x->out, e);
}

static void suggest_item(struct jw *w, int i, const void *arg)
{
    const struct kb_suggestion *s = &((const struct suggest_ctx *)arg)->out.items[i];
    jw_obj_begin(w);
    jw_kint(w, "id", s->id);
    jw_kstr(w, "title", s->title);
    jw_kstr(w, "symptom", s->symptom);
    if (s->model_id)
        jw_kint(w, "model_id", s->model_id);
    else
        jw_knull(w, "model_id");
    if (s->model_name)
        jw_kstr(w, "model_name", s->model_name);
    else
        jw_knull(w, "model_name");
    jw_kstr(w, "fault_category", s->fault_category ? s->fault_category : "");
    jw_kint(w, "helped_count", s->helped_count);
    jw_kint(w, "matched", s->matched);
    jw_kint(w, "score", s->score);
    jw_obj_end(w);
}

static bool query_num(struct api_ctx *c, const char *name, long lo, long hi, long dflt, long *out)
{
    const char *s = http_query(c->req, name);
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : dflt;
    if (s && (!*s || *end || v < lo || v > hi)) {
        struct sh_err e;
        sh_err_field(&e, SH_INVALID, name, "%s: a whole number from %ld to %ld", name, lo, hi);
        sh_err_reason(&e, "out_of_range", "{\"min\":%ld,\"max\":%ld}", lo, hi);
        api_reply_err(c, &e);
        return false;
    }
    *out = v;
    return true;
}

void h_kb_suggest(struct api_ctx *c)
{
    struct suggest_ctx x = {.c = c};
    long model = 0, limit = 0;
    x.in.text = http_query(c->req, "text");
    if (x.in.text && utf8_len(x.in.text) > 4000) {
        struct sh_err e;
        sh_err_field(&e, SH_INVALID, "text", "text: at most 4000 characters");
        sh_err_reason(&e, "too_long", "{\"max\":4000}");
        api_reply_err(c, &e);
        return;
    }
    if (!query_num(c, "model", 1, INT32_MAX, 0, &model) ||
        !query_num(c, "limit", 1, KB_SUGGEST_MAX, 5, &limit))
        return;
    x.in.model_id = model;
    x.in.limit = (int)limit;
    if (!api_read_or_reply(c, suggest_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.out.n, .item = suggest_item, .arg = &x});
}

/* ---- "this helped" ---- */

static const struct col link_cols[] = {
    {"article_id", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
};

struct link_ctx {
    struct api_ctx *c;
    int64_t ticket_id, article_id;
    struct kb_link_out out;
    struct db_rows rows;
};

static enum sh_code link_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct link_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_kb_link(&u, x->ticket_id, x->article_id, &x->out, e);
    if (rc || !x->out.created)
        return rc;
    return audit_write(tx, &x->c->who, "kb_article", x->article_id, "helped", NULL,
                       sh_arena_printf(x->c->a, "{\"ticket_id\":%" PRId64 "}", x->ticket_id), e);
}

void h_kb_link(struct api_ctx *c)
{
    struct link_ctx x = {.c = c};
    struct fval v[1] = {{0}};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.ticket_id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, link_cols, 1, false, v, NULL,
                         &e) ||
        (x.article_id = v[0].i, db_write(c->app->db, link_run, &x, &e))) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "ticket_id", x.ticket_id);
    jw_kint(&w, "article_id", x.article_id);
    jw_kbool(&w, "created", x.out.created);
    jw_kint(&w, "helped_count", x.out.helped_count);
    jw_obj_end(&w);
    api_reply_jw(c, x.out.created ? 201 : 200, &b, &w);
}

static enum sh_code links_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct link_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_kb_links_of(&u, x->ticket_id, &x->rows, e);
}

static void link_item(struct jw *w, int i, const void *arg)
{
    const struct db_rows *r = &((const struct link_ctx *)arg)->rows;
    jw_obj_begin(w);
    jw_kint(w, "id", db_get_int(r, i, "id", 0));
    jw_kstr(w, "title", db_get(r, i, "title"));
    jw_kint(w, "helped_count", db_get_int(r, i, "helped_count", 0));
    jw_obj_end(w);
}

void h_kb_links(struct api_ctx *c)
{
    struct link_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.ticket_id) || !api_read_or_reply(c, links_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.rows.nrows, .item = link_item, .arg = &x});
}

/* ---- an article from a ticket ---- */

struct from_ctx {
    struct api_ctx *c;
    int64_t ticket_id;
    struct ent_written w;
};

static enum sh_code from_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct from_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_kb_from_ticket(&u, x->ticket_id, &x->w, e);
}

void h_kb_from_ticket(struct api_ctx *c)
{
    struct from_ctx x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    /* no body, or an empty object: every field comes from the ticket */
    if (c->req->body.len &&
        api_parse_object(c->a, c->req->body.buf, c->req->body.len, NULL, 0, true, NULL, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (!api_param_id(c, 0, &x.ticket_id) || !api_write_or_reply(c, from_run, &x))
        return;
    struct sh_buf b;
    sh_buf_init(&b, 1 << 20);
    if (sh_buf_adds(&b, x.w.json ? x.w.json : "{}") == SH_OK) {
        http_add_header(c->req, "ETag",
                        sh_arena_printf(c->a, "\"%s\"", x.w.version ? x.w.version : "1"));
        http_add_header(c->req, "Location",
                        sh_arena_printf(c->a, "/api/v1/kb-articles/%" PRId64, x.w.id));
        api_reply_json(c, 201, &b);
    } else {
        api_reply_error(c, SH_TOO_BIG, NULL, "article too large");
    }
    sh_buf_release(&b);
}
