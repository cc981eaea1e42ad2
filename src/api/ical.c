/* SPDX-License-Identifier: MIT */
/* The technicians' calendar feeds (issue 15 item 5): the feed's link on the profile (and as
 * a QR code), its rotation, and the public read-only iCalendar at the secret URL. */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "app/ical_feeds.h"
#include "docs/qr.h"

#define FEED_PATH "/api/v1/public/calendars/"

struct ic_call {
    struct api_ctx *c;
    int64_t id;
    struct ical_feed feed;
    const char *token;
    struct sh_buf *out;
};

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ic_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_ical_feed_get(&u, x->id, &x->feed, e);
}

static enum sh_code rotate_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ic_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_ical_feed_rotate(&u, x->id, &x->feed, e);
}

static void reply_feed(struct api_ctx *c, int status, const struct ical_feed *f)
{
    const char *base = c->app->public_url ? c->app->public_url : "";
    const char *path = f->token ? sh_arena_printf(c->a, FEED_PATH "%s", f->token) : NULL;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "technician_id", f->technician_id);
    jw_kstr(&w, "path", path);
    jw_kstr(&w, "url", path && *base ? sh_arena_printf(c->a, "%s%s", base, path) : NULL);
    jw_kstr(&w, "created_at", f->created_at);
    jw_obj_end(&w);
    api_reply_jw(c, status, &b, &w);
}

/* GET /api/v1/technicians/{id}/calendar-feed */
void h_ical_feed_get(struct api_ctx *c)
{
    struct ic_call x = {.c = c};
    if (api_param_id(c, 0, &x.id) && api_read_or_reply(c, get_run, &x))
        reply_feed(c, 200, &x.feed);
}

/* POST /api/v1/technicians/{id}/calendar-feed: a new secret URL (the old one ends). */
void h_ical_feed_rotate(struct api_ctx *c)
{
    struct ic_call x = {.c = c};
    if (c->req->body.len) {
        api_reply_error(c, SH_INVALID, NULL, "this request takes no body");
        return;
    }
    if (api_param_id(c, 0, &x.id) && api_write_or_reply(c, rotate_run, &x))
        reply_feed(c, 200, &x.feed);
}

/* GET /api/v1/technicians/{id}/calendar-feed/qr.svg: the feed's URL as a QR code. */
void h_ical_feed_qr(struct api_ctx *c)
{
    struct ic_call x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, get_run, &x))
        return;
    if (!x.feed.token) {
        api_reply_error(c, SH_NOT_FOUND, NULL, "the technician has no calendar feed yet");
        return;
    }
    const char *base = c->app->public_url ? c->app->public_url : "";
    struct sh_buf svg = SH_BUF_INIT(1 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (qr_svg(sh_arena_printf(c->a, "%s" FEED_PATH "%s", base, x.feed.token), &svg, &e)) {
        api_reply_err(c, &e);
    } else {
        http_add_header(c->req, "Cache-Control", "private, no-store");
        http_reply(c->req, 200, "image/svg+xml", svg.buf, svg.len);
    }
    sh_buf_release(&svg);
}

static enum sh_code feed_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ic_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_ical_render(&u, x->token, x->out, e);
}

/* GET /api/v1/public/calendars/{token}: the calendar itself (no sign-in: the URL is the
 * secret). */
void h_ical_feed_public(struct api_ctx *c)
{
    struct sh_buf out = SH_BUF_INIT(16 << 20);
    struct ic_call x = {.c = c, .out = &out};
    x.token = c->req->nparams > 0 ? c->req->params[0] : "";
    size_t n = strlen(x.token);
    if (n > 4 && !strcmp(x.token + n - 4, ".ics"))
        x.token = sh_arena_strndup(c->a, x.token, n - 4);
    /* review 69 I1: the same per-address limit as the other public routes */
    if (!api_throttled(c, "calendar", c->req->ip, c->app->public_lookups_per_minute, 60) &&
        api_read_or_reply(c, feed_run, &x)) {
        http_add_header(c->req, "Cache-Control", "private, max-age=300");
        http_reply(c->req, 200, "text/calendar; charset=utf-8", out.buf, out.len);
    }
    sh_buf_release(&out);
}
