/* SPDX-License-Identifier: MIT */
/* Delivery of the outbox (issue 15 item 1, docs/notifications.md). A message is claimed by
 * one worker (FOR UPDATE SKIP LOCKED on PostgreSQL; the single writer on SQLite), sent
 * once through its channel (notify/), then marked sent, or failed with an exponential
 * back-off, or dead after notify_max_attempts failures, keeping the last error. Quiet hours
 * of the recipient hold it until they end; a contact's opt-out of the channel skips it. */
#ifndef SH_APP_NOTIFICATIONS_H
#define SH_APP_NOTIFICATIONS_H

#include "app/uc.h"

#define NOTIFY_CHANNELS "email,sms,wecom,dingtalk,webhook"

/* One channel's settings as stored (config is a JSON object, secret never leaves app/). */
struct notify_channel {
    const char *channel;
    bool enabled;
    const char *config;
    const char *secret;
    const char *updated_at;
    int64_t version;
};

/* A message claimed for delivery. */
struct notify_msg {
    int64_t id, attempts, ticket_id;
    const char *kind, *channel, *address, *subject, *body, *params, *created_at;
};

struct notify_batch {
    struct notify_msg *items;
    int n;
    int claimed; /* rows claimed (delivered or settled) */
    struct notify_channel ch[5];
    int nch;
    const char *token; /* the claim's token (claimed_by) */
    int max_attempts, retry_base_s;
};

/* Claims up to `limit` due messages of the enabled channels for the worker `token`;
 * settles in the same transaction those held by quiet hours, skipped by an opt-out or
 * without an address. */
SH_WUR enum sh_code uc_notify_claim(const struct uc *u, const char *token, int limit,
                                    struct notify_batch *out, struct sh_err *e);
/* Sends one message through its channel (no transaction: network I/O). NULL on success,
 * else the error text. */
const char *notify_send(struct sh_arena *a, const struct notify_batch *b,
                        const struct notify_msg *m, int64_t now);
/* Records the outcome of a claimed message (only while the claim is still `token`'s). */
SH_WUR enum sh_code uc_notify_finish(const struct uc *u, const struct notify_batch *b,
                                     const struct notify_msg *m, const char *error,
                                     struct sh_err *e);

/* ---- administration (GET /api/v1/notifications …) ---- */
struct notify_row {
    int64_t id, attempts, ticket_id, recipient_user_id;
    const char *created_at, *kind, *channel, *recipient, *address, *subject, *state, *deliver_after,
        *next_attempt_at, *sent_at, *last_error;
};
struct notify_list_in {
    const char *state, *channel, *recipient, *from, *to; /* NULL: any */
    int64_t before_id;                                   /* 0: from the newest */
    int limit;
};
struct notify_list_out {
    struct notify_row *rows;
    int n;
    bool more;
};
SH_WUR enum sh_code uc_notify_list(const struct uc *u, const struct notify_list_in *in,
                                   struct notify_list_out *out, struct sh_err *e);
SH_WUR enum sh_code uc_notify_get(const struct uc *u, int64_t id, struct notify_row *out,
                                  struct sh_err *e);
/* A dead or failed message goes back to pending, due now, with its attempts reset. */
SH_WUR enum sh_code uc_notify_retry(const struct uc *u, int64_t id, struct notify_row *out,
                                    struct sh_err *e);
/* Queues a test message on a channel to an address (robots and webhooks: their URL). */
SH_WUR enum sh_code uc_notify_test(const struct uc *u, const char *channel, const char *to,
                                   int64_t *id, struct sh_err *e);

/* Checks a recipient's quiet hours ("HH:MM-HH:MM", field quiet_hours) and opt-out list
 * (channels separated by commas, field notify_opt_out); NULL or "" is none. */
SH_WUR enum sh_code notify_prefs_check(const char *quiet, const char *optout, struct sh_err *e);

SH_WUR enum sh_code uc_notify_channels(const struct uc *u, struct notify_channel out[5], int *n,
                                       struct sh_err *e);
/* Connects to the e-mail channel's SMTP server (TLS too when implicit); where says which. */
SH_WUR enum sh_code notify_mail_probe(const struct notify_channel *ch, char *where, size_t n,
                                      struct sh_err *e);
struct notify_channel_in {
    const char *channel;
    int enabled;        /* -1: unchanged */
    const char *config; /* JSON object text or NULL: unchanged */
    const char *secret; /* NULL: unchanged, "": cleared */
};
SH_WUR enum sh_code uc_notify_channel_set(const struct uc *u, const struct notify_channel_in *in,
                                          struct notify_channel *out, struct sh_err *e);

#endif
