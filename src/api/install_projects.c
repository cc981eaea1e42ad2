/* SPDX-License-Identifier: MIT */
/* GET/POST /api/v1/installation-projects, GET /{id}, POST /{id}/schedule, /{id}/work-orders,
 * /{id}/close: parse, call the use cases of app/install_projects.h, render. */
#include "api/install_projects.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/work_orders.h"

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

enum sh_code ip_parse(struct api_ctx *c, const struct col *cols, int ncols, struct fval *vals,
                      api_extra_fn arr, void *arg, struct sh_err *e)
{
    struct api_body b = {.cols = cols, .ncols = ncols, .extra = arr, .arg = arg};
    return api_parse_body(c, &b, vals, e);
}

static const char *txt(const struct fval *v)
{
    return v->present && !v->is_null ? v->text : NULL;
}

/* ---- rendering ---- */

static void signoff_json(struct api_ctx *c, struct jw *w, const char *key, const struct ip_view *v,
                         const struct ip_signoff *s)
{
    jw_key(w, key);
    if (!s->present) {
        jw_null(w);
        return;
    }
    jw_obj_begin(w);
    jw_kstr(w, "signer_name", s->signer_name);
    jw_kstr(w, "signed_at", s->signed_at);
    jw_kstr(w, "comment", s->comment);
    jw_kstr(w, "signature_sha256", s->signature_sha256);
    if (!strcmp(key, "training")) {
        jw_kint(w, "trainees", s->trainees);
        jw_kint(w, "chargeable", s->chargeable);
    }
    jw_key(w, "content");
    jw_raw(w, s->snapshot);
    jw_kstr(
        w, "pdf_url",
        sh_arena_printf(c->a, "/api/v1/installation-projects/%" PRId64 "/%s.pdf", v->row.id, key));
    jw_obj_end(w);
}

static void kid(struct jw *w, const char *k, int64_t id)
{
    if (id)
        jw_kint(w, k, id);
    else
        jw_knull(w, k);
}

static void row_json(struct jw *w, const struct ip_view *v)
{
    const struct ip_row *r = &v->row;
    jw_kint(w, "id", r->id);
    jw_kstr(w, "number", r->number);
    jw_kstr(w, "status", r->status);
    jw_kint(w, "customer_id", r->customer_id);
    jw_kstr(w, "customer_name", r->customer_name);
    kid(w, "site_id", r->site_id);
    jw_kstr(w, "site_name", r->site_name);
    kid(w, "contract_id", r->contract_id);
    jw_kstr(w, "contract_number", r->contract_number);
    kid(w, "ticket_id", r->ticket_id);
    kid(w, "shipment_id", r->shipment_id);
    jw_kstr(w, "agreed_date", r->agreed_date);
    jw_kint(w, "deadline_days", r->deadline_days);
    jw_kstr(w, "deadline_at", r->deadline_at);
    jw_kstr(w, "sla_state", v->sla_state);
    jw_kint(w, "remaining_s", v->remaining_s);
    jw_kint(w, "free_seats", r->free_seats);
    jw_kbool(w, "training_required", r->training_required);
    jw_kstr(w, "note", r->note);
    jw_kstr(w, "accepted_at", r->accepted_at);
    jw_kstr(w, "closed_at", r->closed_at);
    jw_kstr(w, "created_at", r->created_at);
    jw_kstr(w, "updated_at", r->updated_at);
    jw_kint(w, "version", r->version);
}

