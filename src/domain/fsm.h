/* SPDX-License-Identifier: MIT */
/* A record's state machine as a table (pure): rows of (from, action, to, roles), the names of
 * its states and actions, and the one walk every table needs — the transition with its 409
 * `illegal_action` (listing what is allowed) and 403, the actions a user may take now, and
 * parsing a name. The RMA and the shipment are written on it; a new record's machine is a
 * table and a `struct fsm`. */
#ifndef SH_DOMAIN_FSM_H
#define SH_DOMAIN_FSM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sh_err.h"

struct fsm_row {
    int from, action, to;
    unsigned roles; /* RB(...) bits that may take the action */
};

struct fsm {
    const char *what; /* in messages: "an RMA", "a shipment" */
    const struct fsm_row *rows;
    size_t nrows;
    const char *const *state_names;
    int nstates;
    const char *const *action_names;
    int nactions;
};

/* "?" when out of range. */
const char *fsm_name(const char *const *names, int n, int i);
/* The index of s in names[0..n), or false. */
bool fsm_parse(const char *const *names, int n, const char *s, int *out);
/* *to gets the state after the action: 422 for an unknown state or action, 409
 * illegal_action (params: status, action, allowed) when the table has no row, 403 when the
 * roles may not. */
SH_WUR enum sh_code fsm_transition(const struct fsm *m, int st, int action, unsigned roles, int *to,
                                   struct sh_err *err);
/* The actions the roles may take from st, in action order, into out[m->nactions]. */
int fsm_allowed(const struct fsm *m, int st, unsigned roles, int *out);

#endif
