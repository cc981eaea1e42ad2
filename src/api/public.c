/* SPDX-License-Identifier: MIT */
/* The customer's QR fault report (no login): parse, limit per address in memory, call the
 * use cases (app/public_report.c: the look-up, the report and its durable limits, the
 * parcel-style status), render. Photos go through the tickets' attachment path. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/passwords.h"
#include "app/public_report.h"
#include "domain/phone.h"
#include "base/date.h"

/* lookups and reports per address and per unit come from the configuration */
#define UPLOADS_PER_IP 30 /* per hour */

/* The serial path parameter, or NULL after replying 404. */
static const char *serial_param(struct api_ctx *c)
{
    const char *s = c->req->nparams ? c->req->params[0] : NULL;
    if (!s || !*s || strlen(s) > 60) {
        api_reply_error(c, SH_NOT_FOUND, NULL, "no such unit");
        return NULL;
    }
    return s;
}

struct unit_ctx {
    struct api_ctx *c;
    const char *serial;
    struct public_unit out;
};

static enum sh_code unit_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct unit_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_public_unit(&u, x->serial, &x->out, e);
}

void h_public_unit(struct api_ctx *c)
{
    const char *serial = serial_param(c);
    if (!serial || api_throttled(c, "lookup", c->req->ip, c->app->public_lookups_per_minute, 60))
        return;
    struct unit_ctx x = {.c = c, .serial = serial};
    if (!api_read_or_reply(c, unit_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "serial_no", x.out.serial_no);
    jw_kstr(&w, "model_code", x.out.model_code);
    jw_kstr(&w, "model_name", x.out.model_name);
    jw_kstr(&w, "warranty_status", x.out.warranty_status);
    jw_kstr(&w, "warranty_end", x.out.warranty_end);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

static const struct col report_cols[] = {
    {"description", F_TEXT, COL_REQUIRED, 2000, NULL, 0, 0, NULL},
    {"phone", F_STR, COL_REQUIRED, 40, NULL, 0, 0, NULL},
    {"name", F_STR, 0, 60, NULL, 0, 0, NULL},
};

struct report_ctx {
    struct api_ctx *c;
    struct public_report_in in;
    struct public_report_out out;
};

static enum sh_code report_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct report_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_public_report(&u, &x->in, &x->out, e);
}

void h_public_report(struct api_ctx *c)
{
    const char *serial = serial_param(c);
    if (!serial)
        return;
    c->who.username = "public-qr";
    struct fval v[3];
    struct sh_err e;
    sh_err_clear(&e);
    /* bad input is refused before it counts against the limits */
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, report_cols, 3, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    /* the status link goes to this number by text message: a mainland number only */
    if (!phone_cn_valid(v[1].text)) {
        sh_err_field(&e, SH_INVALID, "phone",
                     "'phone' must be a mainland mobile or a landline with its area code");
        sh_err_reason(&e, "invalid_format", "{\"format\":\"phone_cn\"}");
        api_reply_err(c, &e);
        return;
    }
    if (api_throttled(c, "report", c->req->ip, c->app->public_reports_per_hour, 3600))
        return;
    struct report_ctx x = {.c = c,
                           .in = {.serial = serial,
                                  .description = v[0].text,
                                  .phone = v[1].text,
                                  .name = v[2].present ? v[2].text : NULL,
                                  .source_ip = c->req->ip}};
    if (!api_write_or_reply(c, report_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "number", x.out.number);
    /* a repeat's link went to the reporter's phone: the answer does not lend it to whoever
     * knows the serial and a phone number */
    if (x.out.token) {
        jw_kstr(&w, "token", x.out.token);
        jw_kstr(&w, "status_url", sh_arena_printf(c->a, "/r/s/%s", x.out.token));
    }
    jw_kbool(&w, "repeat", x.out.repeat);
    jw_obj_end(&w);
    api_reply_jw(c, x.out.repeat ? 200 : 201, &b, &w);
}

struct status_ctx {
    struct api_ctx *c;
    const char *token;
    bool full; /* the status page: the progress and the resolution too */
    struct public_status out;
};

static enum sh_code status_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct status_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_public_status(&u, x->token, x->full, &x->out, e);
}

static void status_steps(struct jw *w, const struct progress *p)
{
    jw_key(w, "steps");
    jw_arr_begin(w);
    for (int i = 0; i < PROGRESS_STEPS; i++) {
        jw_obj_begin(w);
        jw_kstr(w, "status", progress_step_name((enum progress_step)i));
        jw_kstr(w, "at", p->at[i]);
        jw_kbool(w, "done", p->done[i]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

void h_public_status(struct api_ctx *c)
{
    const char *token = c->req->nparams ? c->req->params[0] : NULL;
    if (!pw_random_hex_ok(token, 24)) {
        api_reply_error(c, SH_NOT_FOUND, NULL, "no such report");
        return;
    }
    if (api_throttled(c, "status", c->req->ip, c->app->public_lookups_per_minute, 60))
        return;
    struct status_ctx x = {.c = c, .token = token, .full = true};
    if (!api_read_or_reply(c, status_run, &x))
        return;
    const struct progress *p = &x.out.progress;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "number", x.out.number);
    status_steps(&w, p);
    jw_kstr(&w, "status", p->status);
    jw_kstr(&w, "appointment_at", p->appointment_at);
    jw_kstr(&w, "engineer", x.out.engineer);
    jw_kstr(&w, "resolution", x.out.resolution);
    jw_kstr(&w, "serial_no", x.out.serial_no);
    jw_kstr(&w, "model_name", x.out.model_name);
    jw_kint(&w, "photos", x.out.photos);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

void h_public_photo(struct api_ctx *c)
{
    const char *token = c->req->nparams ? c->req->params[0] : NULL;
    if (!pw_random_hex_ok(token, 24)) {
        api_reply_error(c, SH_NOT_FOUND, NULL, "no such report");
        return;
    }
    if (api_throttled(c, "upload", c->req->ip, UPLOADS_PER_IP, 3600))
        return;
    struct status_ctx x = {.c = c, .token = token};
    if (!api_read_or_reply(c, status_run, &x))
        return;
    /* a quick refusal when full; the binding count is inside the write transaction */
    if (x.out.photos >= PUBLIC_PHOTOS_MAX) {
        api_reply_error(c, SH_UNPROCESSABLE, "file", "at most %d photos per report",
                        PUBLIC_PHOTOS_MAX);
        return;
    }
    c->who.username = "public-qr";
    struct sh_buf b;
    struct jw w;
    struct sh_err e;
    sh_err_clear(&e);
    api_json_begin(&b, &w);
    if (ticket_attach_limited(c, x.out.id, c->req->body.buf, c->req->body.len,
                              http_query(c->req, "filename"), PUBLIC_PHOTO_BYTES, PUBLIC_PHOTOS_MAX,
                              &b, &e)) {
        api_reply_err(c, &e);
    } else {
        /* the public answer names the photo, not internal ids or URLs */
        static const char ok[] = "{\"ok\":true}";
        struct sh_buf okb = SH_BUF_INIT(64);
        if (sh_buf_adds(&okb, ok) == SH_OK)
            api_reply_json(c, 201, &okb);
        sh_buf_release(&okb);
    }
    sh_buf_release(&b);
}
