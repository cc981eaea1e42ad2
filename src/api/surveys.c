/* SPDX-License-Identifier: MIT */
/* The satisfaction survey of a ticket, for staff (docs/surveys.md):
 *   GET  /api/v1/tickets/{id}/survey       the latest survey (403 own_work while pending)
 *   POST /api/v1/tickets/{id}/survey       answers given by phone, or a refusal with its reason
 *   POST /api/v1/tickets/{id}/survey/link  a new link for the customer (shown once, sent)
 * Parse, call the use case (app/surveys.c), render. */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/surveys.h"
#include "api/tickets.h"
#include "app/surveys.h"

void survey_render(struct jw *w, const struct survey_row *s, int64_t now)
{
    jw_obj_begin(w);
    if (s->id)
        jw_kint(w, "id", s->id);
    else
        jw_knull(w, "id"); /* status "none": the ticket has no survey yet */
    jw_kint(w, "ticket_id", s->ticket_id);
    if (s->work_order_id)
        jw_kint(w, "work_order_id", s->work_order_id);
    else
        jw_knull(w, "work_order_id");
    if (s->technician_id)
        jw_kint(w, "technician_id", s->technician_id);
    else
        jw_knull(w, "technician_id");
    jw_kstr(w, "status", s->status);
    jw_kstr(w, "channel", s->channel);
    int64_t exp = 0;
    bool has_exp = s->expires_at && sh_ts_parse(s->expires_at, &exp);
    jw_kstr(w, "link_state",
            strcmp(s->status, "pending") ? "used"
            : !has_exp                   ? "none"
            : now >= exp                 ? "expired"
                                         : "open");
    jw_kstr(w, "expires_at", s->expires_at);
    jw_kstr(w, "sent_at", s->sent_at);
    jw_kstr(w, "recipient", s->recipient);
    for (int k = 0; k < SURVEY_SCORE_COUNT; k++)
        if (s->scores[k])
            jw_kint(w, survey_score_names[k], s->scores[k]);
        else
            jw_knull(w, survey_score_names[k]);
    jw_kstr(w, "comment", s->comment);
    jw_kstr(w, "respondent", s->respondent);
    jw_kstr(w, "refusal_reason", s->refusal_reason);
    jw_kstr(w, "answered_at", s->answered_at);
    if (s->recorded_by)
        jw_kint(w, "recorded_by", s->recorded_by);
    else
        jw_knull(w, "recorded_by");
    jw_kstr(w, "created_at", s->created_at);
    jw_kstr(w, "updated_at", s->updated_at);
    jw_kint(w, "version", s->version);
    jw_obj_end(w);
}

struct survey_ctx {
    struct api_ctx *c;
    int64_t id;
    struct survey_record_in in;
    struct survey_row row;
    struct survey_link_out link;
};

static void reply_survey(struct api_ctx *c, int status, const struct survey_row *s)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    survey_render(&w, s, sh_now());
    api_reply_jw(c, status, &b, &w);
}

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct survey_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_survey_get(&u, x->id, &x->row, e);
}

void h_ticket_survey_get(struct api_ctx *c)
{
    struct survey_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, get_run, &x))
        return;
    reply_survey(c, 200, &x.row);
}

static const struct col record_cols[] = {
    {"outcome", F_ENUM, COL_REQUIRED, 0, (const char *const[]){"answered", "refused", NULL}, 0, 0,
     NULL},
    {"score_speed", F_INT, 0, 0, NULL, SURVEY_SCORE_MIN, SURVEY_SCORE_MAX, NULL},
    {"score_skill", F_INT, 0, 0, NULL, SURVEY_SCORE_MIN, SURVEY_SCORE_MAX, NULL},
    {"score_attitude", F_INT, 0, 0, NULL, SURVEY_SCORE_MIN, SURVEY_SCORE_MAX, NULL},
    {"score_overall", F_INT, 0, 0, NULL, SURVEY_SCORE_MIN, SURVEY_SCORE_MAX, NULL},
    {"comment", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"respondent", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"reason", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};
enum {
    R_OUTCOME,
    R_SCORE0,
    R_COMMENT = R_SCORE0 + SURVEY_SCORE_COUNT,
    R_RESPONDENT,
    R_REASON,
    R_N
};

static enum sh_code record_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct survey_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_survey_record(&u, &x->in, &x->row, e);
}

void h_ticket_survey_record(struct api_ctx *c)
{
    struct survey_ctx x = {.c = c};
    struct fval v[R_N];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, record_cols, R_N, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.ticket_id = x.id;
    x.in.refused = !strcmp(v[R_OUTCOME].text, "refused");
    for (int k = 0; k < SURVEY_SCORE_COUNT; k++)
        x.in.scores[k] =
            v[R_SCORE0 + k].present && !v[R_SCORE0 + k].is_null ? v[R_SCORE0 + k].i : 0;
    x.in.comment = fv(&v[R_COMMENT]);
    x.in.respondent = fv(&v[R_RESPONDENT]);
    x.in.reason = fv(&v[R_REASON]);
    if (!api_write_or_reply(c, record_run, &x))
        return;
    reply_survey(c, 201, &x.row);
}

static enum sh_code link_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct survey_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_survey_link(&u, x->id, &x->link, e);
}

void h_ticket_survey_link(struct api_ctx *c)
{
    struct survey_ctx x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    /* no fields: an empty body or {} */
    if (c->req->body.len &&
        api_parse_object(c->a, c->req->body.buf, c->req->body.len, NULL, 0, true, NULL, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (!api_write_or_reply(c, link_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "survey_id", x.link.survey_id);
    jw_kstr(&w, "token", x.link.token);
    jw_kstr(&w, "url", x.link.url);
    jw_kstr(&w, "expires_at", x.link.expires_at);
    jw_kstr(&w, "recipient", x.link.recipient);
    jw_kbool(&w, "sent", x.link.recipient && *x.link.recipient);
    jw_obj_end(&w);
    api_reply_jw(c, 201, &b, &w);
}
