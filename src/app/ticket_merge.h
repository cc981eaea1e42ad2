/* SPDX-License-Identifier: MIT */
/* Merging a duplicate into the first ticket: its timeline and attachments move, it is
 * cancelled and refuses actions from then on. */
#ifndef SH_APP_TICKET_MERGE_H
#define SH_APP_TICKET_MERGE_H

#include "app/sla.h"
#include "app/uc.h"

struct ticket_merge_in {
    int64_t id, into;
    const char *note; /* NULL: none */
};

/* Both tickets in the caller's scope, of the same customer, neither merged before; *view gets
 * the survivor's clocks. */
SH_WUR enum sh_code uc_ticket_merge(const struct uc *u, const struct ticket_merge_in *in,
                                    const struct ticket_sla_view **view, struct sh_err *e);

#endif
