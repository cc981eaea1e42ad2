/* SPDX-License-Identifier: MIT */
/* Periodic visits (issue 11 item 7, WF-10, R-185; docs/visits.md): the visit job creates,
 * for each active plan and each due date within the plan's lead days, one visit ticket with
 * its periodic_visit work order, exactly once (the run of plan and due date is claimed by
 * its primary key, so two instances on one PostgreSQL database never both create it); the
 * findings of a visit (product usage, opinions on design, assembly and process) are recorded
 * on its work order and routed to the technical department. */
#ifndef SH_APP_VISITS_H
#define SH_APP_VISITS_H

#include "app/uc.h"
#include "store/visits.h"

#define VISIT_PLANS_PER_RUN 500 /* plan ids read at a time by a generation pass */
#define VISIT_DUES_PER_PLAN 16  /* due dates one plan creates per pass */

/* The next VISIT_PLANS_PER_RUN active plans after after_id that may have something due (ids
 * in u->a, ascending); fewer at the end. */
SH_WUR enum sh_code uc_visit_plans_active(const struct uc *u, int64_t after_id, int64_t **ids,
                                          int *n, struct sh_err *e);

struct visit_gen_out {
    int created;  /* visits created now */
    int existing; /* due dates already created (by this or another instance) */
};
/* Creates the visits of plan `plan_id` due from today (local, Asia/Shanghai) up to today +
 * lead days, each once. An inactive plan creates nothing; a missing one is SH_NOT_FOUND. */
SH_WUR enum sh_code uc_visit_plan_generate(const struct uc *u, int64_t plan_id,
                                           struct visit_gen_out *out, struct sh_err *e);

struct visit_gen_all {
    int plans, created, existing, failed;
    char last_error[160]; /* the message of the last plan that failed */
};
/* The visit job's pass over every active plan at `now`: each plan in its own write
 * transaction (one that fails is retried on the next pass), as `who` (the job's principal
 * needs a planner role for the tickets' schedule_visit). Safe with several instances. */
SH_WUR enum sh_code app_visits_generate(struct app *app, const struct principal *who, int64_t now,
                                        struct visit_gen_all *out, struct sh_err *e);
/* The principal the visit job and `shouhou visits` act as. */
struct principal visits_job_principal(void);

/* The visits of a plan the caller may read (a technician: a plan they lead; SH_NOT_FOUND
 * otherwise), latest due date first, at most VISIT_RUNS_MAX. */
#define VISIT_RUNS_MAX 200
SH_WUR enum sh_code uc_visit_plan_runs(const struct uc *u, int64_t plan_id,
                                       struct visit_run_row **out, int *n, struct sh_err *e);

/* What the customer said on a visit; NULL fields are kept as they were. */
struct visit_findings_in {
    int64_t work_order_id;
    const char *usage, *design, *assembly, *process, *other;
};
struct visit_findings_out {
    struct visit_findings_row row;
    bool routed_now; /* this call sent the opinions to the technical department */
};
/* Records the findings on a periodic_visit work order in the caller's scope (404 outside;
 * 409 reason illegal_action on another kind). Opinions on design, assembly or process that
 * changed are routed to the technical department: a message to each of its active staff in
 * the outbox and an entry on the ticket's timeline. */
SH_WUR enum sh_code uc_visit_findings_record(const struct uc *u, const struct visit_findings_in *in,
                                             struct visit_findings_out *out, struct sh_err *e);
/* The findings of a work order in the caller's scope; *found false when none yet. */
SH_WUR enum sh_code uc_visit_findings_get(const struct uc *u, int64_t work_order_id,
                                          struct visit_findings_row *out, bool *found,
                                          struct sh_err *e);

#endif
