/* SPDX-License-Identifier: MIT */
#include "app/contract_reqs.h"

#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/entity.h"
#include "app/resources.h"
#include "base/date.h"
#include "base/jw.h"
#include "store/db_set.h"

enum sh_code uc_contract_review(const struct uc *u, int64_t id, const char **json, struct sh_err *e)
{
    struct db_rows r;
    /* review 72 #1: taken before it is read: a parallel review waits and sees this one */
    enum sh_code rc = db_lock_row(u->tx, "contracts", id, e);
    if (rc || (rc = ent_load(u->tx, u->a, &ent_contracts, id, &r, e)))
        return rc;
    if (db_get(&r, 0, "requirements_reviewed_at")) {
        sh_err_set(e, SH_CONFLICT, "contract %" PRId64 " was reviewed already", id);
        return sh_err_reason(e, "illegal_action", "{\"guard\":\"reviewed\"}");
    }
    const char *owed = db_get(&r, 0, "service_owed"),
               *special = db_get(&r, 0, "special_requirements");
    if ((!owed || !*owed) && (!special || !*special)) {
        sh_err_set(e, SH_CONFLICT, "the contract states no service requirements to review");
        return sh_err_reason(e, "guard", "{\"guard\":\"no_requirements\"}");
    }
    const char *before = ent_json(u->a, &ent_contracts, &r, 0);
    char now[21];
    sh_ts_format(u->now, now);
    struct db_set s = {.n = 0};
    db_set_put(&s, "requirements_reviewed_by", u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL);
    db_set_put(&s, "requirements_reviewed_at", DB_TEXT(now));
    if ((rc = db_set_apply(u->tx, "contracts", id, &s, now, e)) ||
        (rc = ent_load(u->tx, u->a, &ent_contracts, id, &r, e)))
        return rc;
    *json = ent_json(u->a, &ent_contracts, &r, 0);
    return uc_audit(u, "contract", id, "review", before, *json, e);
}

enum sh_code contract_reqs_of_ticket(const struct uc *u, int64_t ticket_id, const char **json,
                                     struct sh_err *e)
{
    *json = NULL;
    if (!ticket_id || principal_external(u->who))
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT c.id, c.number, c.service_owed, c.special_requirements, "
        "c.requirements_reviewed_by, c.requirements_reviewed_at, COALESCE(NULLIF(us.display_name, "
        "''), us.username) AS reviewer FROM tickets t JOIN units n ON n.id = t.unit_id JOIN "
        "contracts c ON c.id = n.contract_id LEFT JOIN users us ON us.id "
        "= c.requirements_reviewed_by WHERE t.id = $1 AND (c.service_owed <> '' OR "
        "c.special_requirements <> '')",
        DB_P(DB_INT(ticket_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kint(&w, "contract_id", db_get_int(&r, 0, "id", 0));
    jw_kstr(&w, "number", db_get(&r, 0, "number"));
    jw_kstr(&w, "service_owed", db_get(&r, 0, "service_owed"));
    jw_kstr(&w, "special_requirements", db_get(&r, 0, "special_requirements"));
    if (db_get(&r, 0, "requirements_reviewed_by"))
        jw_kint(&w, "reviewed_by", db_get_int(&r, 0, "requirements_reviewed_by", 0));
    else
        jw_knull(&w, "reviewed_by");
    jw_kstr(&w, "reviewed_by_name", db_get(&r, 0, "reviewer"));
    jw_kstr(&w, "reviewed_at", db_get(&r, 0, "requirements_reviewed_at"));
    jw_obj_end(&w);
    *json = jw_finish(&w) == SH_OK ? sh_arena_strdup(u->a, b.buf) : NULL;
    sh_buf_release(&b);
    return SH_OK;
}
