/* SPDX-License-Identifier: MIT */
/* Booking from the ticket page (issue 11 item 8): POST /api/v1/work-orders/check lists the
 * conflicts of a booking before it is saved; POST /api/v1/work-orders/slots the best slots
 * of the dispatch ranking for the ticket's visit on a day. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "api/work_orders.h"

static const struct col check_cols[] = {
    {"ticket_id", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"work_order_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"lead_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"appointment_at", F_TS, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"duration_min", F_INT, 0, 0, NULL, 1, 1440, NULL},
};
enum { C_TICKET, C_WO, C_LEAD, C_APPT, C_DUR, C_COUNT };

struct check_ctx {
    struct api_ctx *c;
    struct wo_check_in in;
    struct wo_check_out out;
    int64_t helpers[WO_HELPERS_MAX];
};

static enum sh_code check_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct check_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    return uc_work_order_check(&u, &x->in, &x->out, e);
}

static int64_t id_of(const struct fval *v)
{
    return v->present && !v->is_null ? v->i : 0;
}

struct helpers {
    int64_t *ids;
    int *n;
};

static enum sh_code helpers_extra(struct api_ctx *c, void *arg, const char *key, json_t *x,
                                  bool *known, struct sh_err *e)
{
    (void)c;
    struct helpers *h = arg;
    if (!h->ids || strcmp(key, "helper_ids"))
        return *known = false, SH_OK;
    return wo_parse_helpers(x, h->ids, h->n, e);
}

/* The body: the columns, and helper_ids. */
static enum sh_code parse(struct api_ctx *c, const struct col *cols, int n, struct fval *v,
                          int64_t *helpers, int *nh, struct sh_err *e)
{
    struct helpers h = {helpers, nh};
    struct api_body spec = {.cols = cols, .ncols = n, .extra = helpers_extra, .arg = &h};
    return api_parse_body(c, &spec, v, e);
}

static void render_conflicts(struct api_ctx *c, const struct wo_check_out *o)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kbool(&w, "ok", o->n == 0);
    jw_key(&w, "conflicts");
    jw_arr_begin(&w);
    for (int i = 0; i < o->n; i++) {
        const struct wo_conflict *x = &o->items[i];
        jw_obj_begin(&w);
        jw_kstr(&w, "kind", x->kind);
        if (x->user_id)
            jw_kint(&w, "user_id", x->user_id);
        else
            jw_knull(&w, "user_id");
        if (x->work_order_id)
            jw_kint(&w, "work_order_id", x->work_order_id);
        else
            jw_knull(&w, "work_order_id");
        jw_kstr(&w, "detail", x->detail);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kstr(&w, "onsite_due_at", o->onsite_due_at);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

void h_work_order_check(struct api_ctx *c)
{
    struct check_ctx x = {.c = c};
    struct fval v[C_COUNT];
    struct sh_err e;
    sh_err_clear(&e);
    int nh = 0;
    if (parse(c, check_cols, C_COUNT, v, x.helpers, &nh, &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in = (struct wo_check_in){.ticket_id = v[C_TICKET].i,
                                .except_id = id_of(&v[C_WO]),
                                .lead_id = id_of(&v[C_LEAD]),
                                .helpers = x.helpers,
                                .nhelpers = nh,
                                .appointment_at = v[C_APPT].text,
                                .duration_min = v[C_DUR].present ? (int)v[C_DUR].i : 0};
    if (api_read_or_reply(c, check_run, &x))
        render_conflicts(c, &x.out);
}

/* ---- slots ---- */

static const struct col slots_cols[] = {
    {"ticket_id", F_ID, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"date", F_DATE, COL_REQUIRED, 0, NULL, 0, 0, NULL},
    {"duration_min", F_INT, 0, 0, NULL, 1, 1440, NULL},
    {"count", F_INT, 0, 0, NULL, 1, 10, NULL},
};
enum { S_TICKET, S_DATE, S_DUR, S_COUNT, S_NCOLS };

struct slots_ctx {
    struct api_ctx *c;
    struct wo_slots_in in;
    struct wo_slots_out out;
};

static enum sh_code slots_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct slots_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    return uc_work_order_slots(&u, &x->in, &x->out, e);
}

static void kts(struct jw *w, const char *k, int64_t t)
{
    char s[21];
    sh_ts_format(t, s);
    jw_kstr(w, k, s);
}

static void render_slot(struct jw *w, const struct wo_slots_out *o, const struct wo_slot *s)
{
    jw_obj_begin(w);
    jw_kint(w, "technician_id", s->technician_id);
    jw_kint(w, "user_id", s->user_id);
    jw_kstr(w, "name", s->name);
    kts(w, "appointment_at", s->start);
    kts(w, "window_start", s->start - 60LL * o->tolerance_min);
    kts(w, "window_end", s->start + 60LL * o->tolerance_min);
    kts(w, "latest_start_at", s->latest_start);
    jw_kstr(w, "sla_due_at", o->onsite_due_at);
    jw_kreal(w, "sla_late_minutes", round(s->sla_late_minutes * 10) / 10);
    jw_kreal(w, "lateness_risk", round(s->lateness_risk * 1000) / 1000);
    jw_kreal(w, "extra_travel_km", round(s->extra_travel_km * 100) / 100);
    jw_obj_end(w);
}

static void render_slots(struct api_ctx *c, const struct wo_slots_out *o)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "slots");
    jw_arr_begin(&w);
    for (int i = 0; i < o->n; i++)
        render_slot(&w, o, &o->slots[i]);
    jw_arr_end(&w);
    jw_kstr(&w, "reason", o->n ? NULL : o->reason);
    jw_kstr(&w, "message", o->n ? NULL : o->message);
    if (o->skill)
        jw_kstr(&w, "skill", o->skill);
    jw_kstr(&w, "onsite_due_at", o->onsite_due_at);
    jw_kint(&w, "tolerance_min", o->tolerance_min);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

void h_work_order_slots(struct api_ctx *c)
{
    struct slots_ctx x = {.c = c};
    struct fval v[S_NCOLS];
    struct sh_err e;
    sh_err_clear(&e);
    if (parse(c, slots_cols, S_NCOLS, v, NULL, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.ticket_id = v[S_TICKET].i;
    sh_date_parse(v[S_DATE].text, &x.in.date);
    x.in.duration_min = v[S_DUR].present ? (int)v[S_DUR].i : 0;
    x.in.count = v[S_COUNT].present ? (int)v[S_COUNT].i : 3;
    if (api_read_or_reply(c, slots_run, &x))
        render_slots(c, &x.out);
}
