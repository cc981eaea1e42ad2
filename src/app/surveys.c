/* SPDX-License-Identifier: MIT */
#include "app/surveys.h"
#include "app/notify_events.h"

#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/i18n.h"
#include "app/passwords.h"
#include "app/tasks.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "base/date.h"
#include "base/sh_buf.h"

/* ---- whose work it is ---- */

/* Whether user_id leads or helps on one of the ticket's work orders. The one place that knows
 * who did the work of a work order (with rated_work below). */
static enum sh_code own_work_order(const struct uc *u, int64_t ticket_id, int64_t user_id,
                                   bool *own, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT w.id FROM work_orders w WHERE w.ticket_id = $1 AND "
                               "(w.lead_id = $2 OR EXISTS (SELECT 1 FROM work_order_helpers h "
                               "WHERE h.work_order_id = w.id AND h.user_id = $2)) LIMIT 1",
                               DB_P(DB_INT(ticket_id), DB_INT(user_id)), &r, e);
    *own = !rc && r.nrows > 0;
    return rc;
}

/* The work a new survey rates: the ticket's latest finished work order and its lead, else the
 * ticket's assignee (work order 0). */
static enum sh_code rated_work(const struct uc *u, const struct ticket_row *t, int64_t *wo,
                               int64_t *tech, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id, lead_id FROM work_orders WHERE ticket_id = $1 AND "
                               "status = 'done' ORDER BY id DESC LIMIT 1",
                               DB_P(DB_INT(t->id)), &r, e);
    *wo = rc || !r.nrows ? 0 : db_get_int(&r, 0, "id", 0);
    *tech = rc || !r.nrows ? 0 : db_get_int(&r, 0, "lead_id", 0);
    if (!*tech)
        *tech = t->assignee_id;
    return rc;
}

enum sh_code survey_own_work(const struct uc *u, const struct ticket_row *t, bool *own,
                             struct sh_err *e)
{
    *own = false;
    if (!u->who || !u->who->user_id || !(u->who->roles & RB(TECHNICIAN)))
        return SH_OK;
    if (t->assignee_id == u->who->user_id) {
        *own = true;
        return SH_OK;
    }
    return own_work_order(u, t->id, u->who->user_id, own, e);
}

static enum sh_code refuse_own(struct sh_err *e)
{
    sh_err_set(e, SH_FORBIDDEN,
               "the survey rates your own work: you may read it once the customer has answered");
    return sh_err_reason(e, "own_work", NULL);
}

/* ---- the link ---- */

/* The customer's message from the company's survey_link template (notify_events.h). */
static enum sh_code queue_message(const struct uc *u, int64_t ticket_id, const char *number,
                                  const char *url, int64_t days, struct sh_err *e)
{
    const struct notify_var v[] = {
        {"number", number}, {"url", url}, {"days", sh_arena_printf(u->a, "%" PRId64, days)}};
    struct notify_to to = {.ticket_customer = true, .ticket_id = ticket_id};
    return uc_notify_event(u, "survey_link", &to, v, 3, NULL, e);
}

