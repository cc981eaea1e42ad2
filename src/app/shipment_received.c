/* SPDX-License-Identifier: MIT */
/* The receipt hook of installation projects (WF-01 T9 → WF-02, R-049): goods received on a
 * contract that includes installation open the installation project of the shipment's units,
 * in the receipt's own transaction (a project that cannot be opened refuses the receipt). */
#include "app/install_projects.h"
#include "app/shipments.h"

enum sh_code shipment_on_received(const struct uc *u, int64_t shipment_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT s.customer_id, s.site_id, l.unit_id FROM shipments s "
                               "JOIN shipment_lines l ON l.shipment_id = s.id WHERE s.id = $1 "
                               "AND l.unit_id IS NOT NULL ORDER BY l.id",
                               DB_P(DB_INT(shipment_id)), &r, e);
    if (rc || !r.nrows)
        return rc ? rc : shipment_log(u, shipment_id, "installation_due", "", "", "", e);
    int64_t *units = sh_arena_alloc(u->a, sizeof(*units) * (size_t)r.nrows);
    for (int i = 0; i < r.nrows; i++)
        units[i] = db_get_int(&r, i, "unit_id", 0);
    struct ip_open_in in = {.customer_id = db_get_int(&r, 0, "customer_id", 0),
                            .site_id = db_get_int(&r, 0, "site_id", 0),
                            .shipment_id = shipment_id,
                            .unit_ids = units,
                            .nunits = r.nrows};
    struct ip_view p;
    if ((rc = uc_install_project_open(u, &in, &p, e)))
        return rc;
    return shipment_log(u, shipment_id, "installation_project", "", "", p.row.number, e);
}
