/* SPDX-License-Identifier: MIT */
#include "store/surveys.h"

#include <stdlib.h>
#include <string.h>

#define SURVEY_COLS                                                                                \
    "id, ticket_id, work_order_id, technician_id, recorded_by, version, score_speed, "             \
    "score_skill, score_attitude, score_overall, status, channel, expires_at, sent_at, "           \
    "recipient, comment, respondent, refusal_reason, answered_at, created_at, updated_at"

static void row_of(const struct db_rows *r, int i, struct survey_row *out)
{
    out->id = db_get_int(r, i, "id", 0);
    out->ticket_id = db_get_int(r, i, "ticket_id", 0);
    out->work_order_id = db_get_int(r, i, "work_order_id", 0);
    out->technician_id = db_get_int(r, i, "technician_id", 0);
    out->recorded_by = db_get_int(r, i, "recorded_by", 0);
    out->version = db_get_int(r, i, "version", 1);
    for (int k = 0; k < SURVEY_SCORE_COUNT; k++)
        out->scores[k] = db_get_int(r, i, survey_score_names[k], 0);
    out->status = db_get(r, i, "status");
    out->channel = db_get(r, i, "channel");
    out->expires_at = db_get(r, i, "expires_at");
    out->sent_at = db_get(r, i, "sent_at");
    out->recipient = db_get(r, i, "recipient");
    out->comment = db_get(r, i, "comment");
    out->respondent = db_get(r, i, "respondent");
    out->refusal_reason = db_get(r, i, "refusal_reason");
    out->answered_at = db_get(r, i, "answered_at");
    out->created_at = db_get(r, i, "created_at");
    out->updated_at = db_get(r, i, "updated_at");
}

static enum sh_code one(struct db_tx *tx, struct sh_arena *a, const char *sql, struct db_val p,
                        struct survey_row *out, bool *found, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, sql, &p, 1, &r, e);
    if (rc)
        return rc;
    *found = r.nrows > 0;
    if (*found)
        row_of(&r, 0, out);
    return SH_OK;
}

enum sh_code surveys_latest(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                            struct survey_row *out, bool *found, struct sh_err *e)
{
    return one(tx, a,
               "SELECT " SURVEY_COLS " FROM surveys WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1",
               DB_INT(ticket_id), out, found, e);
}

enum sh_code surveys_by_token(struct db_tx *tx, struct sh_arena *a, const char *hash,
                              struct survey_row *out, bool *found, struct sh_err *e)
{
    return one(tx, a, "SELECT " SURVEY_COLS " FROM surveys WHERE token_hash = $1", DB_TEXT(hash),
               out, found, e);
}

enum sh_code surveys_insert(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                            int64_t work_order_id, int64_t technician_id, const char *now,
                            int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "INSERT INTO surveys (ticket_id, work_order_id, technician_id, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $4) RETURNING id",
        DB_P(DB_INT(ticket_id), work_order_id ? DB_INT(work_order_id) : DB_NULL,
             technician_id ? DB_INT(technician_id) : DB_NULL, DB_TEXT(now)),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    return rc;
}

enum sh_code surveys_set_link(struct db_tx *tx, int64_t id, const char *hash,
                              const char *expires_at, const char *recipient, const char *now,
                              struct sh_err *e)
{
    int64_t n = 0;
    enum sh_code rc = db_exec(
        tx,
        "UPDATE surveys SET token_hash = $2, expires_at = $3, recipient = $4, "
        "sent_at = $5, updated_at = $5, version = version + 1 "
        "WHERE id = $1 AND status = 'pending'",
        DB_P(DB_INT(id), DB_TEXT(hash), DB_TEXT(expires_at), DB_TEXT(recipient), DB_TEXT(now)), &n,
        e);
    if (!rc && n != 1)
        return sh_err_set(e, SH_CONFLICT, "the survey was answered meanwhile");
    return rc;
}

static struct db_val score(int64_t v)
{
    return v ? DB_INT(v) : DB_NULL;
}

