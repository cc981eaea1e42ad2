/* SPDX-License-Identifier: MIT */
/* The senders of the events (docs/notifications.md): called by the use cases that cause
 * them, in their transaction. Each renders the company's template in the recipient's
 * language (app/notify_events.h). */
#ifndef SH_APP_NOTIFY_SENDERS_H
#define SH_APP_NOTIFY_SENDERS_H

#include "app/uc.h"

/* To the ticket's customer: its number and the public status link. */
SH_WUR enum sh_code uc_notify_ticket_received(const struct uc *u, int64_t ticket_id,
                                              struct sh_err *e);
/* The same for a ticket just inserted with its number and public token (nothing read back);
 * rcpt: its customer as uc_notify_caller_ahead read it (NULL: read now). */
SH_WUR enum sh_code uc_notify_ticket_received_as(const struct uc *u, int64_t ticket_id,
                                                 const char *number, const char *token,
                                                 const struct db_rows *rcpt, struct sh_err *e);
/* Sends ahead the read of the customer of a ticket about to be inserted, for
 * uc_notify_ticket_received_as (uc_notify_caller_ahead). */
SH_WUR enum sh_code uc_notify_ticket_received_ahead(const struct uc *u, int64_t customer_id,
                                                    const char *caller_phone,
                                                    const char *caller_name, int64_t assignee_id,
                                                    struct db_rows *out, struct sh_err *e);
/* A QR report repeated on an open ticket (app/public_report.c): the ticket_received message
 * (number and status link, giving the ticket a token if needed) again, by SMS to the ticket's
 * caller phone, at most once per ticket per day (Asia/Shanghai). */
SH_WUR enum sh_code uc_notify_report_link(const struct uc *u, int64_t ticket_id, struct sh_err *e);
/* A new random public token (the /r/s/<token> status page of a ticket). */
const char *uc_public_token_new(struct sh_arena *a);
/* To the ticket's customer: the technician's name and phone. */
SH_WUR enum sh_code uc_notify_assigned(const struct uc *u, int64_t ticket_id, int64_t user_id,
                                       struct sh_err *e);
/* To the ticket's customer: the arrival time and its tolerance (HW 1.1.3). */
SH_WUR enum sh_code uc_notify_appointment(const struct uc *u, int64_t ticket_id,
                                          const char *appointment_at, int tolerance_min,
                                          struct sh_err *e);
/* the new arrival time to the customer (to_customer) and to the department heads. */
SH_WUR enum sh_code uc_notify_late(const struct uc *u, int64_t ticket_id, const char *eta_at,
                                   int64_t lead_id, bool to_customer, struct sh_err *e);
/* To the approver (or the holders of the approver role) / to the requester. */
SH_WUR enum sh_code uc_notify_approval_requested(const struct uc *u, int64_t approval_id,
                                                 struct sh_err *e);
SH_WUR enum sh_code uc_notify_approval_decided(const struct uc *u, int64_t approval_id,
                                               struct sh_err *e);
/* To the shipment's customer: carrier and waybill, once per shipment. */
SH_WUR enum sh_code uc_notify_shipment_sent(const struct uc *u, int64_t shipment_id,
                                            struct sh_err *e);

#endif
