/* SPDX-License-Identifier: MIT */
/* Quotes for chargeable work (docs/quotes.md):
 *   GET  /api/v1/tickets/{id}/quotes        the ticket's quotes
 *   POST /api/v1/tickets/{id}/quotes        a draft {work_order_id?, valid_until?, note?, lines}
 *   POST /api/v1/tickets/{id}/charge-told   the charge told without a quote {channel, note}
 *   GET  /api/v1/quotes                     the caller's quotes (a customer: their own)
 *   GET  /api/v1/quotes/{id}                one quote; PUT replaces a draft
 *   GET  /api/v1/quotes/{id}/pdf            the Chinese PDF
 *   POST /api/v1/quotes/{id}/send|link|revise|decision
 * Parse, call the use case (app/quotes.h), render. */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/ifmatch.h"
#include "api/quotes.h"
#include "api/tickets.h"
#include "app/quotes.h"

struct quote_call {
    struct api_ctx *c;
    int64_t id;
    json_t *body;
    struct quote_in in;
    struct quote_decision_in dec;
    struct quote_list_in list;
    struct quote_row q, *rows;
    int n;
    int64_t total;
    struct quote_link link;
    const char *channel, *note;
};

static void reply_quote(struct api_ctx *c, int status, const struct quote_row *q,
                        const struct quote_link *l)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    if (!l) {
        quote_render(&w, q, false);
    } else {
        jw_obj_begin(&w);
        jw_key(&w, "quote");
        quote_render(&w, q, false);
        jw_key(&w, "link");
        if (l->url) {
            jw_obj_begin(&w);
            jw_kstr(&w, "token", l->token);
            jw_kstr(&w, "url", l->url);
            jw_kstr(&w, "expires_at", l->expires_at);
            jw_kstr(&w, "recipient", l->recipient);
            jw_kbool(&w, "sent", l->recipient && *l->recipient);
            jw_obj_end(&w);
        } else {
            jw_null(&w); /* waiting for the approval */
        }
        jw_obj_end(&w);
    }
    api_reply_jw(c, status, &b, &w);
}

static void item(struct jw *w, int i, const void *arg)
{
    const struct quote_call *x = arg;
    quote_render(w, &x->rows[i], false);
}

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct quote_call *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_quote_list(&u, &x->list, &x->rows, &x->n, &x->total, e);
}

static void bad_query(struct api_ctx *c, const char *field, const char *msg)
{
    struct sh_err e;
    sh_err_clear(&e);
    sh_err_field(&e, SH_INVALID, field, "%s", msg);
    (void)sh_err_reason(&e, "invalid_format", NULL);
    api_reply_err(c, &e);
}

static void list(struct api_ctx *c, int64_t ticket)
{
    struct quote_call x = {.c = c, .list = {.ticket_id = ticket, .limit = 100}};
    const char *tk = http_query(c->req, "ticket_id"), *st = http_query(c->req, "status");
    if (tk && !ticket) {
        char *end = NULL;
        x.list.ticket_id = strtoll(tk, &end, 10);
        if (!*tk || *end || x.list.ticket_id <= 0) {
            bad_query(c, "ticket_id", "ticket_id: a positive id");
            return;
        }
    }
    enum quote_status s;
    if (st && !quote_status_parse(st, &s)) {
        bad_query(c, "status", "status: one of the quote statuses");
        return;
    }
    x.list.status = st;
    if (api_read_or_reply(c, list_run, &x))
        api_reply_page(c,
                       &(struct api_page){
                           .n = x.n, .item = item, .arg = &x, .has_total = true, .total = x.total});
}

void h_ticket_quotes(struct api_ctx *c)
{
    int64_t id;
    if (api_param_id(c, 0, &id))
        list(c, id);
}

void h_quotes_list(struct api_ctx *c)
{
    list(c, 0);
}

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct quote_call *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_quote_get(&u, x->id, &x->q, e);
}

void h_quote_get(struct api_ctx *c)
{
    struct quote_call x = {.c = c};
    if (api_param_id(c, 0, &x.id) && api_read_or_reply(c, get_run, &x))
        reply_quote(c, 200, &x.q, NULL);
}

