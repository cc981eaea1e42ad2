/* SPDX-License-Identifier: MIT */
/* Release: the units of a shipment's lines in the installed base, created or updated
 * through the unit entity (its warranty hook and audit rows). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/entity.h"
#include "app/shipments.h"
#include "store/rmas.h"
#include "store/shipments.h"

extern const struct entity ent_units;

struct unit_vals {
    const struct uc *u;
    struct fval *v;
    enum sh_code rc;
    struct sh_err *e;
};

static void set(struct unit_vals *x, const char *name, json_t *j)
{
    int i = ent_colidx(&ent_units, name);
    if (!x->rc && i >= 0 && j)
        x->rc = ent_parse_value(x->u->a, &ent_units.cols[i], j, &x->v[i], x->e);
    json_decref(j);
}

static void set_id(struct unit_vals *x, const char *name, const char *id)
{
    if (id)
        set(x, name, json_integer(strtoll(id, NULL, 10)));
}

/* RULE WF-05 S8, WF-20 S7: a unit under an open RMA is at the factory; it goes back to the
 * customer only on that RMA's own ship-back (behind the RMA's guards: the payment), and not
 * even there when the RMA replaces it (WF-06: the ship-back carries the new unit). */
static enum sh_code in_rma(const struct uc *u, int64_t shipment_id, int64_t unit_id,
                           const char *serial, int64_t line_no, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = rmas_open_of_unit_elsewhere(u->tx, u->a, unit_id, shipment_id, &r, e);
    if (rc || !r.nrows)
        return rc;
    const char *number = db_get(&r, 0, "number");
    const char *params =
        sh_arena_printf(u->a, "{\"line_no\":%" PRId64 ",\"rma_id\":%" PRId64 ",\"number\":\"%s\"}",
                        line_no, db_get_int(&r, 0, "id", 0), number);
    if (db_get_int(&r, 0, "own", 0)) {
        /* RULE WF-06 S4: the ship-back of a replacement carries the new unit */
        sh_err_field(e, SH_CONFLICT, "serial_no",
                     "serial number '%.60s' (line %" PRId64 ") is the unit RMA %s replaces: its "
                     "ship-back carries the new unit's serial number",
                     serial, line_no, number);
        return sh_err_reason(e, "serial_replaced", "%s", params);
    }
    sh_err_field(e, SH_CONFLICT, "serial_no",
                 "serial number '%.60s' (line %" PRId64 ") is the unit of RMA %s (%s): it goes "
                 "back to the customer only on that RMA's ship-back",
                 serial, line_no, number, db_get(&r, 0, "state"));
    return sh_err_reason(e, "serial_in_rma", "%s", params);
}

enum sh_code shipment_serial_check(const struct uc *u, int64_t shipment_id, int64_t customer_id,
                                   int64_t model_id, const char *serial, int64_t line_no,
                                   int64_t *unit_id, struct sh_err *e)
{
    int64_t owner;
    enum sh_code rc = shipment_unit_of_serial(u->tx, u->a, model_id, serial, unit_id, &owner, e);
    if (rc || !*unit_id)
        return rc;
    if (!owner || owner == customer_id)
        return in_rma(u, shipment_id, *unit_id, serial, line_no, e);
    sh_err_field(e, SH_CONFLICT, "serial_no",
                 "serial number '%.60s' (line %" PRId64 ") belongs to a unit of another customer",
                 serial, line_no);
    return sh_err_reason(e, "serial_taken", "{\"line_no\":%" PRId64 "}", line_no);
}

/* RULE WF-05 S8: a unit the customer already had (a repaired unit an RMA ships back) keeps
 * the production and ship dates it has, so its warranty does not restart from this shipment;
 * a new unit, or one from stock, takes the line's. The line keeps this shipment's dates. */
static enum sh_code line_dates(const struct uc *u, struct unit_vals *x, const struct db_rows *l,
                               int i, int64_t unit_id, struct sh_err *e)
{
    static const char *const cols[2] = {"production_date", "ship_date"};
    struct db_rows k = {.nrows = 0};
    enum sh_code rc =
        unit_id
            ? db_query(u->tx, u->a,
                       "SELECT customer_id, production_date, ship_date FROM units WHERE id = $1",
                       DB_P(DB_INT(unit_id)), &k, e)
            : SH_OK;
    bool own = !rc && k.nrows && db_get(&k, 0, "customer_id");
    for (int c = 0; !rc && c < 2; c++)
        if (!own || !db_get(&k, 0, cols[c]))
            set(x, cols[c], json_string(db_get(l, i, cols[c])));
    return rc;
}

static enum sh_code one_unit(const struct uc *u, const struct db_rows *s, const struct db_rows *l,
                             int i, struct sh_err *e)
{
    struct unit_vals x = {
        .u = u, .v = sh_arena_alloc(u->a, sizeof(struct fval) * (size_t)ent_units.ncols), .e = e};
    memset(x.v, 0, sizeof(struct fval) * (size_t)ent_units.ncols);
    const char *vals[2] = {db_get(l, i, "model_id"), db_get(l, i, "serial_no")};
    int64_t unit_id = 0;
    enum sh_code rc = shipment_serial_check(
        u, db_get_int(s, 0, "id", 0), db_get_int(s, 0, "customer_id", 0),
        db_get_int(l, i, "model_id", 0), vals[1], db_get_int(l, i, "line_no", 0), &unit_id, e);
    if (rc)
        return rc;
    set_id(&x, "customer_id", db_get(s, 0, "customer_id"));
    set_id(&x, "site_id", db_get(s, 0, "site_id"));
    set_id(&x, "contract_id", db_get(s, 0, "contract_id"));
    if ((rc = line_dates(u, &x, l, i, unit_id, e)))
        return rc;
    set(&x, "status", json_string("shipped"));
    if (!unit_id) {
        set_id(&x, "model_id", vals[0]);
        set(&x, "serial_no", json_string(vals[1]));
    }
    if (x.rc)
        return x.rc;
    if (unit_id) {
        struct ent_written w;
        rc = uc_ent_update(u, &ent_units, unit_id, -1, x.v, &w, e);
    } else {
        rc = uc_ent_insert(u, &ent_units, x.v, &unit_id, NULL, e);
    }
    return rc ? rc : shipment_line_set_unit(u->tx, db_get_int(l, i, "id", 0), unit_id, e);
}

enum sh_code shipment_units_upsert(const struct uc *u, int64_t id, struct sh_err *e)
{
    struct db_rows s, l;
    enum sh_code rc;
    if ((rc = shipments_get(u->tx, u->a, id, &s, e)) ||
        (rc = shipment_lines(u->tx, u->a, id, &l, e)))
        return rc;
    for (int i = 0; i < l.nrows; i++)
        if ((rc = one_unit(u, &s, &l, i, e)))
            return rc;
    return SH_OK;
}
