/* SPDX-License-Identifier: MIT */
/* Visit findings (WF-10 S3–S5, R-070, R-185): what the customer said on a periodic visit,
 * kept on its work order; opinions on design, assembly and process go to the technical
 * department as feedback. */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/i18n.h"
#include "app/notify_events.h"
#include "app/tasks.h"
#include "app/ticket_events.h"
#include "app/visits.h"
#include "app/work_orders.h"
#include "base/date.h"
#include "base/jw.h"
#include "store/settings.h"

#define FOLLOW_UP_DAYS_DEFAULT 7 /* setting visit_follow_up_days */

/* The findings as JSON text (the audit's before/after). */
static const char *findings_json(struct sh_arena *a, const struct visit_findings_row *f)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kint(&w, "work_order_id", f->work_order_id);
    jw_kstr(&w, "usage", f->usage);
    jw_kstr(&w, "design", f->design);
    jw_kstr(&w, "assembly", f->assembly);
    jw_kstr(&w, "process", f->process);
    jw_kstr(&w, "other", f->other);
    jw_obj_end(&w);
    const char *out = jw_finish(&w) ? NULL : sh_arena_strndup(a, b.buf, b.len);
    sh_buf_release(&b);
    return out;
}

static bool same(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

/* The feedback text of the timeline and the follow-up task: each opinion under its label of
 * the catalogue (the form's), one per line. */
static const char *feedback_text(const struct uc *u, const struct visit_findings_row *f)
{
    const char *const keys[4] = {"visit.findings.design", "visit.findings.assembly",
                                 "visit.findings.process", "visit.findings.usage"};
    const char *const vals[4] = {f->design, f->assembly, f->process, f->usage};
    const char *out = "";
    for (int i = 0; i < 4; i++)
        out = sh_arena_printf(u->a, "%s%s%s：%s", out, i ? "\n" : "",
                              i18n_label(u->app, "zh-CN", keys[i], keys[i] + 15),
                              vals[i] ? vals[i] : "");
    return out;
}

/* Sends the opinions to the technical department (the first active one with active staff):
 * each of its active staff gets an outbox message; with none, the department heads do. */
static enum sh_code route_feedback(const struct uc *u, const struct wo_view *v,
                                   struct visit_findings_row *f, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT d.id FROM departments d WHERE d.kind = 'technical' AND "
                               "d.active = 1 AND EXISTS (SELECT 1 FROM users x WHERE "
                               "x.department_id = d.id AND x.active = 1) ORDER BY d.id LIMIT 1",
                               DB_NOP, &r, e);
    if (rc)
        return rc;
    const struct notify_var m[] = {{"number", v->row.number},
                                   {"design", f->design},
                                   {"assembly", f->assembly},
                                   {"process", f->process},
                                   {"usage", f->usage}};
    const char *key = sh_arena_printf(u->a, "visit_feedback:%" PRId64 ":%" PRId64, f->work_order_id,
                                      f->version + 1);
    f->routed_department_id = db_get_int(&r, 0, "id", 0);
    if (!f->routed_department_id)
        return uc_notify_role(u, "visit_feedback", "dept_head", v->row.ticket_id, m, 5, key, e);
    struct db_rows staff;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT id FROM users WHERE active = 1 AND department_id = $1 ORDER BY id "
                       "LIMIT 50",
                       DB_P(DB_INT(f->routed_department_id)), &staff, e)))
        return rc;
    for (int i = 0; !rc && i < staff.nrows; i++) {
        int64_t uid = db_get_int(&staff, i, "id", 0);
        struct notify_to to = {.user_id = uid,
                               .ticket_id = v->row.ticket_id,
                               .dedupe = sh_arena_printf(u->a, "%s:%" PRId64, key, uid)};
        rc = uc_notify_event(u, "visit_feedback", &to, m, 5, NULL, e);
    }
    return rc;
}

/* The owner of the follow-up in department dept: its head (a dept_head there), else its
 * first active member; 0 when the department has nobody. */
static enum sh_code follow_up_owner(const struct uc *u, int64_t dept, int64_t *owner,
                                    struct sh_err *e)
{
    struct db_rows r;
    *owner = 0;
    if (!dept)
        return SH_OK;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id FROM users WHERE active = 1 AND department_id = $1 "
                               "ORDER BY CASE WHEN (',' || roles || ',') LIKE '%,dept_head,%' "
                               "THEN 0 ELSE 1 END, id LIMIT 1",
                               DB_P(DB_INT(dept)), &r, e);
    if (!rc && r.nrows)
        *owner = db_get_int(&r, 0, "id", 0);
    return rc;
}

/* WF-10 S5 FOLLOW_UP: routed opinions open a task for the technical department's owner (or,
 * without one, for the department heads), due visit_follow_up_days after the recording. */
