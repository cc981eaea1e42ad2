/* SPDX-License-Identifier: MIT */
/* Work orders: load with the access scope, create, list (app/work_orders.h). */
#include "app/work_orders.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/entity.h"
#include "app/ticket_actions.h"
#include "app/work_order_int.h"
#include "base/date.h"

static enum sh_code required(struct sh_err *e, const char *field, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, "required", NULL);
}

static enum sh_code not_found(int64_t id, struct sh_err *e)
{
    return sh_err_set(e, SH_NOT_FOUND, "work order %" PRId64 " not found", id);
}

enum sh_code uc_work_order_load(const struct uc *u, int64_t id, struct wo_view *out,
                                struct sh_err *e)
{
    if (principal_external(u->who))
        return not_found(id, e);
    struct wo_row w;
    enum sh_code rc = wo_get(u->tx, u->a, id, &w, e);
    if (rc || (rc = wo_view_fill(u, &w, out, e)))
        return rc;
    /* a technician sees the work orders they lead or help on */
    if (principal_technician_only(u->who) && !out->crew)
        return not_found(id, e);
    return SH_OK;
}

enum sh_code uc_work_order_crew_ref(const struct uc *u, const char *field, int64_t id,
                                    struct sh_err *e)
{
    if (!id || !principal_technician_only(u->who))
        return SH_OK;
    struct wo_view v;
    enum sh_code rc = uc_work_order_load(u, id, &v, e);
    if (rc != SH_NOT_FOUND)
        return rc;
    sh_err_clear(e);
    sh_err_field(e, SH_INVALID, field, "work order %" PRId64 " is not one of yours", id);
    return sh_err_reason(e, "unknown_reference", "{\"entity\":\"work_order\"}");
}

enum sh_code uc_work_order_crew_write(const struct ent_write *w, struct sh_err *e)
{
    int k = ent_colidx(w->ent, "work_order_id");
    const char *now = ent_val(w, "work_order_id"), *was = w->old && k >= 0 ? w->old[k] : NULL;
    enum sh_code rc =
        uc_work_order_crew_ref(w->u, "work_order_id", now ? strtoll(now, NULL, 10) : 0, e);
    if (!rc && was && *was)
        rc = uc_work_order_crew_ref(w->u, "work_order_id", strtoll(was, NULL, 10), e);
    return rc;
}

/* A ticket whose state takes schedule_visit books through it (roles, guards, the ticket's
 * appointment and owner); the hook (work_order_ticket.c) makes the work order. */
static enum sh_code book_via_ticket(const struct uc *u, const struct wo_create_in *in, int64_t *id,
                                    struct sh_err *e)
{
    struct ticket_action_in ta = {.id = in->ticket_id,
                                  .act = TA_SCHEDULE_VISIT,
                                  .note = in->note,
                                  .assignee_id = in->lead_id,
                                  .visit_at = in->appointment_at,
                                  .if_match = -1};
    struct ticket_action_out tout = {0};
    struct wo_row w;
    bool found = false;
    enum sh_code rc;
    if ((rc = uc_ticket_action(u, &ta, &tout, e)) ||
        (rc = wo_open_of_ticket(u->tx, u->a, in->ticket_id, &w, &found, e)))
        return rc;
    if (!found)
        return sh_err_set(e, SH_INTERNAL, "schedule_visit made no work order");
    *id = w.id;
    /* what the ticket action does not carry */
    bool dirty = false;
    if (in->kind && strcmp(in->kind, w.kind))
        w.kind = in->kind, dirty = true;
    if (in->tolerance_min >= 0 && in->tolerance_min != w.tolerance_min)
        w.tolerance_min = in->tolerance_min, dirty = true;
    if (in->early_target_min >= 0 && in->early_target_min != w.early_target_min)
        w.early_target_min = in->early_target_min, dirty = true;
    if (in->duration_min > 0 && in->duration_min != w.duration_min)
        w.duration_min = in->duration_min, dirty = true;
    if (in->override_reason && *in->override_reason)
        w.override_reason = in->override_reason, dirty = true;
    if (in->note && *in->note)
        w.note = in->note, dirty = true;
    if (!dirty)
        return SH_OK;
    char now[21];
    sh_ts_format(u->now, now);
    if ((rc = wo_set_window(u, &w, e)))
        return rc;
    return wo_store(u->tx, &w, now, e);
}

