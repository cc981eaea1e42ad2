/* SPDX-License-Identifier: MIT */
/* The customer's QR fault report (no login): the QR code on a unit's label opens
 * /r/{serial}; the page reads what the label already shows (model, serial,
 * warranty status), registers a fault as a ticket of channel "qr", takes photos,
 * and follows the ticket like a parcel (已受理 → 已派工 → 已出发 → 已到达 → 已完成), with the
 * appointment, the engineer's display name and the resolution written for the customer.
 * Nothing about the customer is revealed. Abuse limits: per address and per unit; a report
 * repeated from the same phone while the unit's ticket is open is added to that ticket. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/passwords.h"
#include "base/date.h"
#include "http/ratelimit.h"

#define PHOTO_MAX      (10u << 20)
#define PHOTOS_PER_TKT 5
/* lookups and reports per address and per unit come from the configuration */
#define UPLOADS_PER_IP 30 /* per hour */

static bool limited(struct api_ctx *c, const char *what, const char *key, int max, int window)
{
    char k[96];
    snprintf(k, sizeof(k), "%s:%s", what, key);
    if (ratelimit_allow(k, max, window, sh_now()))
        return false;
    http_add_header(c->req, "Retry-After", sh_arena_printf(c->a, "%d", window));
    api_reply_error(c, SH_THROTTLED, NULL, "too many requests: try again later");
    return true;
}

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
    struct db_rows rows;
};

static enum sh_code unit_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct unit_ctx *x = arg;
    enum sh_code rc = db_query(tx, x->c->a,
                               "SELECT u.id, u.serial_no, u.warranty_end, m.code AS model_code, "
                               "m.name AS model_name FROM units u JOIN product_models m ON m.id = "
                               "u.model_id WHERE u.serial_no = $1 ORDER BY u.id LIMIT 2",
                               DB_P(DB_TEXT(x->serial)), &x->rows, e);
    if (!rc && x->rows.nrows != 1)
        rc = sh_err_set(e, SH_NOT_FOUND, "no such unit");
    return rc;
}

static const char *warranty_status(struct api_ctx *c, const char *end)
{
    if (!end)
        return "unknown";
    char today[11];
    api_today(today);
    (void)c;
    return strcmp(today, end) <= 0 ? "in" : "out";
}

void h_public_unit(struct api_ctx *c)
{
    const char *serial = serial_param(c);
    if (!serial || limited(c, "lookup", c->req->ip, c->app->public_lookups_per_minute, 60))
        return;
    struct unit_ctx x = {.c = c, .serial = serial};
    if (!api_read_or_reply(c, unit_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "serial_no", db_get(&x.rows, 0, "serial_no"));
    jw_kstr(&w, "model_code", db_get(&x.rows, 0, "model_code"));
    jw_kstr(&w, "model_name", db_get(&x.rows, 0, "model_name"));
    jw_kstr(&w, "warranty_status", warranty_status(c, db_get(&x.rows, 0, "warranty_end")));
    jw_kstr(&w, "warranty_end", db_get(&x.rows, 0, "warranty_end"));
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
    const char *serial;
    struct fval v[3];
    int64_t id;
    char token[49];
    bool repeat; /* added to an open ticket instead of a new one */
    struct db_rows t;
};

/* An open ticket of the unit reported from the same phone within the merge window: the
 * report becomes a customer-visible event of that ticket (x->id set; the ticket gets a
 * status token if it had none). x->id stays 0 when there is none. */
static enum sh_code report_repeat(struct report_ctx *x, struct db_tx *tx, int64_t unit,
                                  struct sh_err *e)
{
    struct api_ctx *c = x->c;
    int hours = c->app->public_report_merge_hours;
    if (hours <= 0)
        return SH_OK;
    char since[21];
    sh_ts_format(sh_now() - (int64_t)hours * 3600, since);
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, c->a,
        "SELECT id, public_token FROM tickets WHERE unit_id = $1 AND caller_phone = $2 AND "
        "status NOT IN ('resolved', 'closed', 'cancelled') AND merged_into IS NULL AND "
        "received_at > $3 ORDER BY id DESC LIMIT 1",
        DB_P(DB_INT(unit), DB_TEXT(x->v[1].text), DB_TEXT(since)), &r, e);
    if (rc || r.nrows == 0)
        return rc;
    int64_t id = db_get_int(&r, 0, "id", 0);
    const char *tok = db_get(&r, 0, "public_token");
    if (tok && *tok) {
        snprintf(x->token, sizeof(x->token), "%s", tok);
    } else {
        auth_random_hex(x->token, 24);
        if ((rc = db_exec(tx, "UPDATE tickets SET public_token = $2 WHERE id = $1",
                          DB_P(DB_INT(id), DB_TEXT(x->token)), NULL, e)))
            return rc;
    }
    const char *data = x->v[2].present && x->v[2].text ? "{\"source\":\"qr\",\"named\":true}"
                                                       : "{\"source\":\"qr\"}";
    if ((rc = ticket_event(c, tx, id, "report", "customer", x->v[0].text, data, NULL, e)))
        return rc;
    x->id = id;
    x->repeat = true;
    return db_query(tx, c->a, "SELECT number FROM tickets WHERE id = $1", DB_P(DB_INT(id)), &x->t,
                    e);
}

