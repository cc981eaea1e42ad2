/* SPDX-License-Identifier: MIT */
/* The version ledger of a unit, its compliance with the model's rules, and the upgrade
 * entitlement priced by the fee rules (see app/versions.h). */
#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/fees.h"
#include "app/ticket_warranty.h"
#include "app/versions.h"
#include "base/date.h"

static enum sh_code bad(struct sh_err *e, enum sh_code c, const char *field, const char *reason,
                        const char *msg)
{
    sh_err_field(e, c, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

static enum sh_code text_in(const char *field, const char *s, size_t max, struct sh_err *e)
{
    if (blank(s))
        return bad(e, SH_INVALID, field, "required", "required");
    if (utf8_len(s) > max) {
        sh_err_field(e, SH_INVALID, field, "'%s' is too long", field);
        return sh_err_reason(e, "too_long", "{\"max\":%zu}", max);
    }
    return SH_OK;
}

/* The ticket and work order named by an entry are the unit's. */
static enum sh_code refs_in(const struct uc *u, const struct unit_version_in *in, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc;
    if (in->ticket_id) {
        if ((rc = db_query(u->tx, u->a, "SELECT unit_id FROM tickets WHERE id = $1",
                           DB_P(DB_INT(in->ticket_id)), &r, e)))
            return rc;
        if (r.nrows == 0)
            return bad(e, SH_INVALID, "ticket_id", "unknown_reference", "no such ticket");
        if (db_get_int(&r, 0, "unit_id", 0) != in->unit_id)
            return bad(e, SH_INVALID, "ticket_id", "other_unit", "the ticket is another unit's");
    }
    if (in->work_order_id) {
        if ((rc = db_query(u->tx, u->a,
                           "SELECT t.unit_id FROM work_orders w JOIN tickets t ON t.id = "
                           "w.ticket_id WHERE w.id = $1",
                           DB_P(DB_INT(in->work_order_id)), &r, e)))
            return rc;
        if (r.nrows == 0)
            return bad(e, SH_INVALID, "work_order_id", "unknown_reference", "no such work order");
        if (db_get_int(&r, 0, "unit_id", 0) != in->unit_id)
            return bad(e, SH_INVALID, "work_order_id", "other_unit",
                       "the work order is another unit's");
    }
    return SH_OK;
}

enum sh_code uc_unit_version_add(const struct uc *u, const struct unit_version_in *in, int64_t *id,
                                 struct sh_err *e)
{
    enum sh_code rc;
    if ((rc = text_in("component", in->component, VERSION_COMPONENT_MAX, e)) ||
        (rc = text_in("sw_version", in->sw_version, VERSION_TEXT_MAX, e)))
        return rc;
    if (in->note && utf8_len(in->note) > 500) {
        sh_err_field(e, SH_INVALID, "note", "'note' is too long");
        return sh_err_reason(e, "too_long", "{\"max\":500}");
    }
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a, "SELECT id FROM units WHERE id = $1", DB_P(DB_INT(in->unit_id)),
                       &r, e)))
        return rc;
    if (r.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "unit %" PRId64 " not found", in->unit_id);
    if ((rc = refs_in(u, in, e)))
        return rc;
    char ts[21];
    sh_ts_format(u->now, ts);
    if ((rc = db_query(u->tx, u->a,
                       "INSERT INTO unit_versions (unit_id, component, sw_version, ticket_id, "
                       "work_order_id, campaign_id, note, set_by, set_at, created_at) VALUES ($1, "
                       "$2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                       DB_P(DB_INT(in->unit_id), DB_TEXT(in->component), DB_TEXT(in->sw_version),
                            in->ticket_id ? DB_INT(in->ticket_id) : DB_NULL,
                            in->work_order_id ? DB_INT(in->work_order_id) : DB_NULL,
                            in->campaign_id ? DB_INT(in->campaign_id) : DB_NULL,
                            DB_TEXT(in->note ? in->note : ""),
                            u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL, DB_TEXT(ts)),
                       &r, e)))
        return rc;
    *id = db_get_int(&r, 0, "id", 0);
    struct sh_buf b = SH_BUF_INIT(2048);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kint(&w, "unit_id", in->unit_id);
    jw_kstr(&w, "component", in->component);
    jw_kstr(&w, "sw_version", in->sw_version);
    if (in->ticket_id)
        jw_kint(&w, "ticket_id", in->ticket_id);
    if (in->campaign_id)
        jw_kint(&w, "campaign_id", in->campaign_id);
    jw_obj_end(&w);
    const char *after = jw_finish(&w) == SH_OK ? sh_arena_strdup(u->a, b.buf) : NULL;
    sh_buf_release(&b);
    return uc_audit(u, "unit_version", *id, "create", NULL, after, e);
}

/* The rules of one component as the domain's table. */
static size_t rules_of(const struct uc *u, const struct db_rows *rules, const char *component,
                       struct version_rule **out)
{
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)(rules->nrows ? rules->nrows : 1));
    size_t n = 0;
    for (int i = 0; i < rules->nrows; i++) {
        if (strcmp(db_get(rules, i, "component"), component))
            continue;
        int st = upgrade_name_index(version_status_names, db_get(rules, i, "status"));
        (*out)[n++] = (struct version_rule){db_get(rules, i, "sw_version"),
                                            st < 0 ? VS_WITHDRAWN : (enum version_status)st};
    }
    return n;
}

