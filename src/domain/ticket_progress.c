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
    int reached = 0;
    for (int i = 0; i < PROGRESS_STEPS; i++) {
        const char *at = i == PROGRESS_DONE && !p.fixed ? NULL : in->at[i];
        bool next = i == PROGRESS_ON_THE_WAY && in->at[PROGRESS_ON_SITE];
        p.done[i] = at || next;
        p.at[i] = at;
        if (p.done[i])
            reached = i;
    }
    bool cancelled = is(in->status, "cancelled") && !in->merged;
    p.status = cancelled ? "cancelled" : names[reached];
    p.appointment_at = in->at[PROGRESS_ON_SITE] || p.fixed ? NULL : in->visit_at;
    return p;
}
