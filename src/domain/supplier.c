/* SPDX-License-Identifier: MIT */
#include "domain/supplier.h"

#include <string.h>

const char *const supplier_case_state_names[] = {"to_purchasing", "sent_to_supplier", "answered",
                                                 "closed", NULL};
const char *const supplier_case_action_names[] = {"send", "answer", "close", NULL};
const char *const supplier_case_outcomes[] = {"met", "late", NULL};

bool supplier_case_state_parse(const char *s, enum supplier_case_state *out)
{
    for (int i = 0; s && i < SC_STATE_COUNT; i++)
        if (!strcmp(s, supplier_case_state_names[i])) {
            *out = (enum supplier_case_state)i;
            return true;
        }
    return false;
}

bool supplier_case_action_parse(const char *s, enum supplier_case_action *out)
{
    for (int i = 0; s && i < SCA_COUNT; i++)
        if (!strcmp(s, supplier_case_action_names[i])) {
            *out = (enum supplier_case_action)i;
            return true;
        }
    return false;
}

bool supplier_case_next(enum supplier_case_state from, enum supplier_case_action a,
                        enum supplier_case_state *to)
{
    static const enum supplier_case_state need[SCA_COUNT] = {SC_TO_PURCHASING, SC_SENT,
                                                             SC_ANSWERED};
    static const enum supplier_case_state next[SCA_COUNT] = {SC_SENT, SC_ANSWERED, SC_CLOSED};
    if ((int)a < 0 || a >= SCA_COUNT || from != need[a])
        return false;
    *to = next[a];
    return true;
}

bool supplier_case_met(int64_t sent, int64_t answered, int64_t response_hours, int64_t *hours)
{
    int64_t secs = answered > sent ? answered - sent : 0;
    *hours = (secs + 3599) / 3600;
    return secs <= response_hours * 3600;
}
