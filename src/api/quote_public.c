/* SPDX-License-Identifier: MIT */
/* The customer's quote from its link, without signing in (docs/quotes.md):
 *   GET  /api/v1/public/quotes/{token}       the quote (lines, total, valid until); repeatable
 *   GET  /api/v1/public/quotes/{token}/pdf   its PDF
 *   POST /api/v1/public/quotes/{token}       {"decision": "accept"|"reject", "note"?}: once
 * A token never issued is 404; a decided quote is shown read-only until the link's end, then
 * (and for a second decision) 410 reason used; an expired one 410 reason expired.
 * Abuse-limited per address. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/quotes.h"
#include "api/tickets.h"
#include "app/quotes.h"

#define DECISIONS_PER_HOUR 60

struct pub_call {
    struct quote_pdf_call p; /* first: api/pdf.h */
    struct api_ctx *c;
    const char *token, *note;
    bool accept;
    struct quote_row q;
    bool want_pdf;
};

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct pub_call *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    enum sh_code rc = uc_quote_public_get(&u, x->token, &x->q, e);
    return rc || !x->want_pdf ? rc : quote_pdf_loaded(&u, &x->q, &x->p, e);
}

static void reply(struct api_ctx *c, int status, const struct quote_row *q)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    quote_render(&w, q, true);
    api_reply_jw(c, status, &b, &w);
}

void h_public_quote_get(struct api_ctx *c)
{
    struct pub_call x = {.c = c, .token = c->req->nparams ? c->req->params[0] : ""};
    if (!api_throttled(c, "quote-get", c->req->ip, c->app->public_lookups_per_minute, 60) &&
        api_read_or_reply(c, get_run, &x))
        reply(c, 200, &x.q);
}

void h_public_quote_pdf(struct api_ctx *c)
{
    static const struct api_pdf_route route = {.load = get_run, .build = quote_pdf_build};
    struct pub_call x = {
        .c = c, .token = c->req->nparams ? c->req->params[0] : "", .want_pdf = true};
    if (!api_throttled(c, "quote-get", c->req->ip, c->app->public_lookups_per_minute, 60))
        api_pdf_reply(c, &route, &x.p.pdf);
}

static enum sh_code decide_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct pub_call *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_quote_public_decide(&u, x->token, x->accept, x->note, &x->q, e);
}

void h_public_quote_decide(struct api_ctx *c)
{
    static const char *const decisions[] = {"accept", "reject", NULL};
    static const struct col cols[] = {
        {"decision", F_ENUM, COL_REQUIRED, 0, decisions, 0, 0, NULL},
        {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    };
    struct pub_call x = {.c = c, .token = c->req->nparams ? c->req->params[0] : ""};
    struct fval v[2];
    struct sh_err e;
    sh_err_clear(&e);
    c->who.username = "public-quote";
    if (api_throttled(c, "quote-decide", c->req->ip, DECISIONS_PER_HOUR, 3600))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, cols, 2, false, v, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.accept = !strcmp(v[0].text, "accept");
    x.note = fv(&v[1]);
    if (api_write_or_reply(c, decide_run, &x))
        reply(c, 200, &x.q);
}
