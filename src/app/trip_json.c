/* SPDX-License-Identifier: MIT */
/* A trip as JSON: the body of the trip routes and the audit's before/after. */
#include <inttypes.h>
#include <string.h>

#include "app/trips.h"
#include "base/jw.h"

static void kid(struct jw *w, const char *k, int64_t id)
{
    if (id)
        jw_kint(w, k, id);
    else
        jw_knull(w, k);
}

static void destination(struct jw *w, const struct trip_row *r)
{
    kid(w, "customer_id", r->customer_id);
    jw_kstr(w, "customer_name", r->customer_name);
    kid(w, "site_id", r->site_id);
    jw_kstr(w, "site_name", r->site_name);
    jw_kstr(w, "address", r->address);
    jw_kstr(w, "contact_name", r->contact_name);
    jw_kstr(w, "contact_phone", r->contact_phone);
    jw_kstr(w, "site_details", r->site_details);
}

static void expenses(struct jw *w, const struct trip_row *r)
{
    int64_t total = 0;
    jw_key(w, "expenses");
    jw_obj_begin(w);
    for (int k = 0; k < TRIP_EXPENSE_COUNT; k++) {
        jw_kint(w, trip_expense_names[k], r->expense[k]);
        total += r->expense[k];
    }
    jw_kint(w, "total", total);
    jw_obj_end(w);
}

static void feedback(struct jw *w, const struct trip_row *r)
{
    if (!r->feedback_at) {
        jw_knull(w, "feedback");
        return;
    }
    jw_key(w, "feedback");
    jw_obj_begin(w);
    jw_kstr(w, "work_done", r->feedback_work_done);
    jw_kstr(w, "result", r->feedback_result);
    jw_kstr(w, "problems", r->feedback_problems);
    jw_kstr(w, "customer_opinion", r->feedback_customer_opinion);
    jw_kstr(w, "handed_in_at", r->feedback_at);
    kid(w, "handed_in_by", r->feedback_by);
    jw_obj_end(w);
}

void trip_row_members(struct jw *w, const struct trip_row *r, bool overdue)
{
    jw_kint(w, "id", r->id);
    jw_kstr(w, "status", r->status);
    jw_kint(w, "lead_id", r->lead_id);
    jw_kstr(w, "lead_name", r->lead_name);
    jw_kstr(w, "purpose", r->purpose);
    destination(w, r);
    kid(w, "ticket_id", r->ticket_id);
    jw_kstr(w, "ticket_number", r->ticket_number);
    kid(w, "project_id", r->project_id);
    jw_kint(w, "est_days", r->est_days);
    jw_kstr(w, "planned_departure_at", r->planned_departure_at);
    jw_kstr(w, "departed_at", r->departed_at);
    jw_kstr(w, "returned_at", r->returned_at);
    jw_kstr(w, "closed_at", r->closed_at);
    jw_kstr(w, "cancelled_at", r->cancelled_at);
    jw_kstr(w, "cancel_reason", r->cancel_reason);
    jw_kstr(w, "last_report_at", r->last_report_at);
    jw_kbool(w, "report_overdue", overdue);
    jw_kbool(w, "feedback_handed_in", r->feedback_at != NULL);
    expenses(w, r);
    feedback(w, r);
    jw_kstr(w, "note", r->note);
    jw_kstr(w, "created_at", r->created_at);
    jw_kstr(w, "updated_at", r->updated_at);
    jw_kint(w, "version", r->version);
}

static void members(struct jw *w, const struct trip_view *v)
{
    jw_key(w, "technicians");
    jw_arr_begin(w);
    for (int i = 0; i < v->nmembers; i++) {
        jw_obj_begin(w);
        jw_kint(w, "user_id", v->members[i].user_id);
        jw_kstr(w, "name", v->members[i].name);
        jw_kbool(w, "lead", v->members[i].lead);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "work_order_ids");
    jw_arr_begin(w);
    for (int i = 0; i < v->nwo; i++)
        jw_int(w, v->wo_ids[i]);
    jw_arr_end(w);
}

void trip_photo_members(struct jw *w, struct sh_arena *a, const struct trip_photo_row *p)
{
    jw_kint(w, "id", p->id);
    jw_kint(w, "report_id", p->report_id);
    jw_kstr(w, "filename", p->filename);
    jw_kstr(w, "mime", p->mime);
    jw_kint(w, "size", p->size);
    jw_kstr(w, "sha256", p->sha256);
    jw_kstr(w, "created_at", p->created_at);
    jw_kstr(w, "url",
            sh_arena_printf(a, "/api/v1/trips/%" PRId64 "/photos/%" PRId64, p->trip_id, p->id));
}

void trip_report_members(struct jw *w, const struct trip_report_row *r)
{
    jw_kint(w, "id", r->id);
    jw_kstr(w, "body", r->body);
    kid(w, "created_by", r->created_by);
    jw_kstr(w, "created_by_name", r->created_by_name);
    jw_kstr(w, "created_at", r->created_at);
}

static void reports(struct jw *w, struct sh_arena *a, const struct trip_view *v)
{
    jw_key(w, "reports");
    jw_arr_begin(w);
    for (int i = 0; i < v->nreports; i++) {
        jw_obj_begin(w);
        trip_report_members(w, &v->reports[i]);
        jw_key(w, "photos");
        jw_arr_begin(w);
        for (int k = 0; k < v->nphotos; k++) {
            if (v->photos[k].report_id != v->reports[i].id)
                continue;
            jw_obj_begin(w);
            trip_photo_members(w, a, &v->photos[k]);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

const char *trip_json(struct sh_arena *a, const struct trip_view *v)
{
    struct sh_buf b = SH_BUF_INIT(4 << 20);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    trip_row_members(&w, &v->row, v->report_overdue);
    members(&w, v);
    reports(&w, a, v);
    if (v->actual_days >= 0)
        jw_kint(&w, "actual_days", v->actual_days);
    else
        jw_knull(&w, "actual_days");
    jw_kbool(&w, "member", v->member);
    jw_key(&w, "allowed_actions");
    jw_arr_begin(&w);
    for (int i = 0; i < v->nactions; i++)
        jw_str(&w, trip_action_name(v->actions[i]));
    jw_arr_end(&w);
    jw_obj_end(&w);
    const char *out = jw_finish(&w) == SH_OK ? sh_arena_strdup(a, b.buf) : NULL;
    sh_buf_release(&b);
    return out;
}