/* Reads the body: only the keys allowed, strings where strings go. */
static enum sh_code parse_body(struct quote_call *x, const char *const *keys, struct sh_err *e)
{
    const struct http_req *r = x->c->req;
    enum sh_code rc = r->body.len ? api_load_object(r->body.buf, r->body.len, &x->body, e) : SH_OK;
    if (rc || !x->body)
        return rc;
    const char *k;
    json_t *v;
    json_object_foreach(x->body, k, v)
    {
        bool ok = false;
        for (int i = 0; keys[i]; i++)
            ok = ok || !strcmp(keys[i], k);
        if (!ok) {
            sh_err_field(e, SH_INVALID, k, "unknown field %s", k);
            return sh_err_reason(e, "unknown_field", NULL);
        }
        if (strcmp(k, "lines") && strcmp(k, "work_order_id") && !json_is_string(v) &&
            !json_is_null(v)) {
            sh_err_field(e, SH_INVALID, k, "%s: a string", k);
            return sh_err_reason(e, "invalid_format", NULL);
        }
    }
    return SH_OK;
}

static const char *sval(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static enum sh_code parse_draft(struct quote_call *x, struct sh_err *e)
{
    static const char *const keys[] = {"work_order_id", "valid_until", "note", "lines", NULL};
    enum sh_code rc = parse_body(x, keys, e);
    if (rc)
        return rc;
    json_t *wo = json_object_get(x->body, "work_order_id");
    if (wo && !json_is_null(wo) && (!json_is_integer(wo) || json_integer_value(wo) <= 0)) {
        sh_err_field(e, SH_INVALID, "work_order_id", "a positive id");
        return sh_err_reason(e, "invalid_format", NULL);
    }
    x->in.work_order_id = json_is_integer(wo) ? json_integer_value(wo) : 0;
    x->in.valid_until = sval(x->body, "valid_until");
    x->in.note = sval(x->body, "note");
    x->in.lines = json_object_get(x->body, "lines");
    if (!x->in.lines) {
        sh_err_field(e, SH_INVALID, "lines", "lines: required (an array, may be empty)");
        return sh_err_reason(e, "required", NULL);
    }
    return SH_OK;
}

static enum sh_code create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct quote_call *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_quote_create(&u, x->id, &x->in, &x->q, e);
}

void h_ticket_quote_create(struct api_ctx *c)
{
    struct quote_call x = {.c = c, .in.if_match = -1};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (parse_draft(&x, &e))
        api_reply_err(c, &e);
    else if (api_write_or_reply(c, create_run, &x))
        reply_quote(c, 201, &x.q, NULL);
    json_decref(x.body);
}

static enum sh_code update_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct quote_call *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_quote_update(&u, x->id, &x->in, &x->q, e);
}

void h_quote_put(struct api_ctx *c)
{
    struct quote_call x = {.c = c, .in.if_match = -1};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (api_if_match(c->req, &x.in.if_match, &e) || parse_draft(&x, &e))
        api_reply_err(c, &e);
    else if (api_write_or_reply(c, update_run, &x))
        reply_quote(c, 200, &x.q, NULL);
    json_decref(x.body);
}

/* send, link, revise: no body (or {}) */
enum q_act { Q_SEND, Q_LINK, Q_REVISE };
struct act_call {
    struct quote_call x;
    enum q_act act;
};

static enum sh_code act_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct act_call *a = arg;
    const struct uc u = ticket_uc(a->x.c, tx);
    switch (a->act) {
    case Q_SEND:
        return uc_quote_send(&u, a->x.id, &a->x.q, &a->x.link, e);
    case Q_LINK:
        return uc_quote_relink(&u, a->x.id, &a->x.q, &a->x.link, e);
    case Q_REVISE:
        break;
    }
    return uc_quote_revise(&u, a->x.id, &a->x.q, e);
}