/* A fresh token for survey s of ticket t: its hash stored, the message queued. */
static enum sh_code send_link(const struct uc *u, int64_t survey_id, int64_t ticket_id,
                              struct survey_link_out *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT t.number, COALESCE(NULLIF(t.caller_phone, ''), c.phone, "
                               "'') AS phone FROM tickets t LEFT JOIN customers c ON c.id = "
                               "t.customer_id WHERE t.id = $1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    int64_t days = 0;
    if (rc || (rc = surveys_link_days(u->tx, u->a, &days, e)))
        return rc;
    if (days < 0 || days > SURVEY_LINK_DAYS_MAX)
        days = days < 0 ? 0 : SURVEY_LINK_DAYS_MAX;
    char hash[65], now[21], exp[21];
    pw_random_hex(out->token, 24);
    pw_token_hash(out->token, hash);
    sh_ts_format(u->now, now);
    sh_ts_format(u->now + survey_link_lifetime(days), exp);
    const char *number = db_get(&r, 0, "number"), *phone = db_get(&r, 0, "phone");
    const char *base = u->app && u->app->public_url ? u->app->public_url : "";
    out->url = sh_arena_printf(u->a, "%s/r/survey/%s", base, out->token);
    out->expires_at = sh_arena_strdup(u->a, exp);
    out->recipient = phone ? phone : "";
    out->survey_id = survey_id;
    if ((rc = surveys_set_link(u->tx, survey_id, hash, exp, out->recipient, now, e)))
        return rc;
    if (*out->recipient && (rc = queue_message(u, ticket_id, number, out->url, days, e)))
        return rc;
    const char *data = sh_arena_printf(
        u->a, "{\"event\":\"link\",\"survey_id\":%" PRId64 ",\"expires_at\":\"%s\",\"sent\":%s}",
        survey_id, exp, *out->recipient ? "true" : "false");
    return uc_ticket_event(u, ticket_id, "survey", "internal", "", data, NULL, e);
}

enum sh_code uc_survey_on_resolved(const struct uc *u, const struct ticket_row *t, struct sh_err *e)
{
    struct survey_row s;
    bool found = false;
    enum sh_code rc = surveys_latest(u->tx, u->a, t->id, &s, &found, e);
    if (rc || (found && !strcmp(s.status, "pending")))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    int64_t id = 0, wo = 0, tech = 0;
    if ((rc = rated_work(u, t, &wo, &tech, e)) ||
        (rc = surveys_insert(u->tx, u->a, t->id, wo, tech, now, &id, e)))
        return rc;
    struct survey_link_out out;
    if ((rc = send_link(u, id, t->id, &out, e)))
        return rc;
    return uc_audit(u, "survey", id, "create", NULL,
                    sh_arena_printf(u->a, "{\"ticket_id\":%" PRId64 ",\"expires_at\":\"%s\"}",
                                    t->id, out.expires_at),
                    e);
}

/* ---- staff ---- */

enum sh_code uc_survey_get(const struct uc *u, int64_t ticket_id, struct survey_row *out,
                           struct sh_err *e)
{
    struct ticket_row t;
    bool found = false, own = false;
    enum sh_code rc = uc_ticket_load(u, ticket_id, &t, e);
    if (rc || (rc = surveys_latest(u->tx, u->a, ticket_id, out, &found, e)))
        return rc;
    if (!found) { /* none yet: an empty survey of status "none" */
        memset(out, 0, sizeof(*out));
        out->ticket_id = ticket_id;
        out->status = "none";
        out->channel = "";
        return SH_OK;
    }
    if ((rc = survey_own_work(u, &t, &own, e)))
        return rc;
    return own && !strcmp(out->status, "pending") ? refuse_own(e) : SH_OK;
}

/* The ticket in scope, completed, not the caller's own work; its pending survey (made when
 * it has none) in *s. */
static enum sh_code pending_of(const struct uc *u, int64_t ticket_id, struct ticket_row *t,
                               struct survey_row *s, struct sh_err *e)
{
    enum sh_code rc = uc_ticket_load(u, ticket_id, t, e);
    if (rc)
        return rc;
    if (strcmp(t->status, "resolved") && strcmp(t->status, "closed")) {
        sh_err_set(e, SH_CONFLICT, "the survey follows the completed work: ticket is '%s'",
                   t->status);
        return sh_err_reason(e, "illegal_action", NULL);
    }
    bool own = false, found = false;
    if ((rc = survey_own_work(u, t, &own, e)))
        return rc;
    if (own)
        return refuse_own(e);
    if ((rc = surveys_latest(u->tx, u->a, ticket_id, s, &found, e)))
        return rc;
    if (found && strcmp(s->status, "pending")) {
        sh_err_set(e, SH_CONFLICT, "the survey was %s already", s->status);
        return sh_err_reason_str1(e, "used", "status", s->status);
    }
    if (found)
        return SH_OK;
    char now[21];
    sh_ts_format(u->now, now);
    int64_t id = 0, wo = 0, tech = 0;
    if ((rc = rated_work(u, t, &wo, &tech, e)) ||
        (rc = surveys_insert(u->tx, u->a, ticket_id, wo, tech, now, &id, e)))
        return rc;
    return surveys_latest(u->tx, u->a, ticket_id, s, &found, e);
}

enum sh_code uc_survey_link(const struct uc *u, int64_t ticket_id, struct survey_link_out *out,
                            struct sh_err *e)
{
    struct ticket_row t;
    struct survey_row s;
    enum sh_code rc = pending_of(u, ticket_id, &t, &s, e);
    if (rc || (rc = send_link(u, s.id, ticket_id, out, e)))
        return rc;
    return uc_audit(u, "survey", s.id, "link", NULL,
                    sh_arena_printf(u->a, "{\"ticket_id\":%" PRId64 ",\"expires_at\":\"%s\"}",
                                    ticket_id, out->expires_at),
                    e);
}

/* ---- answers ---- */

static const char *answer_json(struct sh_arena *a, int64_t id, const struct survey_answer *in)
{
    return sh_arena_printf(a,
                           "{\"survey_id\":%" PRId64
                           ",\"status\":\"%s\",\"channel\":\"%s\",\"score_speed\":%" PRId64
                           ",\"score_skill\":%" PRId64 ",\"score_attitude\":%" PRId64
                           ",\"score_overall\":%" PRId64 "}",
                           id, survey_status_names[in->status], in->channel, in->scores[0],
                           in->scores[1], in->scores[2], in->scores[3]);
}

/* A score <= 2: a follow-up task for the department head (of the ticket's department when it
 * has one, else any), and a message to the department heads. */
static enum sh_code follow_up(const struct uc *u, const struct survey_row *s, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT number, department_id AS dept FROM tickets WHERE id = $1",
                 DB_P(DB_INT(s->ticket_id)), &r, e);
    if (rc)
        return rc;
    const char *number = db_get(&r, 0, "number");
    const char *title = sh_arena_printf(
        u->a, "[%s] %s", number,
        i18n_label(u->app, "zh-CN", "task.kind.survey_follow_up", "survey follow-up"));
    struct task_in in = {.kind = "survey_follow_up",
                         .title = title,
                         .body = s->comment ? s->comment : "",
                         .role = "dept_head",
                         .department_id = db_get_int(&r, 0, "dept", 0),
                         .ticket_id = s->ticket_id,
                         .source = "survey",
                         .source_id = s->id};
    int64_t task_id = 0;
    if ((rc = uc_task_create(u, &in, &task_id, e)))
        return rc;
    const struct notify_var v[] = {{"number", number}, {"comment", in.body}};
    return uc_notify_role(u, "survey_low_score", "dept_head", s->ticket_id, v, 2,
                          sh_arena_printf(u->a, "survey_low:%" PRId64, s->id), e);
}

