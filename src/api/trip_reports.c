/* SPDX-License-Identifier: MIT */
/* GET /api/v1/trips (filters status, technician, ticket_id, project_id, overdue, limit);
 * progress reports and their photos: POST /trips/{id}/reports, POST
 * /trips/{id}/reports/{report}/photos (the file as the body), GET /trips/{id}/photos/{photo}. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/tickets.h"
#include "api/trips.h"
#include "app/trips.h"
#include "app/wo_photos.h"

#define LIST_MAX 200

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

static enum sh_code num_param(struct api_ctx *c, const char *name, int64_t max, int64_t *out,
                              struct sh_err *e)
{
    const char *v = http_query(c->req, name);
    if (!v)
        return SH_OK;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n < 1 || n > max)
        return bad(e, name, "invalid_format", "must be a positive number");
    *out = n;
    return SH_OK;
}

static enum sh_code parse_list(struct api_ctx *c, struct trip_list_in *in, struct sh_err *e)
{
    int64_t lim = 100;
    enum sh_code rc;
    if ((rc = num_param(c, "technician", INT64_MAX, &in->technician, e)) ||
        (rc = num_param(c, "ticket_id", INT64_MAX, &in->ticket_id, e)) ||
        (rc = num_param(c, "project_id", INT64_MAX, &in->project_id, e)) ||
        (rc = num_param(c, "limit", LIST_MAX, &lim, e)))
        return rc;
    in->limit = (int)lim;
    enum trip_status st;
    in->status = http_query(c->req, "status");
    if (in->status && !trip_status_parse(in->status, &st))
        return bad(e, "status", "invalid_format", "unknown trip status");
    const char *o = http_query(c->req, "overdue");
    if (o && strcmp(o, "true") && strcmp(o, "false") && strcmp(o, "1") && strcmp(o, "0"))
        return bad(e, "overdue", "invalid_format", "overdue is true or false");
    in->overdue = o && (!strcmp(o, "true") || !strcmp(o, "1"));
    return SH_OK;
}

struct list_ctx {
    struct api_ctx *c;
    struct trip_list_in in;
    struct trip_list_item *items;
    int n;
};

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_trip_list(&u, &x->in, &x->items, &x->n, e);
}

static void list_item(struct jw *w, int i, const void *arg)
{
    const struct list_ctx *x = arg;
    jw_obj_begin(w);
    trip_row_members(w, &x->items[i].row, x->items[i].report_overdue);
    jw_obj_end(w);
}

void h_trips_list(struct api_ctx *c)
{
    struct list_ctx x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (parse_list(c, &x.in, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (!api_read_or_reply(c, list_run, &x))
        return;
    struct api_page p = {.n = x.n, .item = list_item, .arg = &x, .has_total = true, .total = x.n};
    api_reply_page(c, &p);
}

/* ---- progress reports ---- */

static const struct col report_cols[] = {
    {"body", F_TEXT, COL_REQUIRED, 2000, NULL, 0, 0, NULL},
};

struct report_ctx {
    struct api_ctx *c;
    int64_t id, report_id, photo_id;
    const char *body;
    struct trip_report_row row;
    struct ticket_blob blob;
    struct trip_photo_row photo;
};

static enum sh_code report_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct report_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_trip_report_add(&u, x->id, x->body, &x->row, e);
}

void h_trip_report_add(struct api_ctx *c)
{
    struct report_ctx x = {.c = c};
    struct fval v[1];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, report_cols, 1, false, v, NULL,
                         &e) ||
        ((v[0].is_null || !*v[0].text) && bad(&e, "body", "required", "a report says something"))) {
        api_reply_err(c, &e);
        return;
    }
    x.body = v[0].text;
    if (!api_write_or_reply(c, report_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    trip_report_members(&w, &x.row);
    jw_key(&w, "photos");
    jw_arr_begin(&w);
    jw_arr_end(&w);
    jw_obj_end(&w);
    api_reply_jw(c, 201, &b, &w);
}

static enum sh_code photo_add_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct report_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_trip_photo_add(&u, x->id, x->report_id, &x->blob, &x->photo, e);
}

void h_trip_photo_add(struct api_ctx *c)
{
    struct report_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_param_id(c, 1, &x.report_id))
        return;
    struct sh_err e;
    sh_err_clear(&e);
    if (wo_photo_check(c->a, c->req->body.buf, c->req->body.len, http_query(c->req, "filename"),
                       &x.blob, &e) ||
        ticket_blob_store(c->app->data_dir, &x.blob, &e) ||
        db_write(c->app->db, photo_add_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    trip_photo_members(&w, c->a, &x.photo);
    jw_obj_end(&w);
    api_reply_jw(c, 201, &b, &w);
}

static enum sh_code photo_get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct report_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_trip_photo_get(&u, x->id, x->photo_id, &x->photo, e);
}

void h_trip_photo_get(struct api_ctx *c)
{
    struct report_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_param_id(c, 1, &x.photo_id) ||
        !api_read_or_reply(c, photo_get_run, &x))
        return;
    api_serve_photo(c, x.photo.sha256, x.photo.mime, x.photo.filename);
}
