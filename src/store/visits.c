/* SPDX-License-Identifier: MIT */
#include "store/visits.h"

#include <string.h>

#define PLAN_COLS                                                                                  \
    "id, customer_id, site_id, lead_id, every_n, lead_days, active, name, purpose, region, "       \
    "period, start_date, end_date, visit_time, kind, notes"

static void plan_of(const struct db_rows *r, int i, struct visit_plan_row *p)
{
    const char *act = db_get(r, i, "active");
    *p = (struct visit_plan_row){
        .id = db_get_int(r, i, "id", 0),
        .customer_id = db_get_int(r, i, "customer_id", 0),
        .site_id = db_get_int(r, i, "site_id", 0),
        .lead_id = db_get_int(r, i, "lead_id", 0),
        .every_n = (int)db_get_int(r, i, "every_n", 0),
        .lead_days = (int)db_get_int(r, i, "lead_days", 0),
        .active = act && strcmp(act, "0") && strcmp(act, "f"),
        .name = db_get(r, i, "name"),
        .purpose = db_get(r, i, "purpose"),
        .region = db_get(r, i, "region"),
        .period = db_get(r, i, "period"),
        .start_date = db_get(r, i, "start_date"),
        .end_date = db_get(r, i, "end_date"),
        .visit_time = db_get(r, i, "visit_time"),
        .kind = db_get(r, i, "kind"),
        .notes = db_get(r, i, "notes"),
    };
}

static enum sh_code plans_of(struct sh_arena *a, const struct db_rows *r,
                             struct visit_plan_row **out, int *n)
{
    *n = r->nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r->nrows ? r->nrows : 1));
    for (int i = 0; i < r->nrows; i++)
        plan_of(r, i, &(*out)[i]);
    return SH_OK;
}

enum sh_code visits_active_plans(struct db_tx *tx, struct sh_arena *a, const char *today,
                                 int64_t after_id, int max, struct visit_plan_row **out, int *n,
                                 struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a,
                 "SELECT " PLAN_COLS " FROM visit_plans WHERE active = 1 AND "
                 "(end_date IS NULL OR end_date >= $1) AND id > $3 ORDER BY id LIMIT $2",
                 DB_P(DB_TEXT(today), DB_INT(max), DB_INT(after_id)), &r, e);
    return rc ? rc : plans_of(a, &r, out, n);
}

enum sh_code visits_plan_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                             struct visit_plan_row *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT " PLAN_COLS " FROM visit_plans WHERE id = $1",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "no visit plan %lld", (long long)id);
    plan_of(&r, 0, out);
    return SH_OK;
}

enum sh_code visits_plans_between(struct db_tx *tx, struct sh_arena *a, const char *from,
                                  const char *to, struct visit_plan_row **out, int *n,
                                  struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT " PLAN_COLS " FROM visit_plans WHERE start_date <= $2 AND "
                               "(end_date IS NULL OR end_date >= $1) ORDER BY id LIMIT 10000",
                               DB_P(DB_TEXT(from), DB_TEXT(to)), &r, e);
    return rc ? rc : plans_of(a, &r, out, n);
}

enum sh_code visits_claim_run(struct db_tx *tx, int64_t plan_id, const char *due_date,
                              const char *now, bool *claimed, struct sh_err *e)
{
    int64_t changes = 0;
    enum sh_code rc = db_exec(tx,
                              "INSERT INTO visit_plan_runs (plan_id, due_date, created_at) "
                              "VALUES ($1, $2, $3) ON CONFLICT (plan_id, due_date) DO NOTHING",
                              DB_P(DB_INT(plan_id), DB_TEXT(due_date), DB_TEXT(now)), &changes, e);
    *claimed = !rc && changes == 1;
    return rc;
}

enum sh_code visits_run_done(struct db_tx *tx, int64_t plan_id, const char *due_date,
                             int64_t ticket_id, int64_t work_order_id, struct sh_err *e)
{
    return db_exec(tx,
                   "UPDATE visit_plan_runs SET ticket_id = $3, work_order_id = $4 WHERE plan_id = "
                   "$1 AND due_date = $2",
                   DB_P(DB_INT(plan_id), DB_TEXT(due_date), ticket_id ? DB_INT(ticket_id) : DB_NULL,
                        work_order_id ? DB_INT(work_order_id) : DB_NULL),
                   NULL, e);
}

enum sh_code visits_link_work_order(struct db_tx *tx, int64_t work_order_id, int64_t plan_id,
                                    struct sh_err *e)
{
    return db_exec(tx, "UPDATE work_orders SET visit_plan_id = $2 WHERE id = $1",
                   DB_P(DB_INT(work_order_id), DB_INT(plan_id)), NULL, e);
}