static enum sh_code check_create(const struct uc *u, const struct wo_create_in *in,
                                 const struct ticket_row *t, struct sh_err *e)
{
    struct wo_row open;
    bool found = false;
    enum sh_code rc = wo_open_of_ticket(u->tx, u->a, t->id, &open, &found, e);
    if (rc)
        return rc;
    if (found) {
        sh_err_field(e, SH_CONFLICT, "ticket_id",
                     "the ticket has the open work order %s: re-book it (PATCH) instead",
                     open.number);
        return sh_err_reason(e, "duplicate", "{\"work_order_id\":%" PRId64 "}", open.id);
    }
    if (in->lead_id && (rc = wo_check_staff(u, in->lead_id, "lead_id", e)))
        return rc;
    for (int i = 0; i < in->nhelpers; i++)
        if ((rc = wo_check_staff(u, in->helpers[i], "helper_ids", e)))
            return rc;
    /* item 8: conflicts refuse the booking unless overridden with a reason */
    struct wo_check_in ci = {.ticket_id = t->id,
                             .lead_id = in->lead_id,
                             .helpers = in->helpers,
                             .nhelpers = in->nhelpers,
                             .appointment_at = in->appointment_at,
                             .duration_min = in->duration_min};
    struct wo_check_out co;
    if ((rc = uc_work_order_check(u, &ci, &co, e)))
        return rc;
    return wo_conflicts_refuse(&co, in->override_reason, e);
}

enum sh_code uc_work_order_create(const struct uc *u, const struct wo_create_in *in,
                                  struct wo_view *out, struct sh_err *e)
{
    struct ticket_row t;
    enum sh_code rc = uc_ticket_load(u, in->ticket_id, &t, e);
    if (rc == SH_NOT_FOUND) {
        sh_err_field(e, SH_INVALID, "ticket_id", "no such ticket %" PRId64, in->ticket_id);
        rc = sh_err_reason(e, "unknown_reference", NULL);
    }
    if (rc || (rc = check_create(u, in, &t, e)))
        return rc;
    enum ticket_type type;
    enum ticket_state st, to;
    if (!ticket_type_parse(t.type, &type) || !ticket_state_parse(t.status, &st))
        return sh_err_set(e, SH_INTERNAL, "stored ticket has an unknown type or state");
    struct sh_err probe;
    sh_err_clear(&probe);
    int64_t id = 0;
    bool factory = in->kind && !strcmp(in->kind, "factory_repair");
    if (ticket_transition(type, st, TA_SCHEDULE_VISIT, ROLES_ALL, &to, &probe) != SH_CONFLICT) {
        if (!in->appointment_at)
            return required(e, "appointment_at", "a visit needs appointment_at");
        rc = book_via_ticket(u, in, &id, e);
    } else if (factory && !ticket_state_terminal(st)) {
        struct wo_booking b = {.kind = in->kind,
                               .lead_id = in->lead_id,
                               .appointment_at = in->appointment_at,
                               .tolerance_min = in->tolerance_min,
                               .early_target_min = in->early_target_min,
                               .duration_min = in->duration_min,
                               .note = in->note,
                               .override_reason = in->override_reason};
        rc = wo_book(u, &t, &b, &id, e);
    } else {
        sh_err_set(e, SH_CONFLICT, "a %s ticket in state '%s' cannot be booked: %s", t.type,
                   t.status, probe.msg);
        return sh_err_reason(e, "illegal_action",
                             "{\"status\":\"%s\",\"action\":\"schedule_visit\"}", t.status);
    }
    if (!rc && in->nhelpers)
        rc = wo_set_helpers(u->tx, id, in->helpers, in->nhelpers, e);
    if (rc || (rc = uc_work_order_load(u, id, out, e)))
        return rc;
    return uc_audit(u, "work_order", id, "create", NULL, work_order_json(u->a, out), e);
}

enum sh_code uc_work_order_list(const struct uc *u, const struct wo_list_in *in,
                                struct wo_list_out *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    if (principal_external(u->who))
        return SH_OK;
    struct wo_filter f = in->f;
    if (in->mine || principal_technician_only(u->who))
        f.crew_user = u->who->user_id;
    struct db_rows r;
    enum sh_code rc = wo_list(u->tx, u->a, &f, &r, &out->total, e);
    if (rc)
        return rc;
    out->more = r.nrows > f.limit;
    out->n = out->more ? f.limit : r.nrows;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(out->n ? out->n : 1));
    struct wo_place *places = sh_arena_alloc(u->a, sizeof(*places) * (size_t)(out->n ? out->n : 1));
    for (int i = 0; i < out->n; i++) {
        wo_row_read(&r, i, &out->rows[i]);
        wo_place_read(u->a, &r, i, &places[i]);
        out->rows[i].place = &places[i];
    }
    return SH_OK;
}