static enum sh_code report_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct report_ctx *x = arg;
    struct api_ctx *c = x->c;
    /* what a run found or made: none yet (a run again starts afresh: store/db.h) */
    x->id = 0;
    x->repeat = false;
    x->token[0] = '\0';
    struct unit_ctx u = {.c = c, .serial = x->serial};
    enum sh_code rc = unit_run(tx, &u, e);
    if (rc)
        return rc;
    int64_t unit = db_get_int(&u.rows, 0, "id", 0);
    /* the same fault reported again from the same phone: added to the open ticket */
    if ((rc = report_repeat(x, tx, unit, e)) || x->id)
        return rc;
    /* durable abuse limits: per unit per day, per address per hour */
    char day[21], hour[21];
    sh_ts_format(sh_now() - 86400, day);
    sh_ts_format(sh_now() - 3600, hour);
    struct db_rows r;
    if ((rc =
             db_query(tx, c->a,
                      "SELECT (SELECT count(*) FROM tickets WHERE unit_id = $1 AND channel = 'qr' "
                      "AND received_at > $2) AS by_unit, (SELECT count(*) FROM tickets WHERE "
                      "source_ip = $3 AND received_at > $4) AS by_ip",
                      DB_P(DB_INT(unit), DB_TEXT(day), DB_TEXT(c->req->ip), DB_TEXT(hour)), &r, e)))
        return rc;
    if (db_get_int(&r, 0, "by_unit", 0) >= c->app->public_reports_per_unit_day ||
        db_get_int(&r, 0, "by_ip", 0) >= c->app->public_reports_per_hour)
        return sh_err_set(e, SH_THROTTLED,
                          "this unit or address has reported several faults already: we will "
                          "call you back");
    struct sh_buf body = SH_BUF_INIT(1 << 16);
    struct jw w;
    jw_init(&w, &body);
    jw_obj_begin(&w);
    jw_kstr(&w, "channel", "qr");
    jw_kstr(&w, "type", "repair");
    jw_kint(&w, "unit_id", unit);
    jw_kstr(&w, "caller_phone", x->v[1].text);
    if (x->v[2].present && x->v[2].text)
        jw_kstr(&w, "caller_name", x->v[2].text);
    jw_kstr(&w, "description", x->v[0].text);
    jw_obj_end(&w);
    rc = jw_finish(&w);
    if (!rc)
        rc = ticket_intake(c, tx, body.buf, body.len, &x->id, e);
    sh_buf_release(&body);
    if (rc)
        return rc;
    auth_random_hex(x->token, 24);
    if ((rc = db_exec(tx, "UPDATE tickets SET public_token = $2, source_ip = $3 WHERE id = $1",
                      DB_P(DB_INT(x->id), DB_TEXT(x->token), DB_TEXT(c->req->ip)), NULL, e)))
        return rc;
    return db_query(tx, c->a, "SELECT number FROM tickets WHERE id = $1", DB_P(DB_INT(x->id)),
                    &x->t, e);
}

void h_public_report(struct api_ctx *c)
{
    const char *serial = serial_param(c);
    if (!serial)
        return;
    struct report_ctx x = {.c = c, .serial = serial};
    c->who.username = "public-qr";
    struct sh_err e;
    sh_err_clear(&e);
    /* bad input is refused before it counts against the limits */
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, report_cols, 3, false, x.v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (limited(c, "report", c->req->ip, c->app->public_reports_per_hour, 3600))
        return;
    if (!api_write_or_reply(c, report_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "number", db_get(&x.t, 0, "number"));
    jw_kstr(&w, "token", x.token);
    jw_kstr(&w, "status_url", sh_arena_printf(c->a, "/r/s/%s", x.token));
    jw_kbool(&w, "repeat", x.repeat);
    jw_obj_end(&w);
    api_reply_jw(c, x.repeat ? 200 : 201, &b, &w);
}

/* The ticket behind a status token, or NULL after replying 404. */
struct token_ctx {
    struct api_ctx *c;
    const char *token;
    bool full; /* the status page: events and the resolution too */
    struct db_rows t, photos, ev, res;
};

/* The progress a customer may see, from the timeline's real events: dispatched (first
 * assignment or acceptance), departed (the engineer set off), arrived, resolved. */
static const char progress_sql[] =
    "SELECT MIN(CASE WHEN kind = 'assign' OR (kind = 'state' AND (data LIKE "
    "'%\"action\":\"assign\"%' OR data LIKE '%\"action\":\"accept\"%')) THEN at END) AS "
    "dispatched, MAX(CASE WHEN kind = 'state' AND data LIKE '%\"action\":\"depart\"%' THEN at "
    "END) AS departed, MAX(CASE WHEN kind = 'state' AND data LIKE '%\"action\":\"arrive\"%' "
    "THEN at END) AS arrived FROM ticket_events WHERE ticket_id = $1";

static enum sh_code token_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct token_ctx *x = arg;
    enum sh_code rc =
        db_query(tx, x->c->a,
                 "SELECT t.id, t.number, t.status, t.received_at, t.visit_at, t.arrived_at, "
                 "t.resolved_at, t.merged_into, NULLIF(a.display_name, '') AS engineer, "
                 "u.serial_no, m.name AS model_name FROM tickets t LEFT JOIN units u "
                 "ON u.id = t.unit_id LEFT JOIN product_models m ON m.id = t.model_id "
                 "LEFT JOIN users a ON a.id = t.assignee_id WHERE t.public_token = $1",
                 DB_P(DB_TEXT(x->token)), &x->t, e);
    if (rc)
        return rc;
    if (x->t.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "no such report");
    int64_t id = db_get_int(&x->t, 0, "id", 0);
    if ((rc = db_query(tx, x->c->a, "SELECT count(*) AS n FROM attachments WHERE ticket_id = $1",
                       DB_P(DB_INT(id)), &x->photos, e)))
        return rc;
    if (!x->full)
        return SH_OK;
    if ((rc = db_query(tx, x->c->a, progress_sql, DB_P(DB_INT(id)), &x->ev, e)))
        return rc;
    /* what the engineer wrote for the customer when resolving */
    return db_query(tx, x->c->a,
                    "SELECT body FROM ticket_events WHERE ticket_id = $1 AND kind = 'state' AND "
                    "visibility = 'customer' AND (data LIKE '%\"action\":\"resolve\"%' OR data "
                    "LIKE '%\"action\":\"resolve_remote\"%') ORDER BY id DESC LIMIT 1",
                    DB_P(DB_INT(id)), &x->res, e);
}