static void parts_json(struct jw *w, const struct ip_view *v)
{
    jw_key(w, "units");
    jw_arr_begin(w);
    for (int i = 0; i < v->nunits; i++) {
        const struct ip_unit *x = &v->units[i];
        jw_obj_begin(w);
        jw_kint(w, "id", x->id);
        jw_kstr(w, "serial_no", x->serial_no);
        jw_kstr(w, "model_name", x->model_name);
        jw_kstr(w, "ship_date", x->ship_date);
        jw_kstr(w, "install_date", x->install_date);
        jw_kstr(w, "warranty_basis", x->warranty_basis);
        jw_kstr(w, "warranty_start", x->warranty_start);
        jw_kstr(w, "warranty_end", x->warranty_end);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "work_orders");
    jw_arr_begin(w);
    for (int i = 0; i < v->nwos; i++) {
        const struct ip_wo *x = &v->wos[i];
        jw_obj_begin(w);
        jw_kint(w, "id", x->id);
        jw_kstr(w, "number", x->number);
        jw_kstr(w, "kind", x->kind);
        jw_kstr(w, "status", x->status);
        jw_kstr(w, "appointment_at", x->appointment_at);
        jw_kstr(w, "lead_name", x->lead_name);
        jw_kbool(w, "self_check_passed", x->self_check_passed);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

void ip_reply(struct api_ctx *c, int status, const struct ip_view *v)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    row_json(&w, v);
    parts_json(&w, v);
    signoff_json(c, &w, "acceptance", v, &v->acceptance);
    signoff_json(c, &w, "training", v, &v->training);
    jw_obj_end(&w);
    api_reply_jw(c, status, &b, &w);
}

/* ---- list ---- */

static const char *const ip_statuses[] = {"open",     "scheduled", "in_progress",
                                          "accepted", "closed",    NULL};

struct list_ctx {
    struct api_ctx *c;
    struct ip_list_in in;
    struct ip_view *rows;
    int n;
};

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_install_project_list(&u, &x->in, &x->rows, &x->n, e);
}

static void list_item(struct jw *w, int i, const void *arg)
{
    const struct list_ctx *x = arg;
    jw_obj_begin(w);
    row_json(w, &x->rows[i]);
    jw_obj_end(w);
}

void h_ip_list(struct api_ctx *c)
{
    struct list_ctx x = {.c = c};
    const char *s = http_query(c->req, "status"), *cu = http_query(c->req, "customer_id");
    bool ok = !s;
    for (int i = 0; s && ip_statuses[i]; i++)
        ok = ok || !strcmp(s, ip_statuses[i]);
    char *end = NULL;
    x.in.customer_id = cu ? strtoll(cu, &end, 10) : 0;
    if (!ok || (cu && (*cu < '1' || *cu > '9' || *end))) {
        api_reply_error(c, SH_INVALID, ok ? "customer_id" : "status", "bad filter");
        return;
    }
    x.in.status = s;
    if (!api_read_or_reply(c, list_run, &x))
        return;
    struct api_page p = {.n = x.n, .item = list_item, .arg = &x, .has_total = true, .total = x.n};
    api_reply_page(c, &p);
}

/* ---- open ---- */

static const struct col open_cols[] = {
    {"customer_id", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"site_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"shipment_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"agreed_date", F_DATE, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"deadline_days", F_INT, 0, 0, NULL, 1, 365, NULL},
    {"note", F_TEXT, 0, IP_NOTE_MAX, NULL, 0, 0, NULL},
};
enum { O_CUST, O_SITE, O_SHIP, O_DATE, O_DAYS, O_NOTE, O_COUNT };

struct open_ctx {
    struct api_ctx *c;
    struct ip_open_in in;
    int64_t units[IP_UNITS_MAX];
    bool has_units;
    struct ip_view out;
};

static enum sh_code open_arr(struct api_ctx *c, void *arg, const char *key, json_t *v, bool *known,
                             struct sh_err *e)
{
    (void)c;
    struct open_ctx *x = arg;
    if (strcmp(key, "unit_ids"))
        return *known = false, SH_OK;
    x->has_units = true;
    return api_parse_ids(v, "unit_ids", IP_UNITS_MAX, x->units, &x->in.nunits, e);
}

static enum sh_code open_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct open_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_install_project_open(&u, &x->in, &x->out, e);
}

