/* SPDX-License-Identifier: MIT */
/* Dealers' installation applications: the FIFO queue with each application's place, the
 * counts of R-182, and the series the fee rule set knows (app/dealer_apps.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/dealer_apps.h"
#include "app/fees.h"
#include "base/date.h"

/* RULE R-075: the queue is the order of submission; the place of an application waiting for
 * an answer counts every dealer's earlier ones (a dealer sees its own rows only). */
enum sh_code uc_dealer_app_queue(const struct uc *u, struct dapp_queue *out, struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    out->external = principal_external(u->who);
    char now[21];
    sh_ts_format(u->now, now);
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT t.*, c.name AS dealer_name, CASE WHEN t.status = 'submitted' THEN (SELECT COUNT(*) "
        "FROM "
        "dealer_applications x WHERE x.status = 'submitted' AND (x.submitted_at < t.submitted_at "
        "OR (x.submitted_at = t.submitted_at AND x.id <= t.id))) ELSE 0 END AS queue_place, "
        "CASE WHEN t.status = 'submitted' AND t.answer_due_at < $1 THEN 'answer' WHEN t.status = "
        "'approved' AND t.agreement_due_at < $1 THEN 'agreement' WHEN t.status = "
        "'agreement_sent' AND t.confirm_due_at < $1 THEN 'confirmation' ELSE '' END AS "
        "overdue_on FROM dealer_applications t JOIN customers c ON c.id = t.dealer_id "
        "WHERE t.status IN ('submitted', 'approved', "
        "'agreement_sent', 'confirmed') AND ($2 = 0 OR t.dealer_id = $3) ORDER BY CASE WHEN "
        "t.status = 'submitted' THEN 0 ELSE 1 END, t.submitted_at, t.id LIMIT 500",
        DB_P(DB_TEXT(now), DB_INT(out->external ? 1 : 0), DB_INT(u->who->customer_id)), &out->rows,
        e);
    if (rc)
        return rc;
    out->n = out->rows.nrows;
    out->place = sh_arena_alloc(u->a, sizeof(int64_t) * (size_t)(out->n + 1));
    out->overdue = sh_arena_alloc(u->a, sizeof(char *) * (size_t)(out->n + 1));
    for (int i = 0; i < out->n; i++) {
        out->place[i] = db_get_int(&out->rows, i, "queue_place", 0);
        const char *o = db_get(&out->rows, i, "overdue_on");
        out->overdue[i] = o && *o ? o : NULL;
    }
    return SH_OK;
}

void dapp_queue_item(struct jw *w, int i, const void *arg)
{
    const struct dapp_queue *q = arg;
    jw_obj_begin(w);
    jw_key(w, "application");
    ent_render_for(w, &ent_dealer_applications, &q->rows, i, q->external);
    jw_kstr(w, "dealer_name", db_get(&q->rows, i, "dealer_name"));
    if (q->place[i])
        jw_kint(w, "place", q->place[i]);
    else
        jw_knull(w, "place");
    if (q->overdue[i])
        jw_kstr(w, "overdue", q->overdue[i]);
    else
        jw_knull(w, "overdue");
    jw_obj_end(w);
}

/* RULE R-182: the counts of the installation-application KPIs. */
enum sh_code uc_dealer_app_counts(const struct uc *u, struct jw *w, struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT COUNT(*) AS total, "
        "SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END) AS queue_length, "
        "SUM(CASE WHEN status = 'submitted' AND answer_due_at < $1 THEN 1 ELSE 0 END) AS "
        "answer_overdue, "
        "SUM(CASE WHEN status = 'approved' AND agreement_due_at < $1 THEN 1 ELSE 0 END) AS "
        "agreement_overdue, "
        "SUM(CASE WHEN status = 'agreement_sent' AND confirm_due_at < $1 THEN 1 ELSE 0 END) AS "
        "confirmation_overdue, "
        "SUM(CASE WHEN answered_at > answer_due_at THEN 1 ELSE 0 END) AS answered_late, "
        "SUM(CASE WHEN agreement_sent_at > agreement_due_at THEN 1 ELSE 0 END) AS agreements_late, "
        "SUM(CASE WHEN confirmed_at > confirm_due_at THEN 1 ELSE 0 END) AS confirmations_late, "
        "SUM(CASE WHEN out_of_order = 1 THEN 1 ELSE 0 END) AS out_of_order, "
        "SUM(CASE WHEN status = 'refused' THEN 1 ELSE 0 END) AS refused, "
        "SUM(CASE WHEN status = 'not_supported' THEN 1 ELSE 0 END) AS not_supported, "
        "SUM(CASE WHEN status = 'dispatched' THEN 1 ELSE 0 END) AS dispatched "
        "FROM dealer_applications",
        DB_P(DB_TEXT(now)), &r, e);
    if (rc)
        return rc;
    static const char *const keys[] = {"total",
                                       "queue_length",
                                       "answer_overdue",
                                       "agreement_overdue",
                                       "confirmation_overdue",
                                       "answered_late",
                                       "agreements_late",
                                       "confirmations_late",
                                       "out_of_order",
                                       "refused",
                                       "not_supported",
                                       "dispatched"};
    jw_obj_begin(w);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        jw_kint(w, keys[i], db_get_int(&r, 0, keys[i], 0));
    jw_kstr(w, "at", now);
    jw_obj_end(w);
    return SH_OK;
}

enum sh_code uc_dealer_app_series(const struct uc *u, struct jw *w, struct sh_err *e)
{
    struct fee_calc_out o;
    memset(&o, 0, sizeof o);
    enum sh_code rc = fee_set_load(u->tx, u->a, 0, DAPP_FEE_SET, &o.set, e);
    char today[11];
    struct sh_date d = sh_civil_from_days((u->now + 8 * 3600) / 86400);
    sh_date_format(d, today);
    if (rc || (rc = fee_version_on(u->tx, u->a, o.set.id, today, &o.version, e)) ||
        (rc = fee_rules_parse_text(u->a, o.version.definition, &o.rules, e)))
        return rc;
    jw_obj_begin(w);
    jw_kstr(w, "rule_set", o.set.code);
    jw_kint(w, "version", o.version.number);
    jw_key(w, "series");
    jw_arr_begin(w);
    for (int c = 0; c < o.rules.ncomps; c++) {
        const struct fee_comp *k = &o.rules.comps[c];
        if (k->kind != FK_SERIES)
            continue;
        for (int i = 0; i < k->nrows; i++) {
            jw_obj_begin(w);
            jw_kstr(w, "key", k->rows[i].key);
            jw_kstr(w, "label", k->rows[i].label ? k->rows[i].label : k->rows[i].key);
            jw_kint(w, "rate_bp", k->rows[i].value);
            jw_obj_end(w);
        }
        break;
    }
    jw_arr_end(w);
    jw_obj_end(w);
    return SH_OK;
}