static const char *const step_names[] = {"received", "dispatched", "on_the_way", "on_site", "done"};

/* A step is done when its event happened (an arrival implies the departure); a remote fix
 * leaves the on-site steps open. */
static void status_steps(struct jw *w, const char *const *at, int n, int *reached)
{
    *reached = 0;
    jw_key(w, "steps");
    jw_arr_begin(w);
    for (int i = 0; i < n; i++) {
        bool done = at[i] || (!strcmp(step_names[i], "on_the_way") && i + 1 < n && at[i + 1]);
        if (done)
            *reached = i;
        jw_obj_begin(w);
        jw_kstr(w, "status", step_names[i]);
        jw_kstr(w, "at", at[i]);
        jw_kbool(w, "done", done);
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
    if (limited(c, "status", c->req->ip, c->app->public_lookups_per_minute, 60))
        return;
    struct token_ctx x = {.c = c, .token = token, .full = true};
    if (!api_read_or_reply(c, token_run, &x))
        return;
    /* 已受理 → 已派工 → 已出发 → 已到达 → 已完成, each from an event that happened; a
     * booked visit is an appointment, not a departure */
    const char *st = db_get(&x.t, 0, "status");
    bool fixed = st && (!strcmp(st, "resolved") || !strcmp(st, "closed"));
    const char *at[5] = {
        db_get(&x.t, 0, "received_at"),
        db_get(&x.ev, 0, "dispatched"),
        db_get(&x.ev, 0, "departed"),
        db_get(&x.t, 0, "arrived_at"),
        fixed ? db_get(&x.t, 0, "resolved_at") : NULL,
    };
    bool cancelled = st && !strcmp(st, "cancelled") && !db_get(&x.t, 0, "merged_into");
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "number", db_get(&x.t, 0, "number"));
    int reached;
    status_steps(&w, at, 5, &reached);
    jw_kstr(&w, "status", cancelled ? "cancelled" : step_names[reached]);
    /* the appointment until the engineer is there */
    jw_kstr(&w, "appointment_at", at[3] || fixed ? NULL : db_get(&x.t, 0, "visit_at"));
    jw_kstr(&w, "engineer", db_get(&x.t, 0, "engineer"));
    jw_kstr(&w, "resolution", fixed && x.res.nrows ? db_get(&x.res, 0, "body") : NULL);
    jw_kstr(&w, "serial_no", db_get(&x.t, 0, "serial_no"));
    jw_kstr(&w, "model_name", db_get(&x.t, 0, "model_name"));
    jw_kintstr(&w, "photos", db_get(&x.photos, 0, "n"));
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
    if (limited(c, "upload", c->req->ip, UPLOADS_PER_IP, 3600))
        return;
    struct token_ctx x = {.c = c, .token = token};
    struct sh_err e;
    sh_err_clear(&e);
    if (db_read(c->app->db, token_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    /* a quick refusal when full; the binding count is inside the write transaction */
    if (db_get_int(&x.photos, 0, "n", 0) >= PHOTOS_PER_TKT) {
        api_reply_error(c, SH_UNPROCESSABLE, "file", "at most %d photos per report",
                        PHOTOS_PER_TKT);
        return;
    }
    c->who.username = "public-qr";
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    if (ticket_attach_limited(c, db_get_int(&x.t, 0, "id", 0), c->req->body.buf, c->req->body.len,
                              http_query(c->req, "filename"), PHOTO_MAX, PHOTOS_PER_TKT, &b, &e)) {
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
