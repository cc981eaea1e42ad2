/* SPDX-License-Identifier: MIT */
/* Department coordination requests (部门协调单, F-08, WF-22, R-034, R-109; issue 12 item 7)
 * declared on the entity engine: after-sales asks another department for a vehicle,
 * manpower, technical support, a materials check or a delivery date; the owner department
 * replies by a due time. WF-22 states: raised → acknowledged → fulfilled / refused → closed.
 * Open requests past their due time are overdue (view overdue=true; the list sorted by
 * due_at puts them on top). project_id and shipment_id name records of other modules. */
#include "app/coordination.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/resources.h"
#include "app/ticket_entities.h"
#include "base/date.h"

static const char *const kinds[] = {
    "vehicle", "manpower", "technical_support", "materials_check", "delivery_date", "other", NULL};
static const char *const statuses[] = {"raised",  "acknowledged", "fulfilled",
                                       "refused", "closed",       NULL};

static const struct col coord_cols[] = {
    COMMON_COLS,
    {"kind", F_ENUM, COL_REQUIRED | COL_FILTER, 0, kinds, 0, 0, NULL},
    {"department_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_departments},
    {"subject", F_STR, COL_REQUIRED | COL_SORT, 200, NULL, 0, 0, NULL},
    {"details", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"ticket_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"project_id", F_INT, COL_NULLABLE | COL_FILTER, 0, NULL, 1, 9e15, NULL},
    {"shipment_id", F_INT, COL_NULLABLE | COL_FILTER, 0, NULL, 1, 9e15, NULL},
    {"due_at", F_TS, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"status", F_ENUM, COL_FILTER | COL_SORT, 0, statuses, 0, 0, NULL},
    {"reply", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"replied_by", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"replied_at", F_TS, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"requested_by", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0,
     &ent_users},
};

static const struct list_view coord_views[] = {
    {"state", "open", "t.status IN ('raised', 'acknowledged')"},
    {"state", "done", "t.status IN ('fulfilled', 'refused', 'closed')"},
    {"overdue", "true", "t.status IN ('raised', 'acknowledged') AND t.due_at < {now}"},
    {"department", "mine", "t.department_id = {dept}"},
    {NULL, NULL, NULL},
};

static struct fval *slot(struct ent_write *w, const char *name)
{
    int i = ent_colidx(w->ent, name);
    return i >= 0 ? &w->vals[i] : NULL;
}

static const char *val(struct ent_write *w, const char *name)
{
    const struct fval *v = slot(w, name);
    return v && v->present && !v->is_null ? v->text : NULL;
}

static const char *old(struct ent_write *w, const char *name)
{
    int i = ent_colidx(w->ent, name);
    return w->old && i >= 0 ? w->old[i] : NULL;
}

static void set(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = slot(w, name);
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
}

/* RULE WF-22: the steps a request may take; closed is the end. */
static bool step_allowed(const char *from, const char *to)
{
    if (!strcmp(from, to))
        return true;
    if (!strcmp(from, "raised"))
        return strcmp(to, "closed") != 0;
    if (!strcmp(from, "acknowledged"))
        return !strcmp(to, "fulfilled") || !strcmp(to, "refused");
    if (!strcmp(from, "fulfilled") || !strcmp(from, "refused"))
        return !strcmp(to, "closed");
    return false;
}

/* RULE WF-22: the request is its raiser's (and the heads'); the other staff answer it: on
 * their PATCH only status and reply change (403 read_only naming the field). */
static enum sh_code answer_only(struct ent_write *w, struct sh_err *e)
{
    const struct uc *u = w->u;
    const char *by = old(w, "requested_by");
    if (w->creating || (u->who->roles & (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD))) ||
        (by && u->who->user_id && strtoll(by, NULL, 10) == u->who->user_id))
        return SH_OK;
    for (int i = 0; i < w->ent->ncols; i++) {
        const char *name = w->ent->cols[i].name;
        if (!strcmp(name, "status") || !strcmp(name, "reply") || !ent_changed(w, name))
            continue;
        sh_err_field(e, SH_FORBIDDEN, name, "only the raiser changes the request; reply to it");
        return sh_err_reason(e, "read_only", NULL);
    }
    return SH_OK;
}

static enum sh_code coord_before(struct ent_write *w, struct sh_err *e)
{
    const struct uc *u = w->u;
    enum sh_code rc = answer_only(w, e);
    if (rc)
        return rc;
    const char *to = val(w, "status") ? val(w, "status") : "raised";
    const char *from = w->creating ? "raised" : old(w, "status");
    if (w->creating) {
        set(w, "requested_by",
            u->who->user_id ? sh_arena_printf(u->a, "%" PRId64, u->who->user_id) : NULL);
        set(w, "status", "raised");
        to = "raised";
    } else if (from && !step_allowed(from, to)) {
        sh_err_field(e, SH_CONFLICT, "status", "a %s request cannot become %s", from, to);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"%s\"}", from,
                             to);
    }
    const char *reply = val(w, "reply");
    if ((!strcmp(to, "fulfilled") || !strcmp(to, "refused")) && (!reply || !*reply)) {
        sh_err_field(e, SH_INVALID, "reply", "a fulfilled or refused request needs the reply");
        return sh_err_reason(e, "required", NULL);
    }
    const char *was = w->creating ? "" : old(w, "reply");
    if (reply && *reply && strcmp(reply, was ? was : "")) {
        char *now = sh_arena_alloc(u->a, 21);
        sh_ts_format(u->now, now);
        set(w, "replied_by",
            u->who->user_id ? sh_arena_printf(u->a, "%" PRId64, u->who->user_id) : NULL);
        set(w, "replied_at", now);
    }
    return SH_OK;
}

const struct entity ent_coordination = {
    .name = "coordination",
    .table = "coordination_requests",
    .cols = coord_cols,
    .ncols = NCOLS(coord_cols),
    .views = coord_views,
    .label_col = "subject",
    .default_sort = "due_at",
    .before_write = coord_before,
};