static void act(struct api_ctx *c, enum q_act which)
{
    static const char *const none[] = {NULL};
    struct act_call a = {.x = {.c = c}, .act = which};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &a.x.id))
        return;
    if (parse_body(&a.x, none, &e))
        api_reply_err(c, &e);
    else if (api_write_or_reply(c, act_run, &a))
        reply_quote(c, which == Q_REVISE ? 201 : 200, &a.x.q, which == Q_REVISE ? NULL : &a.x.link);
    json_decref(a.x.body);
}

void h_quote_send(struct api_ctx *c)
{
    act(c, Q_SEND);
}

void h_quote_link(struct api_ctx *c)
{
    act(c, Q_LINK);
}

void h_quote_revise(struct api_ctx *c)
{
    act(c, Q_REVISE);
}

/* "accept" or "reject" in a body's "decision" */
enum sh_code quote_parse_decision(json_t *body, bool *accept, struct sh_err *e)
{
    const char *d = sval(body, "decision");
    if (!d || (strcmp(d, "accept") && strcmp(d, "reject"))) {
        sh_err_field(e, SH_INVALID, "decision", "decision: accept or reject");
        return sh_err_reason(e, d ? "unknown_value" : "required", NULL);
    }
    *accept = !strcmp(d, "accept");
    return SH_OK;
}

static enum sh_code decide_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct quote_call *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_quote_decide(&u, x->id, &x->dec, &x->q, e);
}

void h_quote_decision(struct api_ctx *c)
{
    static const char *const keys[] = {"decision", "channel", "note", NULL};
    struct quote_call x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (parse_body(&x, keys, &e) || quote_parse_decision(x.body, &x.dec.accept, &e))
        api_reply_err(c, &e);
    else {
        x.dec.channel = sval(x.body, "channel");
        x.dec.note = sval(x.body, "note");
        if (api_write_or_reply(c, decide_run, &x))
            reply_quote(c, 200, &x.q, NULL);
    }
    json_decref(x.body);
}

static enum sh_code told_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct quote_call *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_charge_told_record(&u, x->id, x->channel, x->note, e);
}

void h_ticket_charge_told(struct api_ctx *c)
{
    static const char *const keys[] = {"channel", "note", NULL};
    struct quote_call x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (parse_body(&x, keys, &e))
        api_reply_err(c, &e);
    else {
        x.channel = sval(x.body, "channel");
        x.note = sval(x.body, "note");
        if (api_write_or_reply(c, told_run, &x)) {
            struct sh_buf b = SH_BUF_INIT(64);
            if (sh_buf_adds(&b, "{\"ok\":true}") == SH_OK)
                api_reply_json(c, 201, &b);
            sh_buf_release(&b);
        }
    }
    json_decref(x.body);
}

/* ---- the PDF ---- */

enum sh_code quote_pdf_loaded(const struct uc *u, const struct quote_row *q,
                              struct quote_pdf_call *p, struct sh_err *e)
{
    p->pdf.filename = sh_arena_printf(u->a, "quote-%s.pdf", q->number);
    enum sh_code rc = quote_pdf_load(u, q, &p->qp, e);
    p->pdf.cache_key = p->qp.cache_key;
    return rc;
}

enum sh_code quote_pdf_build(struct api_ctx *c, struct api_pdf *pdf, struct sh_err *e)
{
    (void)e;
    const struct quote_pdf_call *p = (const struct quote_pdf_call *)pdf;
    quote_pdf_doc(c->app, c->a, &p->qp, &pdf->doc);
    return SH_OK;
}

struct pdf_call {
    struct quote_pdf_call p; /* first: api/pdf.h */
    struct quote_call x;
};

static enum sh_code pdf_load(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct pdf_call *p = arg;
    const struct uc u = ticket_uc(p->x.c, tx);
    enum sh_code rc = uc_quote_get(&u, p->x.id, &p->x.q, e);
    return rc ? rc : quote_pdf_loaded(&u, &p->x.q, &p->p, e);
}

void h_quote_pdf(struct api_ctx *c)
{
    static const struct api_pdf_route route = {.load = pdf_load, .build = quote_pdf_build};
    struct pdf_call p = {.x = {.c = c}};
    if (api_param_id(c, 0, &p.x.id))
        api_pdf_reply(c, &route, &p.p.pdf);
}
