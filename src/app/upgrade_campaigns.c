/* SPDX-License-Identifier: MIT */
/* Upgrade campaigns (WF-17 S1 UPGRADE_AVAILABLE; docs/versions.md): the units of a model on a
 * withdrawn version, one upgrade ticket each opened by the intake use case in the caller's
 * transaction (all or nothing, audited), their progress, and the new version recorded against
 * a campaign ticket (see app/versions.h). */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/ticket_intake.h"
#include "app/versions.h"
#include "base/date.h"
#include "base/jw.h"

struct campaign {
    int64_t id, model_id, cost_fen;
    const char *name, *component, *target, *list, *status;
    enum upgrade_kind kind;
};

static enum sh_code campaign_load(const struct uc *u, int64_t id, struct campaign *c,
                                  struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id, name, model_id, component, target_version, "
                               "withdrawn_versions, upgrade_kind, cost_fen, status FROM "
                               "upgrade_campaigns WHERE id = $1",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "campaign %" PRId64 " not found", id);
    int k = upgrade_name_index(upgrade_kind_names, db_get(&r, 0, "upgrade_kind"));
    *c = (struct campaign){.id = id,
                           .model_id = db_get_int(&r, 0, "model_id", 0),
                           .cost_fen =
                               db_get(&r, 0, "cost_fen") ? db_get_int(&r, 0, "cost_fen", 0) : -1,
                           .name = db_get(&r, 0, "name"),
                           .component = db_get(&r, 0, "component"),
                           .target = db_get(&r, 0, "target_version"),
                           .list = db_get(&r, 0, "withdrawn_versions"),
                           .status = db_get(&r, 0, "status"),
                           .kind = k < 0 ? UK_FUNCTIONAL : (enum upgrade_kind)k};
    return SH_OK;
}

/* v is one of the comma-separated versions of list (each trimmed of spaces). */
static bool listed(const char *list, const char *v)
{
    size_t vn = strlen(v);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        while (n && *p == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        if (n == vn && !strncmp(p, v, n))
            return true;
        p = c ? c + 1 : NULL;
    }
    return false;
}

/* The model's units with their current version of the component, filtered to the list. */
static enum sh_code candidates_of(const struct uc *u, const struct campaign *c, struct db_rows *out,
                                  struct sh_err *e)
{
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT un.id, un.serial_no, un.customer_id, cu.name AS customer_name, v.sw_version "
        "FROM units un JOIN unit_versions v ON v.unit_id = un.id LEFT JOIN customers cu ON "
        "cu.id = un.customer_id WHERE un.model_id = $1 AND v.component = $2 AND v.id = (SELECT "
        "MAX(x.id) FROM unit_versions x WHERE x.unit_id = un.id AND x.component = $2) ORDER BY "
        "un.id",
        DB_P(DB_INT(c->model_id), DB_TEXT(c->component)), out, e);
    if (rc)
        return rc;
    int keep = 0;
    for (int i = 0; i < out->nrows; i++) {
        if (!listed(c->list, db_get(out, i, "sw_version")))
            continue;
        if (keep != i)
            for (int k = 0; k < out->ncols; k++)
                out->cells[keep * out->ncols + k] = out->cells[i * out->ncols + k];
        keep++;
    }
    out->nrows = keep;
    return SH_OK;
}

enum sh_code uc_campaign_candidates(const struct uc *u, int64_t id, struct db_rows *out,
                                    struct sh_err *e)
{
    struct campaign c;
    enum sh_code rc = campaign_load(u, id, &c, e);
    return rc ? rc : candidates_of(u, &c, out, e);
}

/* The failing unit named in the launch's answer; the cause kept in the message. */
static enum sh_code unit_failed(const struct uc *u, const struct db_rows *r, int i,
                                const struct sh_err *cause, struct sh_err *e)
{
    const char *serial = db_get(r, i, "serial_no");
    struct sh_buf b = SH_BUF_INIT(512);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kint(&w, "unit_id", db_get_int(r, i, "id", 0));
    jw_kstr(&w, "serial_no", serial);
    jw_kstr(&w, "cause", sh_err_reason_of(cause));
    jw_obj_end(&w);
    const char *params = jw_finish(&w) == SH_OK ? sh_arena_strdup(u->a, b.buf) : "{}";
    sh_buf_release(&b);
    sh_err_field(e, SH_UNPROCESSABLE, "unit_id", "unit %s (%s): %s", db_get(r, i, "id"), serial,
                 cause->msg);
    return sh_err_reason(e, "unit_failed", "%s", params);
}

/* One unit's upgrade ticket with its entitlement. */
static enum sh_code launch_one(const struct uc *u, const struct campaign *c,
                               const struct db_rows *r, int i, struct sh_err *e)
{
    int64_t unit = db_get_int(r, i, "id", 0);
    const char *from = db_get(r, i, "sw_version");
    struct sh_err ie;
    sh_err_clear(&ie);
    if (!db_get(r, i, "customer_id")) {
        sh_err_set(&ie, SH_INVALID, "the unit has no customer");
        sh_err_reason(&ie, "no_customer", NULL);
        return unit_failed(u, r, i, &ie, e);
    }
    struct ticket_intake_in in = {.channel = "api",
                                  .type = "upgrade",
                                  .unit_id = unit,
                                  .description = sh_arena_printf(u->a, "%s: %s %s → %s", c->name,
                                                                 c->component, from, c->target),
                                  .planned = true};
    struct ticket_intake_out out;
    if (uc_ticket_intake(u, &in, &out, &ie))
        return unit_failed(u, r, i, &ie, e);
    struct upgrade_entitlement_view ev;
    enum sh_code rc = uc_upgrade_entitlement(u, unit, c->kind, c->cost_fen, &ev, e);
    if (rc)
        return rc;
    const char *billing = upgrade_billing_names[ev.out.billing];
    if (ev.out.billing == UB_CHARGEABLE &&
        (rc = db_exec(u->tx, "UPDATE tickets SET billing = 'chargeable' WHERE id = $1",
                      DB_P(DB_INT(out.id)), NULL, e)))
        return rc;
    return db_exec(u->tx,
                   "INSERT INTO upgrade_campaign_tickets (campaign_id, unit_id, ticket_id, "
                   "from_version, billing, reason, amount_fen) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   DB_P(DB_INT(c->id), DB_INT(unit), DB_INT(out.id), DB_TEXT(from),
                        DB_TEXT(billing), DB_TEXT(ev.out.reason),
                        ev.out.has_amount ? DB_INT(ev.out.amount_fen) : DB_NULL),
                   NULL, e);
}

