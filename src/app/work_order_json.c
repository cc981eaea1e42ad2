/* SPDX-License-Identifier: MIT */
/* A work order as JSON: the body of the work-order routes and the audit's before/after. */
#include <string.h>

#include "app/work_orders.h"
#include "base/date.h"
#include "base/jw.h"

static void kid(struct jw *w, const char *k, int64_t id)
{
    if (id)
        jw_kint(w, k, id);
    else
        jw_knull(w, k);
}

static void kts(struct jw *w, const char *k, int64_t t)
{
    char s[21];
    sh_ts_format(t, s);
    jw_kstr(w, k, s);
}

static void row_members(struct jw *w, const struct wo_row *r)
{
    jw_kint(w, "id", r->id);
    jw_kstr(w, "number", r->number);
    jw_kint(w, "ticket_id", r->ticket_id);
    jw_kstr(w, "ticket_number", r->ticket_number);
    jw_kstr(w, "ticket_status", r->ticket_status);
    jw_kstr(w, "customer_name", r->customer_name);
    jw_kstr(w, "kind", r->kind);
    jw_kstr(w, "status", r->status);
    kid(w, "lead_id", r->lead_id);
    jw_kstr(w, "lead_name", r->lead_name);
    jw_kstr(w, "appointment_at", r->appointment_at);
    jw_kstr(w, "appointment_day", r->appointment_day);
    jw_kint(w, "tolerance_min", r->tolerance_min);
    jw_kint(w, "early_target_min", r->early_target_min);
    jw_kint(w, "duration_min", r->duration_min);
    jw_kstr(w, "latest_notice_at", r->latest_notice_at);
    jw_kstr(w, "eta_at", r->eta_at);
    jw_kstr(w, "late_notice_at", r->late_notice_at);
    jw_kstr(w, "late_notice", r->late_notice ? r->late_notice : "");
    jw_kstr(w, "confirmed_at", r->confirmed_at);
    jw_kstr(w, "departed_at", r->departed_at);
    jw_kstr(w, "arrived_at", r->arrived_at);
    if (r->has_position) {
        jw_kreal(w, "arrived_lat", r->arrived_lat);
        jw_kreal(w, "arrived_lon", r->arrived_lon);
    } else {
        jw_knull(w, "arrived_lat");
        jw_knull(w, "arrived_lon");
    }
    if (r->lateness_min >= 0)
        jw_kint(w, "lateness_min", r->lateness_min);
    else
        jw_knull(w, "lateness_min");
    jw_kstr(w, "finished_at", r->finished_at);
    jw_kstr(w, "result_note", r->result_note ? r->result_note : "");
    jw_kstr(w, "findings", r->findings ? r->findings : "");
    jw_kstr(w, "work_done", r->work_done ? r->work_done : "");
    jw_kint(w, "labour_minutes", r->labour_minutes);
    jw_kstr(w, "customer_comment", r->customer_comment ? r->customer_comment : "");
    jw_kstr(w, "override_reason", r->override_reason ? r->override_reason : "");
    jw_kstr(w, "note", r->note ? r->note : "");
    kid(w, "previous_id", r->previous_id);
    kid(w, "visit_plan_id", r->visit_plan_id);
    kid(w, "created_by", r->created_by);
    jw_kstr(w, "created_at", r->created_at);
    jw_kstr(w, "updated_at", r->updated_at);
    jw_kint(w, "version", r->version);
    if (!r->place)
        return;
    const struct wo_place *p = r->place;
    jw_kstr(w, "address", p->address ? p->address : "");
    jw_kstr(w, "phone", p->phone ? p->phone : "");
    jw_kstr(w, "contact_name", p->contact_name ? p->contact_name : "");
    jw_kstr(w, "description", p->description ? p->description : "");
    jw_kstr(w, "serial_no", p->serial_no);
    jw_kstr(w, "model_name", p->model_name);
    if (p->has_position) {
        jw_kreal(w, "latitude", p->latitude);
        jw_kreal(w, "longitude", p->longitude);
    } else {
        jw_knull(w, "latitude");
        jw_knull(w, "longitude");
    }
}

/* The accepted quote: the job is chargeable, the customer agreed to the total, and its parts
 * are to be brought (review 2026-12-07 M10); null when the ticket has none. */
static void quote_member(struct jw *w, const struct wo_view *v)
{
    const struct db_rows *q = &v->quote, *p = &v->quote_parts;
    if (!q->nrows) {
        jw_knull(w, "accepted_quote");
        return;
    }
    jw_key(w, "accepted_quote");
    jw_obj_begin(w);
    jw_kint(w, "id", db_get_int(q, 0, "id", 0));
    jw_kstr(w, "number", db_get(q, 0, "number"));
    jw_kint(w, "total_fen", db_get_int(q, 0, "total_fen", 0));
    jw_key(w, "parts");
    jw_arr_begin(w);
    for (int i = 0; i < p->nrows; i++) {
        jw_obj_begin(w);
        jw_kstr(w, "code", db_get(p, i, "code"));
        jw_kstr(w, "name", db_get(p, i, "name"));
        jw_kreal(w, "quantity", (double)db_get_int(p, i, "qty_centi", 0) / 100.0);
        jw_kstr(w, "unit", db_get(p, i, "unit"));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static void view_members(struct jw *w, const struct wo_view *v)
{
    quote_member(w, v);
    jw_key(w, "helpers");
    jw_arr_begin(w);
    for (int i = 0; i < v->nhelpers; i++) {
        jw_obj_begin(w);
        jw_kint(w, "user_id", v->helpers[i].user_id);
        jw_kstr(w, "name", v->helpers[i].name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "parts");
    jw_arr_begin(w);
    for (int i = 0; i < v->nparts; i++) {
        const struct wo_part *p = &v->parts[i];
        jw_obj_begin(w);
        jw_kint(w, "id", p->id);
        jw_kstr(w, "name", p->name);
        jw_kreal(w, "quantity", p->quantity);
        jw_kstr(w, "unit", p->unit ? p->unit : "");
        jw_kstr(w, "note", p->note ? p->note : "");
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (v->has_window) {
        jw_key(w, "window");
        jw_obj_begin(w);
        kts(w, "start", v->window.start);
        kts(w, "end", v->window.end);
        kts(w, "target", v->window.target);
        kts(w, "precall_from", v->precall_from);
        jw_obj_end(w);
    } else {
        jw_knull(w, "window");
    }
    jw_kbool(w, "crew", v->crew);
    if (v->contract_reqs) {
        jw_key(w, "contract_requirements");
        jw_raw(w, v->contract_reqs);
    }
    jw_key(w, "allowed_actions");
    jw_arr_begin(w);
    for (int i = 0; i < v->nactions; i++)
        jw_str(w, wo_action_name(v->actions[i]));
    jw_arr_end(w);
}

static const char *finish(struct sh_arena *a, struct sh_buf *b, struct jw *w)
{
    const char *out = jw_finish(w) == SH_OK ? sh_arena_strdup(a, b->buf) : NULL;
    sh_buf_release(b);
    return out;
}

const char *work_order_json(struct sh_arena *a, const struct wo_view *v)
{
    struct sh_buf b = SH_BUF_INIT(4 << 20);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    row_members(&w, &v->row);
    view_members(&w, v);
    jw_obj_end(&w);
    return finish(a, &b, &w);
}

const char *work_order_row_json(struct sh_arena *a, const struct wo_row *r)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    row_members(&w, r);
    jw_obj_end(&w);
    return finish(a, &b, &w);
}
