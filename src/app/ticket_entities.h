/* SPDX-License-Identifier: MIT */
/* The ticket entities (app/ticket_entities.c) and the checks of a ticket PATCH. */
#ifndef SH_APP_TICKET_ENTITIES_H
#define SH_APP_TICKET_ENTITIES_H

#include "app/entity.h"

extern const struct entity ent_tickets, ent_fault_categories, ent_calendars, ent_sla_policies,
    ent_calendar_days;

/* Editing a ticket's unit and (letters, faxes, e-mails) its receipt time (ticket_edit.c):
 * checked before the write, applied after it (warranty, billing, customer, model). */
SH_WUR enum sh_code ticket_edit_check(struct ent_write *w, struct sh_err *e);
SH_WUR enum sh_code ticket_edit_after(struct ent_write *w, struct sh_err *e);

#endif
