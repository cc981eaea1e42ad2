/* SPDX-License-Identifier: MIT */
/* The customer complaint/return notice (客户抱怨(退货)通知单, F-11; WF-07, WF-09, R-037;
 * issue 14 item 4; docs/complaints.md): filed and edited through the entity engine
 * (app/complaint_entities.c), routed to the responsible departments (each acknowledging), a
 * serious quality problem escalated to the general manager in the same transaction, then the
 * explicit actions of domain/complaint.c: analysis, the decision with its charge or credit,
 * QA's verification, close or refuse. */
#ifndef SH_APP_COMPLAINTS_H
#define SH_APP_COMPLAINTS_H

#include "app/uc.h"
#include "domain/complaint.h"
#include "store/db.h"

extern const struct entity ent_complaints, ent_material_samples;

/* CPyyyymmdd-nnn by the local day it is filed. */
SH_WUR enum sh_code complaint_next_number(const struct uc *u, const char **number,
                                          struct sh_err *e);

/* RULE GEN 三.9, FUR 2.4.8: a serious quality problem reaches every active general manager at
 * once: the event quality_major through the outbox (once per gm) and a task for the role gm,
 * inside the caller's transaction. */
SH_WUR enum sh_code uc_complaint_escalate(const struct uc *u, int64_t id, struct sh_err *e);

struct complaint_view {
    struct db_rows row, routes, events;
    enum complaint_action allowed[COMPLAINT_ACTION_COUNT];
    int nallowed;
    bool external; /* a customer account: the notice without the internal columns */
};
SH_WUR enum sh_code uc_complaint_get(const struct uc *u, int64_t id, struct complaint_view *out,
                                     struct sh_err *e);

struct complaint_route_in {
    int64_t department_id; /* 0: none */
    const char *role;      /* NULL: the department's head */
};

#define COMPLAINT_ROUTES_MAX 8

struct complaint_action_in {
    int64_t id, if_match; /* -1: no check */
    enum complaint_action action;
    const char *note;
    struct complaint_route_in routes[COMPLAINT_ROUTES_MAX]; /* route */
    int nroutes;
    const char *cause_category, *cause_analysis, *corrective_action; /* analyse */
    const char *decision;                                            /* act */
    int64_t charge_fen, credit_fen;                                  /* -1: not given */
    const char *verification;                                        /* verify, reopen */
};
SH_WUR enum sh_code uc_complaint_action(const struct uc *u, const struct complaint_action_in *in,
                                        struct sh_err *e);

/* A routed department (or role) acknowledges the notice: the caller must be of that
 * department or hold that role (admin: any); 409 guard acknowledged when done already. */
SH_WUR enum sh_code uc_complaint_ack(const struct uc *u, int64_t id, int64_t route_id,
                                     const char *note, struct sh_err *e);

#endif
