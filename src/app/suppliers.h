/* SPDX-License-Identifier: MIT */
/* Outside makers (外协厂家) with their after-sales commitment per product model or component
 * and the supplier cases purchasing follows with them (WF-09 S3a, R-068; issue 18
 * item 5; docs/telephone.md). Suppliers and commitments are plain entities; a case is written
 * only by the use cases of app/supplier_cases.c. */
#ifndef SH_APP_SUPPLIERS_H
#define SH_APP_SUPPLIERS_H

#include "app/entity.h"

extern const struct entity ent_suppliers, ent_supplier_commitments, ent_supplier_cases;

struct supplier_case_in {
    int64_t ticket_id;      /* 0: none (a faulty part names its work order's ticket) */
    int64_t part_id;        /* the component, or 0 and … */
    int64_t model_id;       /* … the product model (0: the ticket's unit's model) */
    int64_t faulty_part_id; /* 0: none */
    int64_t task_id;        /* the purchasing task when one exists already; 0: open one */
    const char *problem;
};
/* RULE R-013, WF-09 S3a: a problem on a component or model that an active supplier has a
 * commitment for (valid today; a component's before its model's) goes to purchasing: a case in
 * to_purchasing with the commitment's response time and a task for the role purchasing.
 * 422 no_commitment when none covers it. */
SH_WUR enum sh_code uc_supplier_case_open(const struct uc *u, const struct supplier_case_in *in,
                                          int64_t *id, struct sh_err *e);
/* The faulty-part route (app/parts_entities.c): the same when a commitment covers the part,
 * nothing otherwise. */
SH_WUR enum sh_code supplier_case_route_part(const struct uc *u, const struct supplier_case_in *in,
                                             struct sh_err *e);

struct supplier_case_act_in {
    int64_t id;
    const char *action; /* send, answer, close */
    const char *answer; /* answer: the supplier's answer */
    const char *at;     /* when it happened (UTC; not in the future); NULL: now */
};
/* The steps of domain/supplier.c (409 illegal_action otherwise); answer records the hours it
 * took from sent and met/late against the commitment; close closes the purchasing task.
 * *json: the case after. */
SH_WUR enum sh_code uc_supplier_case_act(const struct uc *u, const struct supplier_case_act_in *in,
                                         const char **json, struct sh_err *e);

#endif
