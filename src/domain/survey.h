/* SPDX-License-Identifier: MIT */
/* The satisfaction survey (满意度调查表, F-10, R-036): its scores, what a score asks of the
 * department head, and the state of the customer's no-login link. Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_SURVEY_H
#define SH_DOMAIN_SURVEY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_err.h"

/* The four questions, in the order of the form. */
enum survey_score { SS_SPEED, SS_SKILL, SS_ATTITUDE, SS_OVERALL, SURVEY_SCORE_COUNT };
#define SURVEY_SCORE_MIN 1
#define SURVEY_SCORE_MAX 5
/* RULE issue 11 item 6: a score at or below this opens a follow-up task for the dept head */
#define SURVEY_LOW_SCORE 2
/* the link's default lifetime (setting survey_link_days) and the accepted range */
#define SURVEY_LINK_DAYS_DEFAULT 14
#define SURVEY_LINK_DAYS_MAX     365

/* The stored column of each score ("score_speed", …), NULL-terminated. */
extern const char *const survey_score_names[SURVEY_SCORE_COUNT + 1];

enum survey_status { SV_PENDING, SV_SUBMITTED, SV_REFUSED, SURVEY_STATUS_COUNT };
extern const char *const survey_status_names[SURVEY_STATUS_COUNT + 1];
bool survey_status_parse(const char *s, enum survey_status *out);

/* A score is 1…5. */
bool survey_score_valid(int64_t v);
/* True when any of the n scores is SURVEY_LOW_SCORE or less (0: not given, ignored). */
bool survey_has_low_score(const int64_t *scores, int n);

/* What opening the link finds. */
enum survey_link_state {
    SL_OPEN,    /* pending and not expired: the form may be filled in */
    SL_USED,    /* answered (by link or phone) or refused: 410 reason "used" */
    SL_EXPIRED, /* pending but past expires_at: 410 reason "expired" */
};
/* The state of a link whose survey is in `status`, expiring at `expires_at` (unix seconds),
 * opened at `now`. A used link stays used after it expires. */
enum survey_link_state survey_link_state(enum survey_status status, int64_t expires_at,
                                         int64_t now);
/* The link's lifetime in seconds for the setting's value in days, clamped to
 * 0…SURVEY_LINK_DAYS_MAX (0: expires at once). */
int64_t survey_link_lifetime(int64_t days);

#endif
