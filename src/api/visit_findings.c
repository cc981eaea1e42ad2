/* SPDX-License-Identifier: MIT */
/* GET/POST /api/v1/work-orders/{id}/findings: what the customer said on a periodic visit
 * (product usage, opinions on design, assembly and process), routed to the technical
 * department (app/visits.h); POST /api/v1/visit-plans/{id}/generate: the visit job for one
 * plan, now; GET /api/v1/visit-plans/{id}/visits: the visits it made. */
#include <string.h>

#include "api/reports.h"
#include "api/tickets.h"
#include "app/visits.h"

static const struct col findings_cols[] = {
    {"usage", F_TEXT, 0, 4000, NULL, 0, 0, NULL},    {"design", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"assembly", F_TEXT, 0, 4000, NULL, 0, 0, NULL}, {"process", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"other", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
};

struct findings_ctx {
    struct api_ctx *c;
    struct visit_findings_in in;
    struct visit_findings_out out;
    bool found;
};

static void render(struct api_ctx *c, const struct visit_findings_row *f, bool found, int64_t wo_id,
                   bool routed_now)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "work_order_id", wo_id);
    jw_kstr(&w, "usage", found ? f->usage : "");
    jw_kstr(&w, "design", found ? f->design : "");
    jw_kstr(&w, "assembly", found ? f->assembly : "");
    jw_kstr(&w, "process", found ? f->process : "");
    jw_kstr(&w, "other", found ? f->other : "");
    jw_kstr(&w, "recorded_at", found ? f->recorded_at : NULL);
    if (found && f->recorded_by)
        jw_kint(&w, "recorded_by", f->recorded_by);
    else
        jw_knull(&w, "recorded_by");
    jw_kstr(&w, "routed_at", found ? f->routed_at : NULL);
    if (found && f->routed_department_id)
        jw_kint(&w, "routed_department_id", f->routed_department_id);
    else
        jw_knull(&w, "routed_department_id");
    jw_kbool(&w, "routed_now", routed_now);
    if (found && f->task_id)
        jw_kint(&w, "follow_up_task_id", f->task_id);
    else
        jw_knull(&w, "follow_up_task_id");
    jw_kstr(&w, "follow_up_due_at", found && f->task_id ? f->task_due_at : NULL);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct findings_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_visit_findings_get(&u, x->in.work_order_id, &x->out.row, &x->found, e);
}

void h_visit_findings_get(struct api_ctx *c)
{
    struct findings_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.in.work_order_id) || !api_read_or_reply(c, get_run, &x))
        return;
    render(c, &x.out.row, x.found, x.in.work_order_id, false);
}

static enum sh_code post_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct findings_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_visit_findings_record(&u, &x->in, &x->out, e);
}

void h_visit_findings_post(struct api_ctx *c)
{
    struct findings_ctx x = {.c = c};
    struct fval v[NCOLS(findings_cols)];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.in.work_order_id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, findings_cols,
                         NCOLS(findings_cols), true, v, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    /* a field left out is kept as it was; null clears it */
    const char **f[] = {&x.in.usage, &x.in.design, &x.in.assembly, &x.in.process, &x.in.other};
    for (int i = 0; i < NCOLS(findings_cols); i++)
        *f[i] = !v[i].present ? NULL : v[i].is_null ? "" : v[i].text;
    if (!api_write_or_reply(c, post_run, &x))
        return;
    render(c, &x.out.row, true, x.in.work_order_id, x.out.routed_now);
}

struct gen_ctx {
    struct api_ctx *c;
    int64_t plan_id;
    struct visit_gen_out out;
};

static enum sh_code gen_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct gen_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_visit_plan_generate(&u, x->plan_id, &x->out, e);
}

void h_visit_plans_run(struct api_ctx *c)
{
    struct gen_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.plan_id))
        return;
    /* no body is needed; one that is sent must be a JSON object (ignored) */
    if (c->req->body.len) {
        json_t *root;
        struct sh_err e;
        sh_err_clear(&e);
        if (api_load_object(c->req->body.buf, c->req->body.len, &root, &e)) {
            api_reply_err(c, &e);
            return;
        }
        json_decref(root);
    }
    if (!api_write_or_reply(c, gen_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "plan_id", x.plan_id);
    jw_kint(&w, "created", x.out.created);
    jw_kint(&w, "existing", x.out.existing);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

struct runs_ctx {
    struct api_ctx *c;
    int64_t plan_id;
    struct visit_run_row *rows;
    int n;
};

static enum sh_code runs_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct runs_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_visit_plan_runs(&u, x->plan_id, &x->rows, &x->n, e);
}

static void kid(struct jw *w, const char *k, int64_t id)
{
    if (id)
        jw_kint(w, k, id);
    else
        jw_knull(w, k);
}

static void run_item(struct jw *w, int i, const void *arg)
{
    const struct visit_run_row *r = &((const struct runs_ctx *)arg)->rows[i];
    jw_obj_begin(w);
    jw_kstr(w, "due_date", r->due_date);
    kid(w, "ticket_id", r->ticket_id);
    jw_kstr(w, "ticket_number", r->ticket_number);
    kid(w, "work_order_id", r->work_order_id);
    jw_kstr(w, "work_order_number", r->work_order_number);
    jw_kstr(w, "status", r->status);
    jw_kstr(w, "appointment_at", r->appointment_at);
    jw_kstr(w, "lead_name", r->lead_name);
    jw_kbool(w, "findings", r->findings);
    jw_obj_end(w);
}

void h_visit_plan_visits(struct api_ctx *c)
{
    struct runs_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.plan_id) || !api_read_or_reply(c, runs_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.n, .item = run_item, .arg = &x});
}