/* Stores the answers or refusal of pending survey s: timeline, audit, follow-up. */
static enum sh_code answer(const struct uc *u, struct survey_row *s, const struct survey_answer *in,
                           struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    enum sh_code rc = surveys_answer(u->tx, s->id, in, now, e);
    if (rc)
        return rc;
    const char *after = answer_json(u->a, s->id, in);
    const char *body = in->status == SV_REFUSED ? in->refusal_reason : in->comment;
    if ((rc = uc_ticket_event(u, s->ticket_id, "survey", "internal", body ? body : "",
                              sh_arena_printf(u->a, "{\"event\":\"%s\",%s",
                                              survey_status_names[in->status], after + 1),
                              NULL, e)) ||
        (rc = uc_audit(u, "survey", s->id, in->status == SV_REFUSED ? "refuse" : "submit", NULL,
                       after, e)))
        return rc;
    if (in->status != SV_SUBMITTED || !survey_has_low_score(in->scores, SURVEY_SCORE_COUNT))
        return SH_OK;
    s->comment = in->comment;
    return follow_up(u, s, e);
}

static enum sh_code check_scores(const int64_t *scores, struct sh_err *e)
{
    for (int k = 0; k < SURVEY_SCORE_COUNT; k++)
        if (!survey_score_valid(scores[k])) {
            sh_err_field(e, SH_INVALID, survey_score_names[k], "a score from %d to %d",
                         SURVEY_SCORE_MIN, SURVEY_SCORE_MAX);
            return scores[k] ? sh_err_reason(e, "out_of_range", "{\"min\":%d,\"max\":%d}",
                                             SURVEY_SCORE_MIN, SURVEY_SCORE_MAX)
                             : sh_err_reason(e, "required", NULL);
        }
    return SH_OK;
}

enum sh_code uc_survey_record(const struct uc *u, const struct survey_record_in *in,
                              struct survey_row *out, struct sh_err *e)
{
    if (in->refused && (!in->reason || !*in->reason)) {
        sh_err_field(e, SH_INVALID, "reason", "a refusal needs its reason");
        return sh_err_reason(e, "required", NULL);
    }
    enum sh_code rc = in->refused ? SH_OK : check_scores(in->scores, e);
    struct ticket_row t;
    if (rc || (rc = pending_of(u, in->ticket_id, &t, out, e)))
        return rc;
    struct survey_answer a = {.status = in->refused ? SV_REFUSED : SV_SUBMITTED,
                              .channel = "phone",
                              .comment = in->refused ? "" : in->comment,
                              .respondent = in->respondent,
                              .refusal_reason = in->refused ? in->reason : "",
                              .recorded_by = u->who ? u->who->user_id : 0};
    if (!in->refused)
        memcpy(a.scores, in->scores, sizeof(a.scores));
    bool found;
    if ((rc = answer(u, out, &a, e)))
        return rc;
    return surveys_latest(u->tx, u->a, in->ticket_id, out, &found, e);
}

