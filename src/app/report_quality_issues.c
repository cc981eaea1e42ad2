/* SPDX-License-Identifier: MIT */
#include "app/report_quality_issues.h"

#include <string.h>

const char *const quality_issue_source_names[] = {"complaint", "return", "installation", "visit",
                                                  "picking",   "repair", "doa",          NULL};

#define QI_FILTER(cust, model) " AND ($5 = 0 OR " cust " = $5) AND ($6 = 0 OR " model " = $6)"

/* RULE R-186: one row per anomaly of the period with its source, product, batch, cause,
 * analysis status (open, analysed, verified, closed, refused) and whether a corrective
 * action (or the cause analysis) is recorded. The period: a notice's received_on (a local
 * date, $3…$4), the others' creation, recording or finishing instant ($1…$2). cause_name:
 * the fault category's name (work orders; the other causes are catalogue codes). */
#define QI_NOTICES                                                                                 \
    "SELECT CASE WHEN c.source <> 'customer' THEN c.source WHEN c.request = 'return' THEN "        \
    "'return' ELSE 'complaint' END AS src, c.model_id, c.batch, c.cause_category AS cause, "       \
    "CASE WHEN c.state IN ('received', 'routed') THEN 'open' WHEN c.state IN ('analysed', "        \
    "'action_taken') THEN 'analysed' ELSE c.state END AS st, CASE WHEN c.corrective_action <> "    \
    "'' THEN 1 ELSE 0 END AS corr, 0 AS wo FROM complaints c WHERE c.received_on >= $3 AND "       \
    "c.received_on "                                                                               \
    "<= $4" QI_FILTER("c.customer_id", "c.model_id")

#define QI_RMAS                                                                                    \
    " UNION ALL SELECT 'repair', un.model_id, COALESCE(substr(un.production_date, 1, 7), ''), "    \
    "r.cause_category, CASE WHEN r.state IN ('awaiting_return', 'received', 'inspected') THEN "    \
    "'open' WHEN r.state IN ('analysed', 'repaired', 'replaced') THEN 'analysed' WHEN r.state IN " \
    "('qc_passed', 'shipped_back') THEN 'verified' WHEN r.state = 'closed' THEN 'closed' ELSE "    \
    "'refused' END, CASE WHEN r.cause_analysis <> '' THEN 1 ELSE 0 END, 0 FROM rmas r JOIN units " \
    "un "                                                                                          \
    "ON un.id = r.unit_id WHERE r.created_at >= $1 AND r.created_at < $2" QI_FILTER(               \
        "r.customer_id", "un.model_id")

#define QI_DOA                                                                                     \
    " UNION ALL SELECT 'doa', t.model_id, COALESCE(substr(un.production_date, 1, 7), ''), NULL, "  \
    "CASE WHEN t.status IN ('resolved', 'closed') THEN 'closed' WHEN t.status = 'cancelled' THEN " \
    "'refused' ELSE 'open' END, 0, 0 FROM tickets t LEFT JOIN units un ON un.id = t.unit_id "      \
    "WHERE "                                                                                       \
    "t.type = 'doa' AND t.created_at >= $1 AND t.created_at < $2" QI_FILTER("t.customer_id",       \
                                                                            "t.model_id")

#define QI_VISITS                                                                                  \
    " UNION ALL SELECT 'visit', t.model_id, COALESCE(substr(un.production_date, 1, 7), ''), CASE " \
    "WHEN f.design <> '' THEN 'design' WHEN f.assembly <> '' THEN 'assembly' WHEN f.process <> "   \
    "'' THEN 'manufacturing' ELSE NULL END, CASE WHEN f.routed_at IS NULL THEN 'open' ELSE "       \
    "'analysed' END, 0, 0 FROM visit_findings f JOIN tickets t ON t.id = f.ticket_id LEFT JOIN "   \
    "units un ON un.id = t.unit_id WHERE (f.design <> '' OR f.assembly <> '' OR f.process <> '' "  \
    "OR f.other <> '') AND f.recorded_at >= $1 AND f.recorded_at < $2" QI_FILTER("t.customer_id",  \
                                                                                 "t.model_id")

/* Work orders finished in the period (done or not fixed; needs_factory goes on as an RMA):
 * every on-site repair (source repair: the fault it fixed), and installations and periodic
 * visits that recorded findings or a failed checklist item. Cause: the ticket's fault
 * category; analysis: the ticket cancelled (refused), resolved or closed (closed), with a
 * diagnosis naming a suspected cause (analysed), else open; corrective: the work done. */
