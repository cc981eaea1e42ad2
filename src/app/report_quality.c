/* SPDX-License-Identifier: MIT */
#include "app/report_quality.h"

#include <string.h>

/* RULE R-177, first-time fix, R-178 completion: per assignee over the tickets resolved in
 * the period. k: the ticket's work orders that were not cancelled. */
#define RESOLVED_SQL                                                                               \
    "SELECT x.assignee_id, u.display_name AS name, count(*) AS resolved, sum(CASE WHEN x.type = "  \
    "'repair' THEN 1 ELSE 0 END) AS repairs, sum(CASE WHEN x.type = 'repair' AND x.repeat_of IS "  \
    "NOT NULL THEN 1 ELSE 0 END) AS repeats, sum(CASE WHEN x.k > 0 THEN 1 ELSE 0 END) AS "         \
    "with_wo, "                                                                                    \
    "sum(CASE WHEN x.k = 1 THEN 1 ELSE 0 END) AS first_time, sum(x.surveyed) AS surveyed FROM "    \
    "(SELECT t.assignee_id, t.type, t.repeat_of, (SELECT count(*) FROM work_orders w WHERE "       \
    "w.ticket_id = t.id AND w.status <> 'cancelled') AS k, CASE WHEN EXISTS (SELECT 1 FROM "       \
    "surveys v WHERE v.ticket_id = t.id AND v.status = 'submitted') THEN 1 ELSE 0 END AS "         \
    "surveyed FROM tickets t WHERE t.resolved_at >= $1 AND t.resolved_at < $2 AND t.status <> "    \
    "'cancelled' AND " REPORT_TICKET_FILTER(                                                       \
        "t.assignee_id") ") x LEFT JOIN users u ON u.id = "                                        \
                         "x.assignee_id GROUP BY x.assignee_id, u.display_name"

#define SURVEY_SQL                                                                                 \
    "SELECT t.assignee_id, u.display_name AS name, count(*) AS answered, "                         \
    "COALESCE(sum(v.score_overall), 0) AS score_sum, "                                             \
    "count(v.score_overall) AS scored FROM surveys v JOIN tickets t ON t.id = v.ticket_id LEFT "   \
    "JOIN "                                                                                        \
    "users u ON u.id = t.assignee_id WHERE "                                                       \
    "v.status = 'submitted' AND v.answered_at >= $1 AND v.answered_at < $2 "                       \
    "AND " REPORT_TICKET_FILTER("t.assignee_id") " GROUP BY t.assignee_id, u.display_name"

static struct quality_row *row_of(struct quality_report *out, int64_t id, const char *name, int cap)
{
    for (int i = 0; i < out->n; i++)
        if (out->rows[i].user_id == id)
            return &out->rows[i];
    if (out->n == cap)
        return NULL;
    out->rows[out->n] = (struct quality_row){.user_id = id, .name = name ? name : ""};
    return &out->rows[out->n++];
}

static void add(struct quality_row *t, const struct quality_row *r)
{
    t->resolved += r->resolved;
    t->repairs += r->repairs;
    t->repeats += r->repeats;
    t->with_wo += r->with_wo;
    t->first_time += r->first_time;
    t->surveyed += r->surveyed;
    t->answered += r->answered;
    t->score_sum += r->score_sum;
    t->scored += r->scored;
}

static void finish(struct quality_row *r)
{
    r->repeat_pct = report_ratio(r->repeats, r->repairs, 100);
    r->first_time_pct = report_ratio(r->first_time, r->with_wo, 100);
    r->survey_pct = report_ratio(r->surveyed, r->resolved, 100);
    r->score_avg = report_ratio(r->score_sum, r->scored, 1);
}

enum sh_code uc_report_quality(const struct uc *u, const struct report_filter *f,
                               struct quality_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct db_rows a, b;
    enum sh_code rc = db_query(u->tx, u->a, RESOLVED_SQL, DB_P(REPORT_FILTER_VALS(f)), &a, e);
    if (!rc)
        rc = db_query(u->tx, u->a, SURVEY_SQL, DB_P(REPORT_FILTER_VALS(f)), &b, e);
    if (rc)
        return rc;
    int cap = a.nrows + b.nrows + 1;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)cap);
    for (int i = 0; i < a.nrows; i++) {
        struct quality_row *r =
            row_of(out, db_get_int(&a, i, "assignee_id", 0), db_get(&a, i, "name"), cap);
        r->resolved = db_get_int(&a, i, "resolved", 0);
        r->repairs = db_get_int(&a, i, "repairs", 0);
        r->repeats = db_get_int(&a, i, "repeats", 0);
        r->with_wo = db_get_int(&a, i, "with_wo", 0);
        r->first_time = db_get_int(&a, i, "first_time", 0);
        r->surveyed = db_get_int(&a, i, "surveyed", 0);
    }
    for (int i = 0; i < b.nrows; i++) {
        struct quality_row *r =
            row_of(out, db_get_int(&b, i, "assignee_id", 0), db_get(&b, i, "name"), cap);
        r->answered = db_get_int(&b, i, "answered", 0);
        r->score_sum = db_get_int(&b, i, "score_sum", 0);
        r->scored = db_get_int(&b, i, "scored", 0);
    }
    for (int i = 0; i < out->n; i++) {
        finish(&out->rows[i]);
        add(&out->total, &out->rows[i]);
    }
    finish(&out->total);
    return SH_OK;
}
