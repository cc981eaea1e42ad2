/* SPDX-License-Identifier: MIT */
#include "domain/ticket_progress.h"

#include <string.h>

static const char *const names[PROGRESS_STEPS] = {"received", "dispatched", "on_the_way", "on_site",
                                                  "done"};

const char *progress_step_name(enum progress_step s)
{
    return (unsigned)s < PROGRESS_STEPS ? names[s] : NULL;
}

static bool is(const char *s, const char *name)
{
    return s && !strcmp(s, name);
}

struct progress progress_of(const struct progress_in *in)
{
    struct progress p = {0};
    p.fixed = is(in->status, "resolved") || is(in->status, "closed");
    /* another visit booked after an arrival (not fixed on the first, R-061): the engineer is
     * not on site now; on the way again once they set off after that arrival */
    const char *arrived = in->at[PROGRESS_ON_SITE], *departed = in->at[PROGRESS_ON_THE_WAY];
    if (is(in->status, "visit_scheduled") && arrived) {
        arrived = NULL;
        if (departed && strcmp(departed, in->at[PROGRESS_ON_SITE]) <= 0)
            departed = NULL;
    }
    int reached = 0;
    for (int i = 0; i < PROGRESS_STEPS; i++) {
        const char *at = i == PROGRESS_DONE && !p.fixed ? NULL
                         : i == PROGRESS_ON_SITE        ? arrived
                         : i == PROGRESS_ON_THE_WAY     ? departed
                                                        : in->at[i];
        bool next = i == PROGRESS_ON_THE_WAY && arrived;
        p.done[i] = at || next;
        p.at[i] = at;
        if (p.done[i])
            reached = i;
    }
    bool cancelled = is(in->status, "cancelled") && !in->merged;
    p.status = cancelled ? "cancelled" : names[reached];
    p.appointment_at = arrived || p.fixed ? NULL : in->visit_at;
    return p;
}
