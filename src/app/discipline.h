/* SPDX-License-Identifier: MIT */
/* The department's discipline (issue 18 item 7; docs/discipline.md): spot checks and patrols
 * with their corrective actions, staff training sessions and attendance,
 * conduct complaints against staff (R-164, read only by the heads) and staff suggestions with
 * the superior's reply. Plain records are entities (app/discipline_entities.c); the
 * steps are the use cases below. */
#ifndef SH_APP_DISCIPLINE_H
#define SH_APP_DISCIPLINE_H

#include "app/entity.h"

extern const struct entity ent_spot_checks, ent_corrective_actions, ent_staff_trainings,
    ent_training_attendances, ent_conduct_complaints, ent_suggestions;

/* One step of a corrective action (start, finish, verify, reopen) by its owner or a head
 * (domain/discipline.c); *json the record after it. */
struct ca_step_in {
    int64_t id;
    int64_t if_match; /* < 0: any version */
    const char *action;
    const char *note; /* finish: what was done; reopen: why not (may be NULL) */
};
SH_WUR enum sh_code uc_corrective_step(const struct uc *u, const struct ca_step_in *in,
                                       const char **json, struct sh_err *e);

/* The addressee's reply to a submitted suggestion: accepted, rejected or noted. */
struct suggestion_reply_in {
    int64_t id;
    const char *status;
    const char *reply;
};
SH_WUR enum sh_code uc_suggestion_reply(const struct uc *u, const struct suggestion_reply_in *in,
                                        const char **json, struct sh_err *e);

/* Whom a suggestion may be addressed to: the active heads (dept_head, gm), by name. */
struct addressee {
    int64_t id;
    const char *name, *roles;
};
SH_WUR enum sh_code uc_suggestion_addressees(const struct uc *u, struct addressee **out, int *n,
                                             struct sh_err *e);

/* Conduct complaints counted per staff member and category between two local dates
 * (inclusive; NULL: open-ended), most first. */
struct conduct_count {
    int64_t user_id;
    const char *name;
    int64_t total, arguing, asking_money, unreasonable_demand, other, open;
};
struct conduct_report {
    struct conduct_count *rows;
    int n;
    int64_t total;
};
SH_WUR enum sh_code uc_report_conduct(const struct uc *u, const char *from, const char *to,
                                      struct conduct_report *out, struct sh_err *e);

#endif