enum sh_code uc_unit_versions(const struct uc *u, int64_t unit_id, struct unit_versions_view *out,
                              struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT customer_id, model_id FROM units WHERE id = $1",
                               DB_P(DB_INT(unit_id)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0 ||
        (principal_external(u->who) && db_get_int(&r, 0, "customer_id", -1) != u->who->customer_id))
        return sh_err_set(e, SH_NOT_FOUND, "unit %" PRId64 " not found", unit_id);
    out->unit_id = unit_id;
    out->model_id = db_get_int(&r, 0, "model_id", 0);
    static const char *cols =
        "v.id, v.component, v.sw_version, v.ticket_id, t.number AS ticket_number, "
        "v.work_order_id, v.campaign_id, v.note, v.set_by, NULLIF(us.display_name, '') AS "
        "set_by_name, us.username AS set_by_username, v.set_at";
    if ((rc = db_query(u->tx, u->a,
                       sh_arena_printf(u->a,
                                       "SELECT %s FROM unit_versions v LEFT JOIN tickets t ON "
                                       "t.id = v.ticket_id LEFT JOIN users us ON us.id = v.set_by "
                                       "WHERE v.unit_id = $1 ORDER BY v.id DESC LIMIT 500",
                                       cols),
                       DB_P(DB_INT(unit_id)), &out->history, e)) ||
        (rc = db_query(u->tx, u->a,
                       sh_arena_printf(u->a,
                                       "SELECT %s FROM unit_versions v LEFT JOIN tickets t ON "
                                       "t.id = v.ticket_id LEFT JOIN users us ON us.id = v.set_by "
                                       "WHERE v.unit_id = $1 AND v.id = (SELECT MAX(x.id) FROM "
                                       "unit_versions x WHERE x.unit_id = v.unit_id AND "
                                       "x.component = v.component) ORDER BY v.component",
                                       cols),
                       DB_P(DB_INT(unit_id)), &out->current, e)) ||
        (rc = db_query(u->tx, u->a,
                       "SELECT id, component, sw_version, status, reason, withdrawn_on FROM "
                       "version_rules WHERE model_id = $1 ORDER BY component, id",
                       DB_P(DB_INT(out->model_id)), &out->rules, e)))
        return rc;
    int n = out->current.nrows;
    out->compliance = sh_arena_alloc(u->a, sizeof(*out->compliance) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        struct version_rule *vr;
        size_t nr = rules_of(u, &out->rules, db_get(&out->current, i, "component"), &vr);
        out->compliance[i] = version_comply(db_get(&out->current, i, "sw_version"), vr, nr);
    }
    out->overall = version_worst(out->compliance, (size_t)n);
    return SH_OK;
}

/* The first active rule set whose newest version has an at-cost component coded "upgrade";
 * with a cost, its amount for that cost. */
static enum sh_code price_by_rules(const struct uc *u, int64_t cost_fen, struct upgrade_in *in,
                                   const char **set_code, struct sh_err *e)
{
    struct fee_set_row *sets;
    struct fee_version_row *newest;
    int n;
    enum sh_code rc = fee_sets_load(u->tx, u->a, &sets, &newest, &n, e);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++) {
        struct fee_rules rules;
        struct sh_err pe;
        sh_err_clear(&pe);
        if (!sets[i].active || !newest[i].id ||
            fee_rules_parse_text(u->a, newest[i].definition, &rules, &pe))
            continue;
        for (int c = 0; c < rules.ncomps; c++) {
            const struct fee_comp *fc = &rules.comps[c];
            if (fc->kind != FK_AT_COST || strcmp(fc->code, "upgrade"))
                continue;
            in->rule_found = true;
            *set_code = sets[i].code;
            if (cost_fen < 0)
                return SH_OK;
            json_t *inputs = json_pack("{sI}", fc->base, (json_int_t)cost_fen);
            struct fee_calc_in ci = {.set_id = sets[i].id, .inputs = inputs};
            struct fee_calc_out co;
            rc = uc_fee_calculate(u, &ci, &co, e);
            json_decref(inputs);
            if (rc)
                return rc;
            for (int l = 0; l < co.result.nlines; l++)
                if (!strcmp(co.rules.comps[co.result.lines[l].comp].code, "upgrade")) {
                    in->cost_given = true;
                    in->rule_fen = co.result.lines[l].amount;
                }
            return SH_OK;
        }
    }
    return SH_OK;
}

enum sh_code uc_upgrade_entitlement(const struct uc *u, int64_t unit_id, enum upgrade_kind kind,
                                    int64_t cost_fen, struct upgrade_entitlement_view *out,
                                    struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    struct warranty_decision wd;
    enum sh_code rc = uc_warranty_decide(u, unit_id, ticket_local_date(u->now), TC_UNKNOWN, &wd, e);
    if (rc)
        return rc;
    struct upgrade_in in = {.kind = kind,
                            .warranty = !strcmp(wd.status, "in")    ? UW_IN
                                        : !strcmp(wd.status, "out") ? UW_OUT
                                                                    : UW_UNKNOWN};
    if ((rc = price_by_rules(u, cost_fen, &in, &out->rule_set, e)))
        return rc;
    out->warranty = wd.status;
    out->kind = kind;
    out->out = upgrade_entitlement(&in);
    if (out->out.price != UP_PRICED)
        out->rule_set = NULL;
    return SH_OK;
}
