/* SPDX-License-Identifier: MIT */
/* A message as a printable letter (R-199: a document to print or fax), marking it printed;
 * the timed reminders run by hand; a template's preview with sample values. */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "app/i18n.h"
#include "app/notifications.h"
#include "app/notify_events.h"
#include "app/notify_templates.h"

struct lt_call {
    struct api_ctx *c;
    int64_t id;
    struct notify_row row;
    struct notify_reminders_out rem;
    const char *kind, *locale, *subject, *body, *out_subject, *out_body;
};

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct lt_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_get(&u, x->id, &x->row, e);
}

static enum sh_code esc(struct sh_buf *b, const char *s)
{
    enum sh_code rc = SH_OK;
    for (; s && *s && !rc; s++) {
        switch (*s) {
        case '<':
            rc = sh_buf_adds(b, "&lt;");
            break;
        case '>':
            rc = sh_buf_adds(b, "&gt;");
            break;
        case '&':
            rc = sh_buf_adds(b, "&amp;");
            break;
        case '"':
            rc = sh_buf_adds(b, "&quot;");
            break;
        case '\n':
            rc = sh_buf_adds(b, "<br>");
            break;
        default:
            rc = sh_buf_addc(b, *s);
        }
    }
    return rc;
}

/* GET /api/v1/notifications/{id}/letter: an HTML page laid out for A4, in the message's
 * language. */
void h_notify_letter(struct api_ctx *c)
{
    struct lt_call x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, get_run, &x))
        return;
    const char *loc = x.row.locale && !strcmp(x.row.locale, "en") ? "en" : "zh-CN";
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    enum sh_code rc = sh_buf_adds(
        &b, sh_arena_printf(c->a,
                            "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
                            "<title>",
                            loc));
    rc = rc ? rc : esc(&b, x.row.subject);
    rc = rc ? rc
            : sh_buf_adds(&b, "</title><style>@page{size:A4;margin:25mm}body{font:12pt/1.7 "
                              "serif;max-width:160mm;margin:auto}.to{margin-bottom:2em}.date{"
                              "text-align:right}h1{font-size:14pt}</style></head><body>"
                              "<p class=\"to\">");
    rc = rc ? rc : esc(&b, *x.row.recipient ? x.row.recipient : x.row.address);
    rc = rc ? rc : sh_buf_adds(&b, "</p><p class=\"date\">");
    rc = rc ? rc : esc(&b, notify_local_text(c->a, x.row.created_at));
    rc = rc ? rc : sh_buf_adds(&b, "</p><h1>");
    rc = rc ? rc : esc(&b, x.row.subject);
    rc = rc ? rc : sh_buf_adds(&b, "</h1><p>");
    rc = rc ? rc : esc(&b, x.row.body);
    rc = rc ? rc : sh_buf_adds(&b, "</p></body></html>");
    if (rc) {
        sh_buf_release(&b);
        api_reply_error(c, SH_INTERNAL, NULL, "letter too large");
        return;
    }
    http_add_header(c->req, "Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'");
    http_reply(c->req, 200, "text/html; charset=utf-8", b.buf, b.len);
    sh_buf_release(&b);
}

/* A body is optional; when sent it must be an empty JSON object. */
static bool no_fields(struct api_ctx *c)
{
    if (!c->req->body.len)
        return true;
    json_t *root;
    struct sh_err e;
    sh_err_clear(&e);
    if (api_load_object(c->req->body.buf, c->req->body.len, &root, &e)) {
        api_reply_err(c, &e);
        return false;
    }
    bool empty = json_object_size(root) == 0;
    json_decref(root);
    if (!empty)
        api_reply_error(c, SH_INVALID, NULL, "this action takes no fields");
    return empty;
}

static enum sh_code printed_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct lt_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_printed(&u, x->id, &x->row, e);
}

void h_notify_printed(struct api_ctx *c)
{
    struct lt_call x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !no_fields(c) || !api_write_or_reply(c, printed_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "id", x.row.id);
    jw_kstr(&w, "state", x.row.state);
    jw_kstr(&w, "printed_at", x.row.printed_at);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

static enum sh_code reminders_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct lt_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_reminders(&u, &x->rem, e);
}

/* POST /api/v1/notifications/reminders: the job's pass now (pre-arrival calls, warranty
 * ending), each message once. */
void h_notify_reminders(struct api_ctx *c)
{
    struct lt_call x = {.c = c};
    if (!no_fields(c) || !api_write_or_reply(c, reminders_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "precalls", x.rem.precalls);
    jw_kint(&w, "warranties", x.rem.warranties);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

static enum sh_code preview_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct lt_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_template_preview(&u, x->kind, x->locale, x->subject, x->body, &x->out_subject,
                                      &x->out_body, e);
}

/* POST /api/v1/notification-templates/{kind}/{locale}/preview {subject, body}. */
void h_notify_template_preview(struct api_ctx *c)
{
    struct lt_call x = {.c = c};
    x.kind = c->req->nparams > 1 ? c->req->params[0] : "";
    x.locale = c->req->nparams > 1 ? c->req->params[1] : "";
    json_t *root;
    struct sh_err e;
    sh_err_clear(&e);
    if (api_load_object(c->req->body.buf, c->req->body.len, &root, &e)) {
        api_reply_err(c, &e);
        return;
    }
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        if (strcmp(k, "subject") && strcmp(k, "body")) {
            json_decref(root);
            api_reply_error(c, SH_INVALID, k, "unknown field '%s'", k);
            return;
        }
        const char *s = json_is_string(v) ? sh_arena_strdup(c->a, json_string_value(v)) : NULL;
        *(strcmp(k, "subject") ? &x.body : &x.subject) = s;
    }
    json_decref(root);
    if (!api_read_or_reply(c, preview_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "subject", x.out_subject);
    jw_kstr(&w, "body", x.out_body);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}