enum sh_code surveys_answer(struct db_tx *tx, int64_t id, const struct survey_answer *in,
                            const char *now, struct sh_err *e)
{
    int64_t n = 0;
    /* the token's hash stays (a reused link then says "used", not "unknown") */
    enum sh_code rc = db_exec(
        tx,
        "UPDATE surveys SET status = $2, channel = $3, score_speed = $4, score_skill = $5, "
        "score_attitude = $6, score_overall = $7, comment = $8, respondent = $9, "
        "refusal_reason = $10, recorded_by = $11, answered_at = $12, updated_at = $12, "
        "version = version + 1 WHERE id = $1 AND status = 'pending'",
        DB_P(DB_INT(id), DB_TEXT(survey_status_names[in->status]), DB_TEXT(in->channel),
             score(in->scores[0]), score(in->scores[1]), score(in->scores[2]), score(in->scores[3]),
             DB_TEXT(in->comment ? in->comment : ""), DB_TEXT(in->respondent ? in->respondent : ""),
             DB_TEXT(in->refusal_reason ? in->refusal_reason : ""),
             in->recorded_by ? DB_INT(in->recorded_by) : DB_NULL, DB_TEXT(now)),
        &n, e);
    if (!rc && n != 1) {
        sh_err_set(e, SH_CONFLICT, "the survey was answered already");
        return sh_err_reason(e, "used", NULL);
    }
    return rc;
}

enum sh_code surveys_done(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id, bool *out,
                          struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT count(*) AS n, COALESCE(SUM(CASE WHEN status = 'pending' "
                               "THEN 1 ELSE 0 END), 0) AS open FROM surveys WHERE ticket_id = $1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    if (!rc)
        *out = db_get_int(&r, 0, "n", 0) > 0 && db_get_int(&r, 0, "open", 0) == 0;
    return rc;
}

enum sh_code surveys_link_days(struct db_tx *tx, struct sh_arena *a, int64_t *days,
                               struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT value FROM settings WHERE key = 'survey_link_days' AND "
                               "type = 'int'",
                               DB_NOP, &r, e);
    if (rc)
        return rc;
    *days = r.nrows ? strtoll(db_get(&r, 0, "value"), NULL, 10) : SURVEY_LINK_DAYS_DEFAULT;
    return SH_OK;
}

enum sh_code surveys_technician_stats(struct db_tx *tx, struct sh_arena *a, int64_t technician_id,
                                      const char *from, const char *to, struct survey_stats *out,
                                      struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a,
                 "SELECT COALESCE(SUM(CASE WHEN status = 'submitted' THEN 1 ELSE 0 END), 0) AS n, "
                 "COALESCE(SUM(CASE WHEN status = 'refused' THEN 1 ELSE 0 END), 0) AS refused, "
                 "AVG(CASE WHEN status = 'submitted' THEN score_speed END) AS a0, "
                 "AVG(CASE WHEN status = 'submitted' THEN score_skill END) AS a1, "
                 "AVG(CASE WHEN status = 'submitted' THEN score_attitude END) AS a2, "
                 "AVG(CASE WHEN status = 'submitted' THEN score_overall END) AS a3, "
                 "COUNT(CASE WHEN status = 'submitted' THEN score_speed END) AS c0, "
                 "COUNT(CASE WHEN status = 'submitted' THEN score_skill END) AS c1, "
                 "COUNT(CASE WHEN status = 'submitted' THEN score_attitude END) AS c2, "
                 "COUNT(CASE WHEN status = 'submitted' THEN score_overall END) AS c3 "
                 "FROM surveys WHERE technician_id = $1 AND answered_at >= $2 AND answered_at < $3",
                 DB_P(DB_INT(technician_id), DB_TEXT(from), DB_TEXT(to)), &r, e);
    if (rc)
        return rc;
    memset(out, 0, sizeof(*out));
    out->count = db_get_int(&r, 0, "n", 0);
    out->refused = db_get_int(&r, 0, "refused", 0);
    static const char *const av[] = {"a0", "a1", "a2", "a3"}, *const cn[] = {"c0", "c1", "c2",
                                                                             "c3"};
    for (int k = 0; k < SURVEY_SCORE_COUNT; k++) {
        const char *v = db_get(&r, 0, av[k]);
        out->avg[k] = v ? strtod(v, NULL) : 0;
        out->scored[k] = db_get_int(&r, 0, cn[k], 0);
    }
    return SH_OK;
}
