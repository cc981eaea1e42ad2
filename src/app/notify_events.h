/* SPDX-License-Identifier: MIT */
/* Sending an event's message (issue 15 item 2, R-199, docs/notifications.md): the company's
 * template of the event in the recipient's language (zh-CN default, en), its variables
 * filled, queued on the recipient's channel: e-mail or SMS through the outbox worker, a
 * phone call a staff member must make (a task with an owner and a due time) or a printed
 * letter (a printable page, marked printed). Every sender calls uc_notify_event. */
#ifndef SH_APP_NOTIFY_EVENTS_H
#define SH_APP_NOTIFY_EVENTS_H

#include "app/uc.h"

struct notify_var {
    const char *name, *value;
};

/* Who gets the message: a staff user, a customer, or the customer of the ticket. */
struct notify_to {
    int64_t user_id;       /* a staff user: their locale, e-mail by default */
    int64_t customer_id;   /* a customer: their locale and channel (customers.notify_channel) */
    bool ticket_customer;  /* the customer of ticket_id (the caller's phone first) */
    int64_t ticket_id;     /* what the message is about (0: none) */
    const char *channel;   /* NULL: the recipient's; "phone": a call task for user_id */
    int64_t deliver_after; /* 0: now */
    int64_t due;           /* a phone task's due time (0: deliver_after) */
    const char *dedupe;    /* NULL, or a key that makes the message once only */
    /* the ticket's customer read ahead (uc_notify_caller_ahead), or NULL: read now */
    const struct db_rows *rcpt;
};

/* The customer of a ticket about to be inserted (its customer, the caller's phone and name,
 * its assignee; 0 / NULL for none), as notify_to.rcpt for event `kind` with ticket_customer:
 * sent ahead (db_query_ahead) so that the ticket's INSERT carries it. */
SH_WUR enum sh_code uc_notify_caller_ahead(const struct uc *u, const char *kind,
                                           int64_t customer_id, const char *caller_phone,
                                           const char *caller_name, int64_t assignee_id,
                                           struct db_rows *out, struct sh_err *e);

/* "YYYY-MM-DD HH:MM" in Asia/Shanghai: how times appear in messages; a UTC text that does
 * not parse is returned as it is. */
const char *notify_local_time(struct sh_arena *a, int64_t t);
const char *notify_local_text(struct sh_arena *a, const char *utc);

/* Renders and queues one message; *id (may be NULL) gets the outbox id, 0 when the dedupe
 * key had been used already (nothing queued). */
SH_WUR enum sh_code uc_notify_event(const struct uc *u, const char *kind,
                                    const struct notify_to *to, const struct notify_var *v, int n,
                                    int64_t *id, struct sh_err *e);
/* The same message to every active holder of a role (e.g. "dept_head"); dedupe_prefix (may
 * be NULL) gets ":<user id>" appended per recipient. */
SH_WUR enum sh_code uc_notify_role(const struct uc *u, const char *kind, const char *role,
                                   int64_t ticket_id, const struct notify_var *v, int n,
                                   const char *dedupe_prefix, struct sh_err *e);

/* Quote ready (for the quotes module): the ticket's customer gets the quote's number,
 * amount in fen (shown in yuan) and the link to it. */
SH_WUR enum sh_code uc_notify_quote_ready(const struct uc *u, int64_t ticket_id, const char *number,
                                          int64_t amount_fen, const char *url, struct sh_err *e);

/* The timed messages, once each: the pre-arrival call task of every
 * booking whose appointment is 1–2 h ahead (appointment_precall_min), and the
 * warranty-ending message of every unit whose warranty ends within 30 days. Run by the
 * jobs and by POST /api/v1/notifications/reminders. */
struct notify_reminders_out {
    int precalls, warranties;
};
SH_WUR enum sh_code uc_notify_reminders(const struct uc *u, struct notify_reminders_out *out,
                                        struct sh_err *e);

#endif
