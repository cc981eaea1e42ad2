/* SPDX-License-Identifier: MIT */
/* SQL of periodic visits (migration 0017): plans, the run of each plan and due date (its
 * primary key is what keeps generation idempotent across job instances), and findings. */
#ifndef SH_STORE_VISITS_H
#define SH_STORE_VISITS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "store/db.h"

struct visit_plan_row {
    int64_t id, customer_id, site_id, lead_id; /* 0 when NULL */
    int every_n, lead_days;
    bool active;
    const char *name, *purpose, *region, *period, *start_date, *end_date, *visit_time, *kind,
        *notes;
};

/* Active plans whose end date is not before `today` ("YYYY-MM-DD"), by id after after_id, at
 * most max. */
SH_WUR enum sh_code visits_active_plans(struct db_tx *tx, struct sh_arena *a, const char *today,
                                        int64_t after_id, int max, struct visit_plan_row **out,
                                        int *n, struct sh_err *e);
/* One plan; SH_NOT_FOUND when absent. */
SH_WUR enum sh_code visits_plan_get(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                    struct visit_plan_row *out, struct sh_err *e);
/* Every plan whose [start, end] meets [from, to] (dates), for the report. */
SH_WUR enum sh_code visits_plans_between(struct db_tx *tx, struct sh_arena *a, const char *from,
                                         const char *to, struct visit_plan_row **out, int *n,
                                         struct sh_err *e);

/* Claims the run of (plan, due date): *claimed is false when it exists already (made by this
 * or another instance; on PostgreSQL a concurrent claim waits for the other's commit). */
SH_WUR enum sh_code visits_claim_run(struct db_tx *tx, int64_t plan_id, const char *due_date,
                                     const char *now, bool *claimed, struct sh_err *e);
/* Records what the run created. */
SH_WUR enum sh_code visits_run_done(struct db_tx *tx, int64_t plan_id, const char *due_date,
                                    int64_t ticket_id, int64_t work_order_id, struct sh_err *e);

/* Marks a work order as made by a plan (work_orders.visit_plan_id, issue 11 contract). */
SH_WUR enum sh_code visits_link_work_order(struct db_tx *tx, int64_t work_order_id, int64_t plan_id,
                                           struct sh_err *e);

struct visit_run_row {
    int64_t ticket_id, work_order_id; /* 0 when NULL */
    bool findings;
    const char *due_date, *ticket_number, *work_order_number, *status, *appointment_at, *lead_name;
};
/* The visits of a plan, latest due date first (at most max). */
SH_WUR enum sh_code visits_runs_of_plan(struct db_tx *tx, struct sh_arena *a, int64_t plan_id,
                                        int max, struct visit_run_row **out, int *n,
                                        struct sh_err *e);

struct visit_findings_row {
    int64_t id, work_order_id, ticket_id, recorded_by, routed_department_id, version;
    const char *usage, *design, *assembly, *process, *other, *recorded_at, *routed_at;
    /* the latest follow-up task the opinions opened (tasks.source visit_findings); 0 none */
    int64_t task_id;
    const char *task_due_at;
};
/* The findings of a work order; *found false when none yet. */
SH_WUR enum sh_code visits_findings_get(struct db_tx *tx, struct sh_arena *a, int64_t work_order_id,
                                        struct visit_findings_row *out, bool *found,
                                        struct sh_err *e);
/* Inserts or replaces the findings of f->work_order_id (version + 1); f->id gets the id. */
SH_WUR enum sh_code visits_findings_put(struct db_tx *tx, struct sh_arena *a,
                                        struct visit_findings_row *f, struct sh_err *e);

#endif
