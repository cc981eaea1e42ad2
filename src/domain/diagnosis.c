/* SPDX-License-Identifier: MIT */
#include "domain/diagnosis.h"

#include <string.h>

const char *const diag_decision_names[DD_COUNT + 1] = {
    "solved_remotely", "onsite_repair", "return_to_factory", "replacement", "answered", NULL,
};

static const char *const effect_names[] = {
    "none", "resolve_remote", "work_order", "rma", "replacement", "linked_ticket",
};

const char *diag_decision_name(enum diag_decision d)
{
    return (unsigned)d < DD_COUNT ? diag_decision_names[d] : "?";
}

bool diag_decision_parse(const char *s, enum diag_decision *out)
{
    for (int i = 0; s && i < DD_COUNT; i++)
        if (!strcmp(s, diag_decision_names[i])) {
            *out = (enum diag_decision)i;
            return true;
        }
    return false;
}

const char *diag_effect_name(enum diag_effect f)
{
    return (unsigned)f <= DE_LINKED_TICKET ? effect_names[f] : "?";
}

#define R_                                                                                         \
    {                                                                                              \
        DE_RESOLVE_REMOTE, TICKET_CONSULTATION                                                     \
    }
#define WO                                                                                         \
    {                                                                                              \
        DE_WORK_ORDER, TICKET_CONSULTATION                                                         \
    }
#define RMA                                                                                        \
    {                                                                                              \
        DE_RMA, TICKET_CONSULTATION                                                                \
    }
#define REPL                                                                                       \
    {                                                                                              \
        DE_REPLACEMENT, TICKET_CONSULTATION                                                        \
    }
#define NO                                                                                         \
    {                                                                                              \
        DE_NONE, TICKET_CONSULTATION                                                               \
    }
#define LINK_T(t)                                                                                  \
    {                                                                                              \
        DE_LINKED_TICKET, t                                                                        \
    }

/* RULE R-058: decision → what it opens, per ticket type. Each path is one the type's
 * lifecycle (domain/ticket.c) has: remote resolution where ROWS_REMOTE is, a visit where
 * ROWS_VISIT is, the factory where ROWS_FACTORY is. A consultation has none of them: field or
 * factory work opens a new ticket of the type that has (docs/tickets.md). */
static const struct diag_route routes[TICKET_TYPE_COUNT][DD_COUNT] = {
    /*                 solved_remotely onsite_repair        return_to_factory    replacement
       answered */
    [TICKET_CONSULTATION] = {R_, LINK_T(TICKET_REPAIR), LINK_T(TICKET_REPAIR),
                             LINK_T(TICKET_REPLACEMENT), R_},
    [TICKET_INSTALLATION] = {NO, WO, NO, NO, NO},
    [TICKET_REPAIR] = {R_, WO, RMA, REPL, R_},
    [TICKET_REPLACEMENT] = {NO, WO, RMA, REPL, NO},
    [TICKET_RETURN] = {NO, NO, RMA, NO, NO},
    [TICKET_COMPLAINT] = {NO, NO, RMA, NO, NO},
    [TICKET_DOA] = {NO, NO, RMA, REPL, NO},
    [TICKET_VISIT] = {NO, NO, NO, NO, NO},
    [TICKET_TRAINING] = {R_, WO, NO, NO, R_},
    [TICKET_UPGRADE] = {R_, WO, NO, NO, R_},
};

struct diag_route diag_route_of(enum ticket_type t, enum diag_decision d)
{
    if ((unsigned)t >= TICKET_TYPE_COUNT || (unsigned)d >= DD_COUNT)
        return (struct diag_route){DE_NONE, TICKET_CONSULTATION};
    return routes[t][d];
}

bool diag_state_allows(enum ticket_type t, enum ticket_state s)
{
    if (s == TS_IN_PROGRESS)
        return t != TICKET_VISIT;
    return t == TICKET_CONSULTATION && s == TS_NEW;
}
