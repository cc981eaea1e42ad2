/* SPDX-License-Identifier: MIT */
/* The customer's satisfaction survey from its link, without signing in (docs/surveys.md):
 *   GET  /api/v1/public/surveys/{token}   what the form shows (ticket number, unit, engineer)
 *   POST /api/v1/public/surveys/{token}   the four scores and a comment; the link is used up
 * A token that was never issued is 404; a used link is 410 reason used, an expired one 410
 * reason expired. Nothing about the customer is revealed. Abuse-limited per address. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/surveys.h"

#define SUBMITS_PER_HOUR 60

struct pub_ctx {
    struct api_ctx *c;
    const char *token;
    struct survey_public s;
    int64_t scores[SURVEY_SCORE_COUNT];
    const char *comment;
};

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct pub_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_survey_public_get(&u, x->token, &x->s, e);
}

void h_public_survey_get(struct api_ctx *c)
{
    struct pub_ctx x = {.c = c, .token = c->req->nparams ? c->req->params[0] : ""};
    if (api_throttled(c, "survey-get", c->req->ip, c->app->public_lookups_per_minute, 60) ||
        !api_read_or_reply(c, get_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kstr(&w, "number", x.s.number);
    jw_kstr(&w, "model_name", x.s.model_name);
    jw_kstr(&w, "serial_no", x.s.serial_no);
    jw_kstr(&w, "engineer", x.s.engineer);
    jw_kstr(&w, "expires_at", x.s.row.expires_at);
    jw_key(&w, "questions");
    jw_arr_begin(&w);
    for (int k = 0; k < SURVEY_SCORE_COUNT; k++)
        jw_str(&w, survey_score_names[k]);
    jw_arr_end(&w);
    jw_kint(&w, "min", SURVEY_SCORE_MIN);
    jw_kint(&w, "max", SURVEY_SCORE_MAX);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

static const struct col answer_cols[] = {
    {"score_speed", F_INT, COL_REQUIRED, 0, NULL, SURVEY_SCORE_MIN, SURVEY_SCORE_MAX, NULL},
    {"score_skill", F_INT, COL_REQUIRED, 0, NULL, SURVEY_SCORE_MIN, SURVEY_SCORE_MAX, NULL},
    {"score_attitude", F_INT, COL_REQUIRED, 0, NULL, SURVEY_SCORE_MIN, SURVEY_SCORE_MAX, NULL},
    {"score_overall", F_INT, COL_REQUIRED, 0, NULL, SURVEY_SCORE_MIN, SURVEY_SCORE_MAX, NULL},
    {"comment", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
};

static enum sh_code submit_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct pub_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_survey_public_submit(&u, x->token, x->scores, x->comment ? x->comment : "", e);
}

void h_public_survey_submit(struct api_ctx *c)
{
    struct pub_ctx x = {.c = c, .token = c->req->nparams ? c->req->params[0] : ""};
    struct fval v[SURVEY_SCORE_COUNT + 1];
    struct sh_err e;
    sh_err_clear(&e);
    c->who.username = "public-survey";
    if (api_throttled(c, "survey-submit", c->req->ip, SUBMITS_PER_HOUR, 3600))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, answer_cols,
                         SURVEY_SCORE_COUNT + 1, false, v, NULL, &e)) {
        api_reply_err(c, &e);
        return;
    }
    for (int k = 0; k < SURVEY_SCORE_COUNT; k++)
        x.scores[k] = v[k].i;
    x.comment = fv(&v[SURVEY_SCORE_COUNT]);
    if (!api_write_or_reply(c, submit_run, &x))
        return;
    static const char ok[] = "{\"ok\":true}";
    struct sh_buf okb = SH_BUF_INIT(64);
    if (sh_buf_adds(&okb, ok) == SH_OK)
        api_reply_json(c, 201, &okb);
    sh_buf_release(&okb);
}
