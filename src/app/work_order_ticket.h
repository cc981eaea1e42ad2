/* SPDX-License-Identifier: MIT */
/* The ticket's side of work orders: what a ticket action does to them (schedule_visit books
 * or re-books the open work order, arrive moves it on site, cancel cancels it) and what the
 * resolve guard needs to know. */
#ifndef SH_APP_WORK_ORDER_TICKET_H
#define SH_APP_WORK_ORDER_TICKET_H

#include "app/ticket_actions.h"

/* Called by uc_ticket_action after the ticket's step (t: the ticket as it was before it). */
SH_WUR enum sh_code uc_work_order_on_ticket(const struct uc *u, const struct ticket_row *t,
                                            const struct ticket_action_in *in, int64_t assignee,
                                            struct sh_err *e);

#endif
