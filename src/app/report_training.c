/* SPDX-License-Identifier: MIT */
#include "app/report_training.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/sh_buf.h"

/* RULE R-189: a session is a training record signed in the period (trainees and chargeable
 * as stored at signing: beyond the contract's free seats), a project accepted in the period
 * with training required and no record yet (owed: unsigned, no trainees), or a training work
 * order finished (done) in the period (signed when it has a signed service report; its
 * trainees are not recorded: 0). */
#define PROJECT_FILTER                                                                             \
    " AND ($3 = 0 OR t.department_id = $3) AND ($5 = 0 OR p.customer_id = $5) AND ($6 = 0 OR "     \
    "EXISTS (SELECT 1 FROM installation_project_units pu JOIN units n ON n.id = pu.unit_id "       \
    "WHERE pu.project_id = p.id AND n.model_id = $6)) AND ($7 = '' OR c.region = $7)"
#define PROJECT_FROM                                                                               \
    " FROM installation_projects p JOIN customers c ON c.id = p.customer_id LEFT JOIN tickets t "  \
    "ON t.id = p.ticket_id"

static const char training_sql[] =
    "SELECT 'project' AS source, p.id AS record_id, p.number, s.signed_at AS at, p.customer_id, "
    "c.name AS customer, COALESCE(c.region, '') AS region, s.signed_by AS staff_id, "
    "COALESCE(us.display_name, us.username, '') AS staff, s.trainees, s.chargeable, s.snapshot, "
    "1 AS signed" PROJECT_FROM " JOIN project_signoffs s ON s.project_id = p.id AND s.kind = "
    "'training' LEFT JOIN users us ON us.id = s.signed_by WHERE s.signed_at >= $1 AND "
    "s.signed_at < $2 AND ($4 = 0 OR s.signed_by = $4)" PROJECT_FILTER
    " UNION ALL SELECT 'project', p.id, p.number, p.accepted_at, p.customer_id, c.name, "
    "COALESCE(c.region, ''), NULL, '', 0, 0, '', 0" PROJECT_FROM
    " WHERE p.training_required = 1 AND p.accepted_at >= $1 AND p.accepted_at < $2 AND $4 = 0 "
    "AND NOT EXISTS (SELECT 1 FROM project_signoffs s WHERE s.project_id = p.id AND s.kind = "
    "'training')" PROJECT_FILTER
    " UNION ALL SELECT 'work_order', w.id, w.number, w.finished_at, t.customer_id, "
    "COALESCE(c.name, ''), COALESCE(t.region, ''), w.lead_id, COALESCE(u.display_name, "
    "u.username, ''), 0, 0, '', CASE WHEN EXISTS (SELECT 1 FROM service_reports r WHERE "
    "r.work_order_id = w.id) THEN 1 ELSE 0 END FROM work_orders w JOIN tickets t ON t.id = "
    "w.ticket_id LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = "
    "w.lead_id WHERE w.kind = 'training' AND w.status = 'done' AND w.finished_at >= $1 AND "
    "w.finished_at < $2 AND " REPORT_TICKET_FILTER("w.lead_id") " ORDER BY 4, 3 LIMIT $8";

static void count_topic(struct training_report *o, const char *topic)
{
    for (int k = 0; k < o->ntopics; k++)
        if (!strcmp(o->topics[k].topic, topic)) {
            o->topics[k].sessions++;
            return;
        }
    if (o->ntopics < TRAINING_TOPICS_MAX)
        o->topics[o->ntopics++] = (struct training_topic_count){topic, 1};
}

/* the snapshot's "topics" array, joined for the row and counted per topic */
static const char *topics_of(const struct uc *u, const char *snapshot, struct training_report *o)
{
    json_t *j = snapshot && *snapshot ? json_loads(snapshot, 0, NULL) : NULL;
    json_t *arr = json_object_get(j, "topics");
    struct sh_buf b = SH_BUF_INIT(4096);
    size_t i;
    json_t *v;
    bool full = false;
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        if (!s)
            continue;
        count_topic(o, sh_arena_strdup(u->a, s));
        if (!full && ((b.len && sh_buf_adds(&b, "、")) || sh_buf_adds(&b, s)))
            full = true; /* 4 KB of topic names: the rest are counted, not listed */
    }
    json_decref(j);
    const char *out = sh_arena_strdup(u->a, b.len ? b.buf : "");
    sh_buf_release(&b);
    return out;
}

static void add_row(const struct uc *u, const struct db_rows *r, int i, struct training_report *o)
{
    struct training_row *w = &o->rows[o->n++];
    *w = (struct training_row){
        .source = db_get(r, i, "source"),
        .record_id = db_get_int(r, i, "record_id", 0),
        .customer_id = db_get_int(r, i, "customer_id", 0),
        .staff_id = db_get_int(r, i, "staff_id", 0),
        .number = db_get(r, i, "number"),
        .at = db_get(r, i, "at"),
        .customer = db_get(r, i, "customer"),
        .region = db_get(r, i, "region"),
        .staff = db_get(r, i, "staff"),
        .trainees = db_get_int(r, i, "trainees", 0),
        .chargeable = db_get_int(r, i, "chargeable", 0),
        .signed_ = db_get_int(r, i, "signed", 0) != 0,
    };
    w->topics = topics_of(u, db_get(r, i, "snapshot"), o);
    bool owed = !strcmp(w->source, "project") && !w->signed_;
    o->sessions += !owed;
    o->trainees += w->trainees;
    o->chargeable += w->chargeable;
    o->signed_ += w->signed_;
    o->unsigned_ += !w->signed_;
}

/* the most taught topic first, then by name */
static int topic_cmp(const void *a, const void *b)
{
    const struct training_topic_count *x = a, *y = b;
    if (x->sessions != y->sessions)
        return x->sessions > y->sessions ? -1 : 1;
    return strcmp(x->topic, y->topic);
}

enum sh_code uc_report_training(const struct uc *u, const struct report_filter *f,
                                struct training_report *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, training_sql,
                               DB_P(REPORT_FILTER_VALS(f), DB_INT(TRAINING_REPORT_MAX + 1)), &r, e);
    if (rc)
        return rc;
    out->truncated = r.nrows > TRAINING_REPORT_MAX;
    int n = out->truncated ? TRAINING_REPORT_MAX : r.nrows;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        add_row(u, &r, i, out);
    out->free = out->trainees - out->chargeable;
    qsort(out->topics, (size_t)out->ntopics, sizeof(out->topics[0]), topic_cmp);
    return SH_OK;
}