enum sh_code uc_campaign_launch(const struct uc *u, int64_t id, int *created, struct sh_err *e)
{
    *created = 0;
    struct campaign c;
    enum sh_code rc = campaign_load(u, id, &c, e);
    if (rc)
        return rc;
    char ts[21];
    sh_ts_format(u->now, ts);
    int64_t changed = 0;
    /* the state change first: a second launch, also a concurrent one, finds it launched */
    if ((rc = db_exec(
             u->tx,
             "UPDATE upgrade_campaigns SET status = 'launched', launched_at = $2, "
             "launched_by = $3, updated_at = $2, version = version + 1 WHERE id = $1 AND "
             "status = 'draft'",
             DB_P(DB_INT(id), DB_TEXT(ts), u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL),
             &changed, e)))
        return rc;
    if (changed == 0) {
        sh_err_set(e, SH_CONFLICT, "campaign %" PRId64 " is already launched", id);
        return sh_err_reason(e, "illegal_action", NULL);
    }
    struct db_rows r;
    if ((rc = candidates_of(u, &c, &r, e)))
        return rc;
    if (r.nrows == 0) {
        sh_err_set(e, SH_UNPROCESSABLE, "no unit is on a withdrawn version");
        return sh_err_reason(e, "guard", NULL);
    }
    for (int i = 0; i < r.nrows; i++)
        if ((rc = launch_one(u, &c, &r, i, e)))
            return rc;
    *created = r.nrows;
    return uc_audit(u, "upgrade_campaign", id, "launch", NULL,
                    sh_arena_printf(u->a, "{\"tickets\":%d}", r.nrows), e);
}

enum sh_code uc_campaign_progress(const struct uc *u, int64_t id, struct campaign_progress *out,
                                  struct sh_err *e)
{
    struct campaign c;
    enum sh_code rc = campaign_load(u, id, &c, e);
    if (rc || (rc = db_query(u->tx, u->a,
                             "SELECT ct.ticket_id, t.number, t.status, ct.unit_id, un.serial_no, "
                             "ct.from_version, ct.billing, ct.reason, ct.amount_fen, "
                             "ct.recorded_at FROM upgrade_campaign_tickets ct JOIN tickets t ON "
                             "t.id = ct.ticket_id JOIN units un ON un.id = ct.unit_id WHERE "
                             "ct.campaign_id = $1 ORDER BY ct.ticket_id",
                             DB_P(DB_INT(id)), &out->tickets, e)))
        return rc;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT t.status, COUNT(*) AS n FROM upgrade_campaign_tickets ct JOIN "
                       "tickets t ON t.id = ct.ticket_id WHERE ct.campaign_id = $1 GROUP BY "
                       "t.status ORDER BY t.status",
                       DB_P(DB_INT(id)), &out->counts, e)))
        return rc;
    out->recorded = 0;
    for (int i = 0; i < out->tickets.nrows; i++)
        if (db_get(&out->tickets, i, "recorded_at"))
            out->recorded++;
    return SH_OK;
}

enum sh_code uc_campaign_record(const struct uc *u, int64_t id, int64_t ticket_id,
                                const char *sw_version, const char *note, int64_t *entry_id,
                                struct sh_err *e)
{
    struct campaign c;
    enum sh_code rc = campaign_load(u, id, &c, e);
    if (rc)
        return rc;
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT unit_id FROM upgrade_campaign_tickets WHERE campaign_id = $1 AND "
                       "ticket_id = $2",
                       DB_P(DB_INT(id), DB_INT(ticket_id)), &r, e)))
        return rc;
    if (r.nrows == 0) {
        sh_err_field(e, SH_INVALID, "ticket_id", "ticket %" PRId64 " is not the campaign's",
                     ticket_id);
        return sh_err_reason(e, "unknown_reference", NULL);
    }
    struct unit_version_in in = {.unit_id = db_get_int(&r, 0, "unit_id", 0),
                                 .component = c.component,
                                 .sw_version = sw_version && *sw_version ? sw_version : c.target,
                                 .note = note,
                                 .ticket_id = ticket_id,
                                 .campaign_id = id};
    char ts[21];
    sh_ts_format(u->now, ts);
    if ((rc = uc_unit_version_add(u, &in, entry_id, e)))
        return rc;
    return db_exec(u->tx,
                   "UPDATE upgrade_campaign_tickets SET recorded_at = $3 WHERE campaign_id = $1 "
                   "AND ticket_id = $2",
                   DB_P(DB_INT(id), DB_INT(ticket_id), DB_TEXT(ts)), NULL, e);
}