enum sh_code visits_runs_of_plan(struct db_tx *tx, struct sh_arena *a, int64_t plan_id, int max,
                                 struct visit_run_row **out, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT r.due_date, r.ticket_id, r.work_order_id, t.number AS ticket_number, w.number AS "
        "work_order_number, w.status, w.appointment_at, u.display_name AS lead_name, (SELECT "
        "count(*) FROM visit_findings f WHERE f.work_order_id = r.work_order_id) AS findings "
        "FROM visit_plan_runs r LEFT JOIN tickets t ON t.id = r.ticket_id LEFT JOIN work_orders "
        "w ON w.id = r.work_order_id LEFT JOIN users u ON u.id = w.lead_id WHERE r.plan_id = $1 "
        "ORDER BY r.due_date DESC LIMIT $2",
        DB_P(DB_INT(plan_id), DB_INT(max)), &r, e);
    if (rc)
        return rc;
    *n = r.nrows;
    *out = sh_arena_alloc(a, sizeof(**out) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        (*out)[i] = (struct visit_run_row){
            .ticket_id = db_get_int(&r, i, "ticket_id", 0),
            .work_order_id = db_get_int(&r, i, "work_order_id", 0),
            .findings = db_get_int(&r, i, "findings", 0) > 0,
            .due_date = db_get(&r, i, "due_date"),
            .ticket_number = db_get(&r, i, "ticket_number"),
            .work_order_number = db_get(&r, i, "work_order_number"),
            .status = db_get(&r, i, "status"),
            .appointment_at = db_get(&r, i, "appointment_at"),
            .lead_name = db_get(&r, i, "lead_name"),
        };
    return SH_OK;
}

enum sh_code visits_findings_get(struct db_tx *tx, struct sh_arena *a, int64_t work_order_id,
                                 struct visit_findings_row *out, bool *found, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id, work_order_id, ticket_id, recorded_by, "
                               "routed_department_id, version, usage, design, assembly, process, "
                               "other, recorded_at, routed_at, (SELECT max(k.id) FROM tasks k "
                               "WHERE k.source = 'visit_findings' AND k.source_id = "
                               "visit_findings.id) AS task_id, (SELECT k.due_at FROM tasks k "
                               "WHERE k.source = 'visit_findings' AND k.source_id = "
                               "visit_findings.id ORDER BY k.id DESC LIMIT 1) AS task_due_at "
                               "FROM visit_findings WHERE work_order_id = $1",
                               DB_P(DB_INT(work_order_id)), &r, e);
    if (rc)
        return rc;
    *found = r.nrows > 0;
    if (!*found)
        return SH_OK;
    *out = (struct visit_findings_row){
        .id = db_get_int(&r, 0, "id", 0),
        .work_order_id = db_get_int(&r, 0, "work_order_id", 0),
        .ticket_id = db_get_int(&r, 0, "ticket_id", 0),
        .recorded_by = db_get_int(&r, 0, "recorded_by", 0),
        .routed_department_id = db_get_int(&r, 0, "routed_department_id", 0),
        .version = db_get_int(&r, 0, "version", 1),
        .usage = db_get(&r, 0, "usage"),
        .design = db_get(&r, 0, "design"),
        .assembly = db_get(&r, 0, "assembly"),
        .process = db_get(&r, 0, "process"),
        .other = db_get(&r, 0, "other"),
        .recorded_at = db_get(&r, 0, "recorded_at"),
        .task_id = db_get_int(&r, 0, "task_id", 0),
        .task_due_at = db_get(&r, 0, "task_due_at"),
        .routed_at = db_get(&r, 0, "routed_at"),
    };
    return SH_OK;
}

enum sh_code visits_findings_put(struct db_tx *tx, struct sh_arena *a, struct visit_findings_row *f,
                                 struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "INSERT INTO visit_findings (work_order_id, ticket_id, usage, design, assembly, process, "
        "other, recorded_by, recorded_at, routed_department_id, routed_at) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (work_order_id) DO UPDATE SET usage = "
        "excluded.usage, design = excluded.design, assembly = excluded.assembly, process = "
        "excluded.process, other = excluded.other, recorded_by = excluded.recorded_by, "
        "recorded_at = excluded.recorded_at, routed_department_id = "
        "COALESCE(excluded.routed_department_id, visit_findings.routed_department_id), "
        "routed_at = COALESCE(excluded.routed_at, visit_findings.routed_at), version = "
        "visit_findings.version + 1 RETURNING id, version",
        DB_P(DB_INT(f->work_order_id), f->ticket_id ? DB_INT(f->ticket_id) : DB_NULL,
             DB_TEXT(f->usage), DB_TEXT(f->design), DB_TEXT(f->assembly), DB_TEXT(f->process),
             DB_TEXT(f->other), f->recorded_by ? DB_INT(f->recorded_by) : DB_NULL,
             DB_TEXT(f->recorded_at),
             f->routed_department_id ? DB_INT(f->routed_department_id) : DB_NULL,
             DB_TEXT(f->routed_at)),
        &r, e);
    if (rc)
        return rc;
    f->id = db_get_int(&r, 0, "id", 0);
    f->version = db_get_int(&r, 0, "version", 1);
    return SH_OK;
}