/* ---- the customer's link ---- */

/* Review 69 L4: as the staff route (pending_of), the link rates completed work only: while
 * the ticket is reopened (or otherwise not resolved or closed) it answers 409
 * illegal_action, and works again once the ticket is resolved. */
static enum sh_code completed(const struct uc *u, int64_t ticket_id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT status FROM tickets WHERE id = $1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    const char *st = rc || !r.nrows ? NULL : db_get(&r, 0, "status");
    if (rc || (st && (!strcmp(st, "resolved") || !strcmp(st, "closed"))))
        return rc;
    sh_err_set(e, SH_CONFLICT, "the survey follows the completed work: ticket is '%s'",
               st ? st : "gone");
    return sh_err_reason(e, "illegal_action", NULL);
}

/* The survey behind a token in a usable state: 404 unknown, 410 used or expired, 409 while
 * the ticket is not completed. */
static enum sh_code by_token(const struct uc *u, const char *token, struct survey_row *s,
                             struct sh_err *e)
{
    bool found = false;
    char hash[65];
    enum sh_code rc = SH_OK;
    if (pw_random_hex_ok(token, 24)) {
        pw_token_hash(token, hash);
        rc = surveys_by_token(u->tx, u->a, hash, s, &found, e);
    }
    if (rc)
        return rc;
    if (!found) {
        sh_err_set(e, SH_NOT_FOUND, "no such survey");
        return sh_err_reason(e, "not_found", NULL);
    }
    enum survey_status st = SV_PENDING;
    int64_t exp = 0;
    (void)survey_status_parse(s->status, &st);
    (void)sh_ts_parse(s->expires_at, &exp);
    switch (survey_link_state(st, exp, u->now)) {
    case SL_OPEN:
        return completed(u, s->ticket_id, e);
    case SL_USED:
        sh_err_set(e, SH_GONE, "this survey was answered already: thank you");
        return sh_err_reason(e, "used", NULL);
    case SL_EXPIRED:
        sh_err_set(e, SH_GONE, "this survey link has expired");
        return sh_err_reason(e, "expired", NULL);
    }
    return sh_err_set(e, SH_INTERNAL, "unknown link state");
}

enum sh_code uc_survey_public_get(const struct uc *u, const char *token, struct survey_public *out,
                                  struct sh_err *e)
{
    enum sh_code rc = by_token(u, token, &out->row, e);
    struct db_rows r;
    if (rc ||
        (rc = db_query(u->tx, u->a,
                       "SELECT t.number, m.name AS model_name, un.serial_no, "
                       "NULLIF(w.display_name, '') AS engineer FROM tickets t LEFT JOIN "
                       "units un ON un.id = t.unit_id LEFT JOIN product_models m ON m.id = "
                       "t.model_id LEFT JOIN users w ON w.id = $2 WHERE t.id = $1",
                       DB_P(DB_INT(out->row.ticket_id), DB_INT(out->row.technician_id)), &r, e)))
        return rc;
    out->number = db_get(&r, 0, "number");
    out->model_name = db_get(&r, 0, "model_name");
    out->serial_no = db_get(&r, 0, "serial_no");
    out->engineer = db_get(&r, 0, "engineer");
    return SH_OK;
}

enum sh_code uc_survey_public_submit(const struct uc *u, const char *token,
                                     const int64_t scores[SURVEY_SCORE_COUNT], const char *comment,
                                     struct sh_err *e)
{
    struct survey_row s;
    enum sh_code rc = by_token(u, token, &s, e);
    if (rc || (rc = check_scores(scores, e)))
        return rc;
    struct survey_answer a = {.status = SV_SUBMITTED, .channel = "link", .comment = comment};
    memcpy(a.scores, scores, sizeof(a.scores));
    return answer(u, &s, &a, e);
}

/* ---- the guard and the report ---- */

enum sh_code uc_survey_done(const struct uc *u, int64_t ticket_id, bool *done, struct sh_err *e)
{
    return surveys_done(u->tx, u->a, ticket_id, done, e);
}

enum sh_code uc_survey_technician_stats(const struct uc *u, int64_t technician_id, const char *from,
                                        const char *to, struct survey_stats *out, struct sh_err *e)
{
    return surveys_technician_stats(u->tx, u->a, technician_id, from, to, out, e);
}