void h_ip_open(struct api_ctx *c)
{
    struct open_ctx x = {.c = c};
    struct fval v[O_COUNT];
    struct sh_err e;
    sh_err_clear(&e);
    x.in.unit_ids = x.units;
    if (ip_parse(c, open_cols, O_COUNT, v, open_arr, &x, &e) ||
        (!x.has_units && bad(&e, "unit_ids", "required", "'unit_ids' is required"))) {
        api_reply_err(c, &e);
        return;
    }
    x.in.customer_id = v[O_CUST].i;
    x.in.site_id = txt(&v[O_SITE]) ? v[O_SITE].i : 0;
    x.in.shipment_id = txt(&v[O_SHIP]) ? v[O_SHIP].i : 0;
    x.in.agreed_date = txt(&v[O_DATE]);
    x.in.deadline_days = txt(&v[O_DAYS]) ? (int)v[O_DAYS].i : 0;
    x.in.note = txt(&v[O_NOTE]);
    if (!api_write_or_reply(c, open_run, &x))
        return;
    ip_reply(c, 201, &x.out);
}

/* ---- get, schedule, close ---- */

struct one_ctx {
    struct api_ctx *c;
    int64_t id;
    const char *date;
    int op; /* 0 get, 1 schedule, 2 close */
    struct ip_view out;
};

static enum sh_code one_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct one_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return x->op == 1   ? uc_install_project_schedule(&u, x->id, x->date, &x->out, e)
           : x->op == 2 ? uc_install_project_close(&u, x->id, &x->out, e)
                        : uc_install_project_load(&u, x->id, &x->out, e);
}

void h_ip_get(struct api_ctx *c)
{
    struct one_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, one_run, &x))
        return;
    ip_reply(c, 200, &x.out);
}

static const struct col schedule_cols[] = {
    {"agreed_date", F_DATE, COL_REQUIRED, 0, NULL, 0, 0, NULL},
};

void h_ip_schedule(struct api_ctx *c)
{
    struct one_ctx x = {.c = c, .op = 1};
    struct fval v[1];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (ip_parse(c, schedule_cols, 1, v, NULL, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.date = v[0].text;
    if (!api_write_or_reply(c, one_run, &x))
        return;
    ip_reply(c, 200, &x.out);
}

void h_ip_close(struct api_ctx *c)
{
    struct one_ctx x = {.c = c, .op = 2};
    struct fval v[1];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (c->req->body.len && ip_parse(c, schedule_cols, 0, v, NULL, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (!api_write_or_reply(c, one_run, &x))
        return;
    ip_reply(c, 200, &x.out);
}

/* ---- a visit ---- */

static const struct col book_cols[] = {
    {"lead_id", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"appointment_at", F_TS, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"duration_min", F_INT, 0, 0, NULL, 1, 1440, NULL},
    {"note", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"override_reason", F_TEXT, 0, 500, NULL, 0, 0, NULL},
};
enum { B_LEAD, B_APPT, B_DUR, B_NOTE, B_OVERRIDE, B_COUNT };

struct book_ctx {
    struct api_ctx *c;
    int64_t id;
    struct wo_create_in in;
    int64_t helpers[WO_HELPERS_MAX];
    struct wo_view out;
};

static enum sh_code book_arr(struct api_ctx *c, void *arg, const char *key, json_t *v, bool *known,
                             struct sh_err *e)
{
    (void)c;
    struct book_ctx *x = arg;
    if (strcmp(key, "helper_ids"))
        return *known = false, SH_OK;
    return wo_parse_helpers(v, x->helpers, &x->in.nhelpers, e);
}

static enum sh_code book_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct book_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_install_project_book(&u, x->id, &x->in, &x->out, e);
}

void h_ip_book(struct api_ctx *c)
{
    struct book_ctx x = {.c = c};
    struct fval v[B_COUNT];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (ip_parse(c, book_cols, B_COUNT, v, book_arr, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.lead_id = v[B_LEAD].i;
    x.in.helpers = x.helpers;
    x.in.appointment_at = v[B_APPT].text;
    x.in.tolerance_min = -1;
    x.in.early_target_min = -1;
    x.in.duration_min = txt(&v[B_DUR]) ? (int)v[B_DUR].i : 0;
    x.in.note = txt(&v[B_NOTE]);
    x.in.override_reason = txt(&v[B_OVERRIDE]);
    if (!api_write_or_reply(c, book_run, &x))
        return;
    wo_reply(c, 201, &x.out);
}
