/* SPDX-License-Identifier: MIT */
/* RMAs: opened by the ticket's send_to_factory, the page, the QC photos and the unit's
 * status (app/rmas.h). The actions are in app/rma_actions.c. */
#include "app/rmas.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/entity.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "store/rmas.h"
#include "store/tickets.h"

extern const struct entity ent_units;

/* RMyyyymmdd-nnn, by the local day it is opened (the style of shipments' SH numbers). */
static enum sh_code next_number(const struct uc *u, const char **number, struct sh_err *e)
{
    struct sh_date d = ticket_local_date(u->now);
    const char *prefix = sh_arena_printf(u->a, "RM%04d%02d%02d-", d.y, d.m, d.d);
    int64_t n;
    enum sh_code rc = rmas_count_prefix(u->tx, u->a, prefix, &n, e);
    if (!rc)
        *number = sh_arena_printf(u->a, "%s%03" PRId64, prefix, n + 1);
    return rc;
}

enum sh_code rma_unit_status(const struct uc *u, int64_t unit_id, const char *status,
                             struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT install_date, status FROM units WHERE id = $1",
                               DB_P(DB_INT(unit_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    if (!status) /* back at the customer */
        status = db_get(&r, 0, "install_date") ? "installed" : "shipped";
    if (!strcmp(db_get(&r, 0, "status"), status))
        return SH_OK;
    struct fval *v = sh_arena_alloc(u->a, sizeof(struct fval) * (size_t)ent_units.ncols);
    memset(v, 0, sizeof(struct fval) * (size_t)ent_units.ncols);
    int i = ent_colidx(&ent_units, "status");
    json_t *j = json_string(status);
    rc = ent_parse_value(u->a, &ent_units.cols[i], j, &v[i], e);
    json_decref(j);
    struct ent_written w;
    return rc ? rc : uc_ent_update(u, &ent_units, unit_id, -1, v, &w, e);
}

static void put(const struct uc *u, struct fval *v, const char *name, const char *text,
                enum sh_code *rc, struct sh_err *e)
{
    int i = ent_colidx(&ent_units, name);
    if (*rc || i < 0 || !text)
        return;
    json_t *j =
        ent_units.cols[i].kind == F_ID ? json_integer(strtoll(text, NULL, 10)) : json_string(text);
    *rc = ent_parse_value(u->a, &ent_units.cols[i], j, &v[i], e);
    json_decref(j);
}

enum sh_code rma_unit_replaces(const struct uc *u, int64_t old_id, int64_t new_id,
                               const char *received_on, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT customer_id, site_id, install_date FROM units WHERE id = $1",
                 DB_P(DB_INT(old_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    struct fval *v = sh_arena_alloc(u->a, sizeof(struct fval) * (size_t)ent_units.ncols);
    memset(v, 0, sizeof(struct fval) * (size_t)ent_units.ncols);
    put(u, v, "customer_id", db_get(&r, 0, "customer_id"), &rc, e);
    put(u, v, "site_id", db_get(&r, 0, "site_id"), &rc, e);
    if (db_get(&r, 0, "install_date"))
        put(u, v, "install_date", received_on, &rc, e);
    struct ent_written w;
    return rc ? rc : uc_ent_update(u, &ent_units, new_id, -1, v, &w, e);
}

enum sh_code uc_rma_open(const struct uc *u, int64_t ticket_id, const char *fault, int64_t *id,
                         struct sh_err *e)
{
    struct ticket_row t;
    *id = 0;
    enum sh_code rc = tickets_get(u->tx, u->a, ticket_id, &t, e);
    if (rc || !t.unit_id || (rc = rmas_open_of_ticket(u->tx, u->a, ticket_id, id, e)) || *id)
        return rc;
    struct db_rows un;
    if ((rc = db_query(u->tx, u->a, "SELECT site_id FROM units WHERE id = $1",
                       DB_P(DB_INT(t.unit_id)), &un, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    const char *ws = t.warranty_status ? t.warranty_status : "unknown";
    struct rma_new r = {.state = "awaiting_return",
                        .warranty_status = ws,
                        .fault = fault ? fault : "",
                        .at = now,
                        .ticket_id = ticket_id,
                        .unit_id = t.unit_id,
                        .customer_id = t.customer_id,
                        .site_id = un.nrows ? db_get_int(&un, 0, "site_id", 0) : 0,
                        .created_by = u->who ? u->who->user_id : 0,
                        .chargeable = rma_chargeable(ws)};
    if ((rc = next_number(u, &r.number, e)) || (rc = rmas_insert(u->tx, u->a, &r, id, e)) ||
        (rc = rma_event_add(u->tx, *id, "open", "", "awaiting_return", r.fault, r.created_by, now,
                            e)))
        return rc;
    if ((rc = uc_audit(u, "rma", *id, "create", NULL,
                       sh_arena_printf(u->a, "{\"number\":\"%s\",\"ticket_id\":%" PRId64 "}",
                                       r.number, ticket_id),
                       e)))
        return rc;
    return uc_ticket_event(
        u, ticket_id, "rma", "customer", r.number,
        sh_arena_printf(u->a, "{\"rma_id\":%" PRId64 ",\"number\":\"%s\"}", *id, r.number), NULL,
        e);
}

enum sh_code uc_rma_ticket_guard(const struct uc *u, int64_t ticket_id, struct sh_err *e)
{
    int64_t id;
    enum sh_code rc = rmas_open_of_ticket(u->tx, u->a, ticket_id, &id, e);
    if (rc || !id)
        return rc;
    sh_err_set(e, SH_CONFLICT,
               "the unit is in a return to the factory (RMA %" PRId64
               "): the ticket is resolved when the RMA is closed",
               id);
    return sh_err_reason(e, "guard", "{\"guard\":\"rma\",\"rma_id\":%" PRId64 "}", id);
}

enum sh_code uc_rma_get(const struct uc *u, int64_t id, struct rma_view *out, struct sh_err *e)
{
    enum sh_code rc = rmas_get(u->tx, u->a, id, &out->row, e);
    if (rc)
        return rc;
    out->external = principal_external(u->who);
    if (out->external && db_get_int(&out->row, 0, "customer_id", 0) != u->who->customer_id)
        return sh_err_set(e, SH_NOT_FOUND, "RMA not found");
    out->nallowed = 0;
    out->return_overdue = false;
    out->events.nrows = out->photos.nrows = 0;
    enum rma_state st = RMS_AWAITING_RETURN;
    rma_state_parse(db_get(&out->row, 0, "state"), &st);
    /* the actions open now; a customer's is the consent to a proposed charge (WF-20 S5) */
    out->nallowed = rma_offered_actions(
        st, u->who->roles, db_get_int(&out->row, 0, "advance", 0) != 0,
        db_get(&out->row, 0, "ticket_type"), db_get_int(&out->row, 0, "charge_fen", 0),
        db_get(&out->row, 0, "consent_decision"), out->allowed);
    out->return_overdue =
        rma_return_overdue(st, db_get_int(&out->row, 0, "advance", 0) != 0,
                           db_get(&out->row, 0, "return_due"), ticket_local_date(u->now));
    if (out->external)
        return SH_OK;
    if ((rc = rma_events(u->tx, u->a, id, &out->events, e)))
        return rc;
    return rma_photos(u->tx, u->a, id, 0, &out->photos, e);
}

enum sh_code uc_rma_photo_add(const struct uc *u, const struct rma_photo_in *in, int64_t *photo_id,
                              struct sh_err *e)
{
    struct db_rows row, ph;
    /* the row taken first: parallel uploads cannot all see room for one more */
    enum sh_code rc = db_lock_row(u->tx, "rmas", in->rma_id, e);
    if (rc || (rc = rmas_get(u->tx, u->a, in->rma_id, &row, e)) ||
        (rc = rma_photos(u->tx, u->a, in->rma_id, 0, &ph, e)))
        return rc;
    enum rma_state st = RMS_AWAITING_RETURN;
    rma_state_parse(db_get(&row, 0, "state"), &st);
    if (!rma_photo_phase_open(st, in->phase)) {
        sh_err_set(e, SH_CONFLICT, "an RMA in state '%s' takes no %s inspection photo",
                   rma_state_name(st), in->phase);
        return sh_err_reason(e, "guard", "{\"guard\":\"photo_phase\",\"state\":\"%s\"}",
                             rma_state_name(st));
    }
    if (ph.nrows >= RMA_PHOTOS_LIMIT) {
        sh_err_field(e, SH_UNPROCESSABLE, "file", "at most %d photos per RMA", RMA_PHOTOS_LIMIT);
        return sh_err_reason(e, "too_many", "{\"max\":%d}", RMA_PHOTOS_LIMIT);
    }
    char now[21];
    sh_ts_format(u->now, now);
    struct rma_photo_new p = {.rma_id = in->rma_id,
                              .created_by = u->who->user_id,
                              .size = (int64_t)in->blob->size,
                              .phase = in->phase,
                              .sha256 = in->blob->sha,
                              .filename = in->blob->filename ? in->blob->filename : "",
                              .mime = in->blob->mime,
                              .at = now};
    if ((rc = rma_photo_insert(u->tx, u->a, &p, photo_id, e)))
        return rc;
    return uc_audit(u, "rma", in->rma_id, "photo", NULL,
                    sh_arena_printf(u->a,
                                    "{\"photo_id\":%" PRId64 ",\"phase\":\"%s\",\"sha256\":\"%s\"}",
                                    *photo_id, in->phase, in->blob->sha),
                    e);
}

enum sh_code uc_rma_photo_get(const struct uc *u, int64_t id, int64_t photo_id, struct db_rows *out,
                              struct sh_err *e)
{
    struct rma_view v;
    enum sh_code rc = uc_rma_get(u, id, &v, e);
    if (rc)
        return rc;
    if (v.external)
        return sh_err_set(e, SH_NOT_FOUND, "photo not found");
    if ((rc = rma_photos(u->tx, u->a, id, photo_id, out, e)))
        return rc;
    return out->nrows ? SH_OK : sh_err_set(e, SH_NOT_FOUND, "photo not found");
}