#define QI_WORK_ORDERS                                                                             \
    " UNION ALL SELECT CASE w.kind WHEN 'onsite_repair' THEN 'repair' WHEN 'installation' THEN "   \
    "'installation' ELSE 'visit' END, t.model_id, COALESCE(substr(un.production_date, 1, 7), "     \
    "''), NULLIF(t.fault_category, ''), CASE WHEN t.status = 'cancelled' THEN 'refused' WHEN "     \
    "t.status IN ('resolved', 'closed') THEN 'closed' WHEN EXISTS (SELECT 1 FROM "                 \
    "ticket_diagnoses d WHERE d.ticket_id = t.id AND d.suspected_cause <> '') THEN 'analysed' "    \
    "ELSE 'open' END, CASE WHEN w.work_done <> '' THEN 1 ELSE 0 END, 1 FROM work_orders w JOIN "   \
    "tickets t ON t.id = w.ticket_id LEFT JOIN units un ON un.id = t.unit_id WHERE w.status IN "   \
    "('done', 'not_fixed') AND w.finished_at >= $1 AND w.finished_at < $2 AND (w.kind = "          \
    "'onsite_repair' OR (w.kind IN ('installation', 'periodic_visit') AND (w.findings <> '' OR "   \
    "EXISTS (SELECT 1 FROM checklist_results cr WHERE cr.work_order_id = w.id AND cr.passed = "    \
    "0))))" QI_FILTER("t.customer_id", "t.model_id")

#define QI_SQL                                                                                     \
    "SELECT x.src, x.model_id, m.code AS model_code, m.name AS model_name, x.batch, x.cause, "     \
    "fc.name AS cause_name, x.st, x.corr FROM (" QI_NOTICES QI_RMAS QI_DOA QI_VISITS               \
        QI_WORK_ORDERS ") x LEFT JOIN product_models m ON m.id = x.model_id LEFT JOIN "            \
    "fault_categories fc ON fc.code = x.cause AND x.wo = 1 ORDER BY x.src, m.code, x.batch, "      \
    "x.cause LIMIT "                                                                               \
    "100000"

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static void count(struct quality_issue_row *r, const char *st, bool corr)
{
    r->anomalies++;
    if (!strcmp(st, "open"))
        r->open++;
    else if (!strcmp(st, "analysed"))
        r->analysed++;
    else if (!strcmp(st, "verified"))
        r->verified++;
    else if (!strcmp(st, "closed"))
        r->closed++;
    else
        r->refused++;
    r->corrective += corr;
}

enum sh_code uc_report_quality_issues(const struct uc *u, const struct report_filter *f,
                                      struct quality_issue_report *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, QI_SQL,
                 DB_P(DB_TEXT(f->from), DB_TEXT(f->to), DB_TEXT(f->from_day), DB_TEXT(f->to_day),
                      DB_INT(f->customer_id), DB_INT(f->model_id)),
                 &r, e);
    if (rc)
        return rc;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows ? r.nrows : 1));
    out->n = 0;
    out->total = (struct quality_issue_row){0};
    for (int i = 0; i < r.nrows; i++) {
        const char *src = db_get(&r, i, "src"), *model = db_get(&r, i, "model_id");
        const char *batch = db_get(&r, i, "batch"), *cause = db_get(&r, i, "cause");
        if (batch && !*batch)
            batch = NULL;
        struct quality_issue_row *g = out->n ? &out->rows[out->n - 1] : NULL;
        /* the rows come ordered by source, model code, batch and cause */
        if (!g || !same(g->source, src) || !same(g->model_id, model) || !same(g->batch, batch) ||
            !same(g->cause, cause)) {
            g = &out->rows[out->n++];
            *g = (struct quality_issue_row){.source = src,
                                            .model_id = model,
                                            .model_code = db_get(&r, i, "model_code"),
                                            .model_name = db_get(&r, i, "model_name"),
                                            .batch = batch,
                                            .cause = cause,
                                            .cause_name = db_get(&r, i, "cause_name")};
        }
        bool corr = db_get_int(&r, i, "corr", 0) > 0;
        count(g, db_get(&r, i, "st"), corr);
        count(&out->total, db_get(&r, i, "st"), corr);
    }
    return SH_OK;
}