static enum sh_code follow_up_task(const struct uc *u, const struct wo_view *v,
                                   struct visit_findings_row *f, struct sh_err *e)
{
    int64_t days, owner;
    enum sh_code rc =
        settings_int(u->tx, u->a, "visit_follow_up_days", FOLLOW_UP_DAYS_DEFAULT, &days, e);
    if (rc || (rc = follow_up_owner(u, f->routed_department_id, &owner, e)))
        return rc;
    char *due = sh_arena_alloc(u->a, 21);
    sh_ts_format(u->now + (days > 0 ? days : FOLLOW_UP_DAYS_DEFAULT) * 86400, due);
    struct task_in in = {
        .kind = "visit_follow_up",
        .title = sh_arena_printf(
            u->a, "[%s] %s", v->row.number,
            i18n_label(u->app, "zh-CN", "task.kind.visit_follow_up", "visit follow-up")),
        .body = feedback_text(u, f),
        .assignee_id = owner,
        .role = owner ? "" : "dept_head",
        .department_id = owner ? 0 : f->routed_department_id,
        .ticket_id = v->row.ticket_id,
        .source = "visit_findings",
        .source_id = f->id,
        .due_at = due};
    f->task_due_at = due;
    return uc_task_create(u, &in, &f->task_id, e);
}

/* The work order in scope, and of the periodic_visit kind. */
static enum sh_code visit_work_order(const struct uc *u, int64_t id, struct wo_view *v,
                                     struct sh_err *e)
{
    enum sh_code rc = uc_work_order_load(u, id, v, e);
    if (rc)
        return rc;
    if (strcmp(v->row.kind, "periodic_visit")) {
        sh_err_field(e, SH_CONFLICT, "work_order_id",
                     "findings are recorded on periodic_visit work orders, this one is %s",
                     v->row.kind);
        return sh_err_reason_str1(e, "illegal_action", "kind", v->row.kind);
    }
    return SH_OK;
}

enum sh_code uc_visit_findings_get(const struct uc *u, int64_t work_order_id,
                                   struct visit_findings_row *out, bool *found, struct sh_err *e)
{
    struct wo_view v;
    enum sh_code rc = uc_work_order_load(u, work_order_id, &v, e);
    return rc ? rc : visits_findings_get(u->tx, u->a, work_order_id, out, found, e);
}

enum sh_code uc_visit_findings_record(const struct uc *u, const struct visit_findings_in *in,
                                      struct visit_findings_out *out, struct sh_err *e)
{
    struct wo_view v;
    struct visit_findings_row old = {0}, *f = &out->row;
    bool found;
    enum sh_code rc;
    if ((rc = visit_work_order(u, in->work_order_id, &v, e)) ||
        (rc = visits_findings_get(u->tx, u->a, in->work_order_id, &old, &found, e)))
        return rc;
    static const char empty[] = "";
    *f = found ? old
               : (struct visit_findings_row){.usage = empty,
                                             .design = empty,
                                             .assembly = empty,
                                             .process = empty,
                                             .other = empty};
    f->work_order_id = in->work_order_id;
    f->ticket_id = v.row.ticket_id;
    f->usage = in->usage ? in->usage : f->usage;
    f->design = in->design ? in->design : f->design;
    f->assembly = in->assembly ? in->assembly : f->assembly;
    f->process = in->process ? in->process : f->process;
    f->other = in->other ? in->other : f->other;
    f->recorded_by = u->who->user_id;
    char now[21];
    sh_ts_format(u->now, now);
    f->recorded_at = sh_arena_strdup(u->a, now);
    bool opinions = *f->design || *f->assembly || *f->process;
    out->routed_now =
        opinions && (!found || !same(old.design, f->design) || !same(old.assembly, f->assembly) ||
                     !same(old.process, f->process));
    f->routed_at = out->routed_now ? f->recorded_at : NULL;
    if (out->routed_now && (rc = route_feedback(u, &v, f, e)))
        return rc;
    if ((rc = visits_findings_put(u->tx, u->a, f, e)))
        return rc;
    if (out->routed_now) {
        f->routed_at = f->recorded_at;
        const char *data = sh_arena_printf(
            u->a, "{\"work_order_id\":%" PRId64 ",\"routed_department_id\":%" PRId64 "}",
            f->work_order_id, f->routed_department_id);
        if ((rc = uc_ticket_event(u, v.row.ticket_id, "visit_findings", "internal",
                                  feedback_text(u, f), data, NULL, e)) ||
            (rc = follow_up_task(u, &v, f, e)))
            return rc;
    }
    return uc_audit(u, "visit_findings", f->id, found ? "update" : "create",
                    found ? findings_json(u->a, &old) : NULL, findings_json(u->a, f), e);
}
