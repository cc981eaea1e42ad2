/* SPDX-License-Identifier: MIT */
/* The checklist of a work order (issue 11 item 4; R-149…R-153, WF-19 S9): the template
 * chosen by the unit's model series, product category and the work order's kind, what the
 * technician recorded per item (pass/fail, a measured value whose pass is computed from the
 * limit, a note, a photo), and the self-check gate that must pass before the customer's
 * acceptance is asked. */
#ifndef SH_APP_CHECKLISTS_H
#define SH_APP_CHECKLISTS_H

#include "app/uc.h"
#include "store/checklists.h"

/* One item with what was recorded for it. */
struct checklist_line {
    const struct cl_item_row *item;
    const struct cl_result_row *result; /* NULL: not answered yet */
    int photos;                         /* photos attached to the item */
};

struct checklist_view {
    int64_t work_order_id;
    bool has_template; /* false: no template applies (the gate passes) */
    bool fixed;        /* the template was fixed by a first answer */
    struct cl_template_row tpl;
    struct checklist_line *lines;
    int nlines;
    int before, after; /* photos before and after the work */
    bool passed;       /* the self-check gate passes */
    struct cl_gate gate;
};

/* The checklist of work order wo without a scope check (the gate and the report use it
 * inside their own scoped use case). */
SH_WUR enum sh_code checklist_view_load(const struct uc *u, int64_t wo, struct checklist_view *out,
                                        struct sh_err *e);

/* The self-check gate (R-149: customer acceptance only after the self-check). SH_OK when
 * the work order's checklist passed: every required item answered and passed, every required
 * photo present, the template's minimum of photos before and after taken; SH_OK too when no
 * template applies. Otherwise SH_CONFLICT (409) with reason "guard" and params
 * {"guard":"self_check","items":[failing item ids],"photos":["before"|"after"...]}.
 * No scope check: the caller's use case has loaded the work order in its scope. */
SH_WUR enum sh_code uc_checklist_gate(const struct uc *u, int64_t work_order_id, struct sh_err *e);

/* GET /work-orders/{id}/checklist: the checklist in the caller's scope. */
SH_WUR enum sh_code uc_checklist_get(const struct uc *u, int64_t wo, struct checklist_view *out,
                                     struct sh_err *e);

/* The crew of the work order (lead, helpers) or a planner may write its checklist and photos
 * while it is open: SH_NOT_FOUND outside the caller's scope, SH_FORBIDDEN (reason forbidden),
 * SH_CONFLICT (reason illegal_action {status}) once it is finished or cancelled. */
SH_WUR enum sh_code checklist_may_write(const struct uc *u, int64_t wo, struct sh_err *e);

/* What the technician records for one item. */
struct checklist_record_in {
    int64_t work_order_id, item_id;
    bool has_passed; /* check/conduct/photo: pass or fail; refused on a measurement */
    bool passed;
    const char *value; /* measurement: decimal text ("1.5"), required there, refused elsewhere */
    const char *note;  /* NULL: "" */
    int64_t photo_id;  /* 0: none; a photo of this work order */
};

/* PUT/POST /work-orders/{id}/checklist/items/{item}: records (or replaces) the answer of
 * one item by the crew or a planner while the work order is open; fixes the template at the
 * first answer; audited. out gets the checklist after the change. */
SH_WUR enum sh_code uc_checklist_record(const struct uc *u, const struct checklist_record_in *in,
                                        struct checklist_view *out, struct sh_err *e);

#endif
