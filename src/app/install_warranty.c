/* SPDX-License-Identifier: MIT */
/* The warranty start after an installation project's acceptance: each unit
 * gets its install date, and its warranty starts from the event the company configures
 * (setting warranty_start_event: install, acceptance or ship), over the contract's months
 * else the model's; the unit's change is audited (entity unit, action warranty_start). */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/install_projects.h"
#include "base/date.h"
#include "domain/warranty.h"

static enum sh_code start_event(const struct uc *u, const char **event, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT value FROM settings WHERE key = $1",
                               DB_P(DB_TEXT("warranty_start_event")), &r, e);
    *event = "install";
    if (!rc && r.nrows && db_get(&r, 0, "value"))
        *event = db_get(&r, 0, "value");
    return rc;
}

static const char *unit_json(struct sh_arena *a, const char *install, const char *basis,
                             const char *start, const char *end, const char *event)
{
    return sh_arena_printf(a,
                           "{\"install_date\":%s%s%s,\"warranty_basis\":\"%s\","
                           "\"warranty_start\":%s%s%s,\"warranty_end\":%s%s%s%s%s%s}",
                           install ? "\"" : "", install ? install : "null", install ? "\"" : "",
                           basis ? basis : "none", start ? "\"" : "", start ? start : "null",
                           start ? "\"" : "", end ? "\"" : "", end ? end : "null", end ? "\"" : "",
                           event ? ",\"event\":\"" : "", event ? event : "", event ? "\"" : "");
}

static enum sh_code one_unit(const struct uc *u, int64_t id, const char *event,
                             const char *install_date, const char *accept_date, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT un.ship_date, un.install_date, un.warranty_start, un.warranty_end, "
        "un.warranty_basis, un.warranty_end_override, m.warranty_months AS mm, "
        "k.warranty_months AS cm FROM units un JOIN product_models m ON m.id = un.model_id "
        "LEFT JOIN contracts k ON k.id = un.contract_id WHERE un.id = $1",
        DB_P(DB_INT(id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    const char *ship = db_get(&r, 0, "ship_date");
    const char *from = !strcmp(event, "acceptance")     ? accept_date
                       : !strcmp(event, "ship") && ship ? ship
                                                        : install_date;
    const char *basis = !strcmp(event, "ship") && ship ? "ship"
                        : !strcmp(event, "acceptance") ? "acceptance"
                                                       : "install";
    struct warranty_in in = {.contract_months = -1,
                             .model_months = (int)db_get_int(&r, 0, "mm", 12),
                             .has_install = sh_date_parse(from, &(struct sh_date){0})};
    sh_date_parse(from, &in.install);
    if (db_get(&r, 0, "cm"))
        in.contract_months = (int)db_get_int(&r, 0, "cm", -1);
    const char *ov = db_get(&r, 0, "warranty_end_override");
    if (ov)
        in.has_override = sh_date_parse(ov, &in.override_end);
    struct warranty_out w = warranty_compute(&in);
    char end[11];
    sh_date_format(w.end, end);
    if (in.has_override)
        basis = "override";
    char now[21];
    sh_ts_format(u->now, now);
    const char *before =
        unit_json(u->a, db_get(&r, 0, "install_date"), db_get(&r, 0, "warranty_basis"),
                  db_get(&r, 0, "warranty_start"), db_get(&r, 0, "warranty_end"), NULL);
    if ((rc = db_exec(u->tx,
                      "UPDATE units SET install_date = $2, status = 'installed', warranty_basis = "
                      "$3, warranty_start = $4, warranty_end = $5, warranty_months = $6, "
                      "updated_at = $7, version = version + 1 WHERE id = $1",
                      DB_P(DB_INT(id), DB_TEXT(install_date), DB_TEXT(basis),
                           DB_TEXT(in.has_override ? NULL : from), DB_TEXT(end),
                           in.has_override ? DB_NULL : DB_INT(w.months), DB_TEXT(now)),
                      NULL, e)))
        return rc;
    return uc_audit(u, "unit", id, "warranty_start", before,
                    unit_json(u->a, install_date, basis, in.has_override ? NULL : from, end, event),
                    e);
}

enum sh_code install_warranty_start(const struct uc *u, const struct ip_view *v,
                                    const char *install_date, const char *accept_date,
                                    struct sh_err *e)
{
    const char *event;
    enum sh_code rc = start_event(u, &event, e);
    for (int i = 0; !rc && i < v->nunits; i++)
        rc = one_unit(u, v->units[i].id, event, install_date, accept_date, e);
    return rc;
}
