/* SPDX-License-Identifier: MIT */
/* Software versions and upgrade campaigns as demo data (see cli/demo_ver.h). */
#include "cli/demo_ver.h"

#include <inttypes.h>
#include <string.h>

#include "app/entity.h"
#include "app/ticket_actions.h"
#include "app/versions.h"

static void put(const struct uc *u, const struct entity *ent, struct fval *v, const char *name,
                json_t *j, enum sh_code *rc, struct sh_err *e)
{
    int i = ent_colidx(ent, name);
    if (!*rc && i >= 0)
        *rc = ent_parse_value(u->a, &ent->cols[i], j, &v[i], e);
    json_decref(j);
}

static struct fval *vals_of(const struct uc *u, const struct entity *ent)
{
    size_t sz = sizeof(struct fval) * (size_t)ent->ncols;
    struct fval *v = sh_arena_alloc(u->a, sz);
    memset(v, 0, sz);
    return v;
}

static enum sh_code rule(const struct uc *u, int64_t model, const char *comp, const char *ver,
                         const char *status, const char *reason, struct sh_err *e)
{
    struct fval *v = vals_of(u, &ent_version_rules);
    enum sh_code rc = SH_OK;
    put(u, &ent_version_rules, v, "model_id", json_integer(model), &rc, e);
    put(u, &ent_version_rules, v, "component", json_string(comp), &rc, e);
    put(u, &ent_version_rules, v, "sw_version", json_string(ver), &rc, e);
    put(u, &ent_version_rules, v, "status", json_string(status), &rc, e);
    if (reason) {
        put(u, &ent_version_rules, v, "reason", json_string(reason), &rc, e);
        put(u, &ent_version_rules, v, "withdrawn_on", json_string("2026-10-15"), &rc, e);
    }
    int64_t id;
    return rc ? rc : uc_ent_insert(u, &ent_version_rules, v, &id, NULL, e);
}

static enum sh_code campaign(const struct uc *u, int64_t model, const char *name, const char *comp,
                             const char *target, const char *from, const char *kind, int64_t cost,
                             int64_t *id, struct sh_err *e)
{
    struct fval *v = vals_of(u, &ent_upgrade_campaigns);
    enum sh_code rc = SH_OK;
    put(u, &ent_upgrade_campaigns, v, "name", json_string(name), &rc, e);
    put(u, &ent_upgrade_campaigns, v, "model_id", json_integer(model), &rc, e);
    put(u, &ent_upgrade_campaigns, v, "component", json_string(comp), &rc, e);
    put(u, &ent_upgrade_campaigns, v, "target_version", json_string(target), &rc, e);
    put(u, &ent_upgrade_campaigns, v, "withdrawn_versions", json_string(from), &rc, e);
    put(u, &ent_upgrade_campaigns, v, "upgrade_kind", json_string(kind), &rc, e);
    if (cost >= 0)
        put(u, &ent_upgrade_campaigns, v, "cost_fen", json_integer(cost), &rc, e);
    return rc ? rc : uc_ent_insert(u, &ent_upgrade_campaigns, v, id, NULL, e);
}

static enum sh_code setv(const struct uc *u, int64_t unit, const char *comp, const char *ver,
                         int64_t days_ago, const char *note, struct sh_err *e)
{
    struct uc at = *u;
    at.now -= days_ago * 86400;
    struct unit_version_in in = {
        .unit_id = unit, .component = comp, .sw_version = ver, .note = note};
    int64_t id;
    return uc_unit_version_add(&at, &in, &id, e);
}

/* Versions with history: a third of the units still on the withdrawn firmware. */
static enum sh_code unit_versions(const struct uc *u, const struct db_rows *units, struct sh_err *e)
{
    static const char *const fw[] = {"3.0.1", "3.1.5", "3.2.0"};
    enum sh_code rc = SH_OK;
    for (int i = 0; !rc && i < units->nrows; i++) {
        int64_t id = db_get_int(units, i, "id", 0);
        if (!(rc = setv(u, id, "firmware", "2.9.0", 400, "出厂版本", e)) &&
            !(rc = setv(u, id, "firmware", fw[i % 3], 120, "巡检时升级", e)))
            rc = setv(u, id, "software", i % 2 ? "4.8" : "5.0", 60, "", e);
    }
    return rc;
}

