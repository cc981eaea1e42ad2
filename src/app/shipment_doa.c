/* SPDX-License-Identifier: MIT */
/* Dead on arrival at ticket intake (WF-08): a repair of a unit whose shipment the customer
 * received within the doa_days setting (default 15) becomes a DOA ticket; the replacement
 * shipments of a ticket, and what the resolve guard `replacement` reads of them. */
#include <stdlib.h>
#include <string.h>

#include "app/shipments.h"
#include "app/ticket_warranty.h"
#include "domain/ticket.h"
#include "store/shipments.h"

enum sh_code uc_shipment_doa_classify(const struct uc *u, int64_t unit_id, int64_t reported,
                                      int *type, struct sh_err *e)
{
    if (!unit_id || *type != TICKET_REPAIR)
        return SH_OK;
    const char *received, *days;
    enum sh_code rc;
    if ((rc = shipment_unit_received_on(u->tx, u->a, unit_id, &received, e)) || !received ||
        (rc = shipment_setting(u->tx, u->a, "doa_days", "15", &days, e)))
        return rc;
    struct sh_date r;
    if (sh_date_parse(received, &r) &&
        shp_is_doa(r, ticket_local_date(reported), (int)strtol(days, NULL, 10)))
        *type = TICKET_DOA;
    return SH_OK;
}

enum sh_code uc_shipment_doa_check(const struct uc *u, int64_t unit_id, int64_t reported,
                                   struct sh_err *e)
{
    const char *received, *days;
    enum sh_code rc;
    if (!unit_id || (rc = shipment_unit_received_on(u->tx, u->a, unit_id, &received, e)) ||
        !received || (rc = shipment_setting(u->tx, u->a, "doa_days", "15", &days, e)))
        return unit_id ? rc : SH_OK;
    struct sh_date r;
    int n = (int)strtol(days, NULL, 10);
    if (!sh_date_parse(received, &r) || shp_is_doa(r, ticket_local_date(reported), n))
        return SH_OK;
    sh_err_field(e, SH_CONFLICT, "type",
                 "the unit was delivered on %s, more than %d days before the report: it is not "
                 "dead on arrival (type repair)",
                 received, n);
    return sh_err_reason(e, "guard",
                         "{\"guard\":\"doa_window\",\"received_on\":\"%s\",\"doa_days\":%d}",
                         received, n);
}

enum sh_code uc_shipment_replacements(const struct uc *u, int64_t ticket_id, struct db_rows *out,
                                      struct sh_err *e)
{
    return db_query(u->tx, u->a,
                    "SELECT id, number, state, created_at FROM shipments WHERE ticket_id = $1 AND "
                    "kind = 'replacement' ORDER BY id",
                    DB_P(DB_INT(ticket_id)), out, e);
}

enum sh_code uc_shipment_doa_facts(const struct uc *u, int64_t ticket_id,
                                   struct ticket_guard_facts *f, struct sh_err *e)
{
    struct db_rows r, back;
    enum sh_code rc = uc_shipment_replacements(u, ticket_id, &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        const char *st = db_get(&r, i, "state");
        if (!strcmp(st, "received"))
            f->replacement_received = true;
        else if (strcmp(st, "cancelled") && !f->replacement_number) {
            f->replacement_number = db_get(&r, i, "number");
            f->replacement_state = st;
            f->replacement_id = db_get_int(&r, i, "id", 0);
        }
    }
    if (rc || (rc = db_query(u->tx, u->a,
                             "SELECT 1 AS x FROM rmas WHERE ticket_id = $1 AND received_at IS "
                             "NOT NULL LIMIT 1",
                             DB_P(DB_INT(ticket_id)), &back, e)))
        return rc;
    f->doa_unit_returned = back.nrows > 0;
    return SH_OK;
}
