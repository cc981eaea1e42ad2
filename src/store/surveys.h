/* SPDX-License-Identifier: MIT */
/* Satisfaction surveys (table surveys, migration 0016): typed rows and their SQL. */
#ifndef SH_STORE_SURVEYS_H
#define SH_STORE_SURVEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"
#include "domain/survey.h"
#include "store/db.h"

struct survey_row {
    int64_t id, ticket_id, work_order_id, technician_id, recorded_by, version;
    int64_t scores[SURVEY_SCORE_COUNT]; /* 0: not given */
    const char *status, *channel, *expires_at, *sent_at, *recipient, *comment, *respondent,
        *refusal_reason, *answered_at, *created_at, *updated_at;
};

/* The answers an agent or the customer gives. */
struct survey_answer {
    enum survey_status status; /* SV_SUBMITTED or SV_REFUSED */
    const char *channel;       /* "link" or "phone" */
    int64_t scores[SURVEY_SCORE_COUNT];
    const char *comment, *respondent, *refusal_reason;
    int64_t recorded_by; /* 0: the customer through the link */
};

/* The ticket's latest survey; *found false when it has none. */
SH_WUR enum sh_code surveys_latest(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                   struct survey_row *out, bool *found, struct sh_err *e);
/* The survey a link token hash belongs to; *found false when none. */
SH_WUR enum sh_code surveys_by_token(struct db_tx *tx, struct sh_arena *a, const char *hash,
                                     struct survey_row *out, bool *found, struct sh_err *e);
/* A pending survey of the ticket (work order 0: none) rating technician (0: nobody). */
SH_WUR enum sh_code surveys_insert(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id,
                                   int64_t work_order_id, int64_t technician_id, const char *now,
                                   int64_t *id, struct sh_err *e);
/* A new link for a pending survey: the old one stops working. */
SH_WUR enum sh_code surveys_set_link(struct db_tx *tx, int64_t id, const char *hash,
                                     const char *expires_at, const char *recipient, const char *now,
                                     struct sh_err *e);
/* Records the answers or the refusal of a pending survey; SH_CONFLICT when it is no longer
 * pending (a concurrent answer). The link stops working. */
SH_WUR enum sh_code surveys_answer(struct db_tx *tx, int64_t id, const struct survey_answer *in,
                                   const char *now, struct sh_err *e);
/* The survey guard's fact: the ticket has a survey and none is pending. */
SH_WUR enum sh_code surveys_done(struct db_tx *tx, struct sh_arena *a, int64_t ticket_id, bool *out,
                                 struct sh_err *e);
/* The setting survey_link_days (SURVEY_LINK_DAYS_DEFAULT when absent). */
SH_WUR enum sh_code surveys_link_days(struct db_tx *tx, struct sh_arena *a, int64_t *days,
                                      struct sh_err *e);

/* Survey results of one technician: submitted surveys answered in [from, to). */
struct survey_stats {
    int64_t count;                      /* submitted surveys */
    int64_t refused;                    /* refusals in the period */
    double avg[SURVEY_SCORE_COUNT];     /* average of each score over the answers giving it */
    int64_t scored[SURVEY_SCORE_COUNT]; /* how many answers gave each score */
};
SH_WUR enum sh_code surveys_technician_stats(struct db_tx *tx, struct sh_arena *a,
                                             int64_t technician_id, const char *from,
                                             const char *to, struct survey_stats *out,
                                             struct sh_err *e);

#endif
