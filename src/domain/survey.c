/* SPDX-License-Identifier: MIT */
#include "domain/survey.h"

#include <string.h>

const char *const survey_score_names[SURVEY_SCORE_COUNT + 1] = {
    "score_speed", "score_skill", "score_attitude", "score_overall", NULL};

const char *const survey_status_names[SURVEY_STATUS_COUNT + 1] = {"pending", "submitted", "refused",
                                                                  NULL};

bool survey_status_parse(const char *s, enum survey_status *out)
{
    for (int i = 0; s && i < SURVEY_STATUS_COUNT; i++)
        if (!strcmp(s, survey_status_names[i])) {
            *out = (enum survey_status)i;
            return true;
        }
    return false;
}

bool survey_score_valid(int64_t v)
{
    return v >= SURVEY_SCORE_MIN && v <= SURVEY_SCORE_MAX;
}

bool survey_has_low_score(const int64_t *scores, int n)
{
    for (int i = 0; i < n; i++)
        if (scores[i] >= SURVEY_SCORE_MIN && scores[i] <= SURVEY_LOW_SCORE)
            return true;
    return false;
}

enum survey_link_state survey_link_state(enum survey_status status, int64_t expires_at, int64_t now)
{
    if (status != SV_PENDING)
        return SL_USED;
    return now >= expires_at ? SL_EXPIRED : SL_OPEN;
}

int64_t survey_link_lifetime(int64_t days)
{
    if (days < 0)
        days = 0;
    if (days > SURVEY_LINK_DAYS_MAX)
        days = SURVEY_LINK_DAYS_MAX;
    return days * 86400;
}