/* The launched campaign's tickets moved on: assigned, accepted, one upgrade recorded. */
static enum sh_code move_tickets(const struct uc *u, int64_t cid, struct sh_err *e)
{
    struct campaign_progress p;
    enum sh_code rc = uc_campaign_progress(u, cid, &p, e);
    for (int i = 0; !rc && i < p.tickets.nrows && i < 3; i++) {
        int64_t tk = db_get_int(&p.tickets, i, "ticket_id", 0);
        struct ticket_action_out ao;
        struct ticket_action_in a = {
            .id = tk, .act = TA_ASSIGN, .assignee_id = u->who->user_id, .if_match = -1};
        if ((rc = uc_ticket_action(u, &a, &ao, e)) || i == 0)
            continue;
        a = (struct ticket_action_in){.id = tk, .act = TA_ACCEPT, .if_match = -1};
        if ((rc = uc_ticket_action(u, &a, &ao, e)) || i == 1)
            continue;
        int64_t entry;
        rc = uc_campaign_record(u, cid, tk, NULL, "现场升级完成", &entry, e);
    }
    return rc;
}

enum sh_code demo_ver(const struct uc *c, int *n, struct sh_err *e)
{
    struct db_rows r, units;
    *n = 0;
    enum sh_code rc =
        db_query(c->tx, c->a, "SELECT count(*) AS n FROM upgrade_campaigns", DB_NOP, &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    if ((rc = db_query(c->tx, c->a, "SELECT min(id) AS id FROM users WHERE roles LIKE '%admin%'",
                       DB_NOP, &r, e)))
        return rc;
    struct principal who = {
        .user_id = db_get_int(&r, 0, "id", 0), .username = "demo", .roles = RB(ADMIN)};
    if (!who.user_id)
        return SH_OK;
    struct uc u = *c;
    u.who = &who;
    if ((rc = db_query(c->tx, c->a,
                       "SELECT model_id, count(*) AS n FROM units WHERE customer_id IS NOT NULL "
                       "GROUP BY model_id ORDER BY count(*) DESC, model_id LIMIT 1",
                       DB_NOP, &r, e)) ||
        r.nrows == 0)
        return rc;
    int64_t model = db_get_int(&r, 0, "model_id", 0);
    if ((rc = db_query(c->tx, c->a,
                       "SELECT id FROM units WHERE model_id = $1 AND customer_id IS NOT NULL "
                       "ORDER BY id LIMIT 12",
                       DB_P(DB_INT(model)), &units, e)) ||
        (rc = rule(&u, model, "firmware", "3.2.0", "current", NULL, e)) ||
        (rc = rule(&u, model, "firmware", "3.1.5", "allowed", NULL, e)) ||
        (rc = rule(&u, model, "firmware", "3.0.1", "withdrawn", "播放卡顿、偶发黑屏", e)) ||
        (rc = rule(&u, model, "software", "5.0", "current", NULL, e)) ||
        (rc = rule(&u, model, "software", "4.8", "allowed", NULL, e)) ||
        (rc = unit_versions(&u, &units, e)))
        return rc;
    int64_t cid, draft;
    int created = 0;
    if ((rc = campaign(&u, model, "固件 3.0.1 停用升级", "firmware", "3.2.0", "3.0.1", "display",
                       -1, &cid, e)) ||
        (rc = uc_campaign_launch(&u, cid, &created, e)) || (rc = move_tickets(&u, cid, e)) ||
        (rc = campaign(&u, model, "控制软件 5.0 功能升级", "software", "5.0", "4.8", "functional",
                       50000, &draft, e)))
        return rc;
    *n = created;
    return SH_OK;
}
