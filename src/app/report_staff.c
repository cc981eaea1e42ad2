/* SPDX-License-Identifier: MIT */
#include "app/report_staff.h"

#include <inttypes.h>
#include <string.h>

#include "app/surveys.h"
#include "base/date.h"
#include "domain/work_order.h"

/* Sums of one technician before the percentages. */
struct acc {
    int64_t lateness_sum, late; /* minutes over the late arrivals, and how many */
};

/* The row of user id, or NULL. */
static int row_of(const struct staff_report *out, int64_t id)
{
    for (int i = 0; i < out->n; i++)
        if (out->rows[i].user_id == id)
            return i;
    return -1;
}

/* Technicians, and anyone else who led a work order with an arrival or finish in the
 * period; a technician-only caller gets their own row. */
static enum sh_code load_people(const struct uc *u, const char *from, const char *to,
                                struct staff_report *out, struct sh_err *e)
{
    struct db_rows r;
    int64_t only = principal_technician_only(u->who) ? u->who->user_id : 0;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT id, display_name FROM users WHERE ($3 = 0 OR id = $3) AND (((',' || roles || "
        "',') LIKE '%,technician,%' AND active = 1) OR id IN (SELECT lead_id FROM work_orders "
        "WHERE (finished_at >= $1 AND finished_at < $2) OR (arrived_at >= $1 AND arrived_at < "
        "$2))) ORDER BY display_name, id LIMIT 2000",
        DB_P(DB_TEXT(from), DB_TEXT(to), DB_INT(only)), &r, e);
    if (rc)
        return rc;
    out->n = r.nrows;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++)
        out->rows[i] = (struct staff_report_row){.user_id = db_get_int(&r, i, "id", 0),
                                                 .name = db_get(&r, i, "display_name")};
    return SH_OK;
}

/* One work order led by row x: done, arrival on time, lateness, late notice. */
static void count_work_order(struct staff_report_row *x, struct acc *a, const struct db_rows *r,
                             int i, const char *from, const char *to)
{
    const char *fin = db_get(r, i, "finished_at"), *arr = db_get(r, i, "arrived_at");
    const char *st = db_get(r, i, "status"), *ln = db_get(r, i, "late_notice");
    if (fin && !strcmp(st, "done") && strcmp(fin, from) >= 0 && strcmp(fin, to) < 0)
        x->done++;
    int64_t at, appt;
    if (!arr || strcmp(arr, from) < 0 || strcmp(arr, to) >= 0 || !sh_ts_parse(arr, &at) ||
        !db_get(r, i, "appointment_at") || !sh_ts_parse(db_get(r, i, "appointment_at"), &appt))
        return;
    x->arrivals++;
    /* the punctuality report's rule: early is not on time, lateness is of the late arrivals */
    enum wo_arrival c = wo_arrival_class(appt, (int)db_get_int(r, i, "tolerance_min", 30), at);
    x->on_time += c == WOA_ON_TIME;
    if (c == WOA_LATE) {
        a->late++;
        a->lateness_sum += wo_lateness_min(appt, at);
    }
    if (ln && *ln) {
        x->notices_due++;
        x->notices_in_time += !strcmp(ln, "in_time");
    }
}

static enum sh_code count_work_orders(const struct uc *u, const char *from, const char *to,
                                      struct staff_report *out, struct acc *acc, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT lead_id, status, appointment_at, tolerance_min, arrived_at, late_notice, "
        "finished_at FROM work_orders WHERE lead_id IS NOT NULL AND ((finished_at >= $1 AND "
        "finished_at < $2) OR (arrived_at >= $1 AND arrived_at < $2)) LIMIT 200000",
        DB_P(DB_TEXT(from), DB_TEXT(to)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        int k = row_of(out, db_get_int(&r, i, "lead_id", 0));
        if (k >= 0)
            count_work_order(&out->rows[k], &acc[k], &r, i, from, to);
    }
    return rc;
}

/* First-time fix: each ticket resolved in the period, once per technician who led one of
 * its work orders; first time when it has one work order that was not cancelled. */
static enum sh_code count_first_time(const struct uc *u, const char *from, const char *to,
                                     struct staff_report *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT w.lead_id, t.id, (SELECT count(*) FROM work_orders x WHERE x.ticket_id = t.id "
        "AND x.status <> 'cancelled') AS n FROM tickets t JOIN work_orders w ON w.ticket_id = "
        "t.id AND w.status <> 'cancelled' WHERE t.resolved_at >= $1 AND t.resolved_at < $2 AND "
        "w.lead_id IS NOT NULL GROUP BY w.lead_id, t.id LIMIT 200000",
        DB_P(DB_TEXT(from), DB_TEXT(to)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        int k = row_of(out, db_get_int(&r, i, "lead_id", 0));
        if (k < 0)
            continue;
        out->rows[k].resolved++;
        out->rows[k].first_time += db_get_int(&r, i, "n", 0) == 1;
    }
    return rc;
}

/* Survey answers about each technician's work answered in the period: the figures of
 * uc_survey_technician_stats, the one count of a technician's surveys. */
static enum sh_code count_surveys(const struct uc *u, const char *from, const char *to,
                                  struct staff_report *out, struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    for (int k = 0; !rc && k < out->n; k++) {
        struct staff_report_row *x = &out->rows[k];
        struct survey_stats st;
        if ((rc = uc_survey_technician_stats(u, x->user_id, from, to, &st, e)))
            break;
        x->surveys = st.count;
        for (int s = 0; s < STAFF_SCORES; s++)
            x->survey_avg[s] = st.scored[s] ? st.avg[s] : -1;
    }
    return rc;
}

/* RULE: conduct complaints about each person with occurred_on in the period
 * (local days), counted only for the heads; -1 (not shown) for anyone else. */
static enum sh_code count_complaints(const struct uc *u, const char *from, const char *to,
                                     struct staff_report *out, struct sh_err *e)
{
    bool heads = (u->who->roles & ROLES_HEADS) != 0;
    for (int k = 0; k < out->n; k++)
        out->rows[k].complaints = heads ? 0 : -1;
    if (!heads)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT staff_user_id, count(*) AS n FROM conduct_complaints WHERE "
                               "occurred_on >= $1 AND occurred_on <= $2 GROUP BY staff_user_id",
                               DB_P(DB_TEXT(from), DB_TEXT(to)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        int k = row_of(out, db_get_int(&r, i, "staff_user_id", 0));
        if (k >= 0)
            out->rows[k].complaints = db_get_int(&r, i, "n", 0);
    }
    return rc;
}

static double ratio(int64_t a, int64_t b, double scale)
{
    return b ? scale * (double)a / (double)b : -1;
}

enum sh_code uc_report_staff(const struct uc *u, const char *from, const char *to,
                             struct staff_report *out, struct sh_err *e)
{
    struct sh_date f, t;
    if (!sh_date_parse(from, &f) || !sh_date_parse(to, &t))
        return sh_err_set(e, SH_INVALID, "bad period");
    /* local days: [from 00:00, to + 1 day 00:00) in Asia/Shanghai (UTC+8) */
    char ts_from[21], ts_to[21];
    sh_ts_format(sh_days_from_civil(f.y, f.m, f.d) * 86400 - 8 * 3600, ts_from);
    sh_ts_format((sh_days_from_civil(t.y, t.m, t.d) + 1) * 86400 - 8 * 3600, ts_to);
    memset(out, 0, sizeof(*out));
    enum sh_code rc = load_people(u, ts_from, ts_to, out, e);
    if (rc)
        return rc;
    struct acc *acc = sh_arena_alloc(u->a, sizeof(*acc) * (size_t)(out->n ? out->n : 1));
    memset(acc, 0, sizeof(*acc) * (size_t)(out->n ? out->n : 1));
    if ((rc = count_work_orders(u, ts_from, ts_to, out, acc, e)) ||
        (rc = count_first_time(u, ts_from, ts_to, out, e)) ||
        (rc = count_surveys(u, ts_from, ts_to, out, e)) ||
        (rc = count_complaints(u, from, to, out, e)))
        return rc;
    for (int i = 0; i < out->n; i++) {
        struct staff_report_row *x = &out->rows[i];
        x->on_time_pct = ratio(x->on_time, x->arrivals, 100);
        x->avg_lateness_min = ratio(acc[i].lateness_sum, acc[i].late, 1);
        x->notices_in_time_pct = ratio(x->notices_in_time, x->notices_due, 100);
        x->first_time_pct = ratio(x->first_time, x->resolved, 100);
    }
    return SH_OK;
}
