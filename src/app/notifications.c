/* SPDX-License-Identifier: MIT */
/* The worker's use cases: claim due messages, settle holds and opt-outs, record outcomes. */
#include "app/notifications.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "domain/phone.h"
#include "notify/notify.h"

#define LEASE_S 300 /* a claim not finished by then (a crashed worker) is taken again */

static int setting_int(const struct uc *u, const char *key, int def)
{
    struct db_rows r;
    struct sh_err e;
    sh_err_clear(&e);
    if (db_query(u->tx, u->a, "SELECT value FROM settings WHERE key = $1", DB_P(DB_TEXT(key)), &r,
                 &e) ||
        r.nrows < 1)
        return def;
    int v = (int)strtol(db_get(&r, 0, "value"), NULL, 10);
    return v > 0 ? v : def;
}

SH_WUR static enum sh_code load_channels(const struct uc *u, struct notify_channel out[5], int *n,
                                         struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT channel, enabled, config, secret, updated_at, version "
                               "FROM notify_channels ORDER BY channel",
                               DB_NOP, &r, e);
    if (rc)
        return rc;
    *n = 0;
    for (int i = 0; i < r.nrows && *n < 5; i++) {
        struct notify_channel *c = &out[(*n)++];
        c->channel = db_get(&r, i, "channel");
        c->enabled = db_get_int(&r, i, "enabled", 0) != 0;
        c->config = db_get(&r, i, "config");
        c->secret = db_get(&r, i, "secret");
        c->updated_at = db_get(&r, i, "updated_at");
        c->version = db_get_int(&r, i, "version", 1);
    }
    return SH_OK;
}

static const char *const claim_sql_pg =
    "UPDATE outbox SET state = 'sending', claimed_by = $3, claimed_until = $2, "
    "attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE ((state = 'pending' AND "
    "deliver_after <= $1) OR (state IN ('failed', 'held') AND next_attempt_at <= $1) OR "
    "(state = 'sending' AND claimed_until < $1)) AND $4 LIKE '%,' || channel || ',%' "
    "ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED)";
/* SQLite: the single writer serialises claims */
static const char *const claim_sql_lite =
    "UPDATE outbox SET state = 'sending', claimed_by = $3, claimed_until = $2, "
    "attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE ((state = 'pending' AND "
    "deliver_after <= $1) OR (state IN ('failed', 'held') AND next_attempt_at <= $1) OR "
    "(state = 'sending' AND claimed_until < $1)) AND $4 LIKE '%,' || channel || ',%' "
    "ORDER BY id LIMIT $5)";

/* The contact (or user) preferences of an address: opt-out list and quiet hours. */
SH_WUR static enum sh_code prefs(const struct uc *u, const char *addr, const char **optout,
                                 const char **quiet, struct sh_err *e)
{
    /* a phone however it was typed (domain/phone.h) */
    char key[PHONE_KEY_MAX], sp[PHONE_SPELLINGS][PHONE_KEY_MAX + 4];
    phone_cn_spellings(phone_cn_key(addr, key), sp);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT notify_opt_out, quiet_hours FROM contacts WHERE "
        "REPLACE(REPLACE(phone, ' ', ''), '-', '') IN ($2, $3, $4, $5) OR "
        "email = $1 ORDER BY id LIMIT 1",
        DB_P(DB_TEXT(addr), DB_TEXT(sp[0]), DB_TEXT(sp[1]), DB_TEXT(sp[2]), DB_TEXT(sp[3])), &r, e);
    if (!rc && r.nrows) {
        *optout = db_get(&r, 0, "notify_opt_out");
        if (*db_get(&r, 0, "quiet_hours"))
            *quiet = db_get(&r, 0, "quiet_hours");
    }
    return rc;
}

static bool listed(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, item, n))
            return true;
        p += k + (p[k] == ',');
    }
    return false;
}

SH_WUR static enum sh_code settle(const struct uc *u, int64_t id, const char *state,
                                  const char *addr, const char *next, const char *err,
                                  int attempts_back, struct sh_err *e)
{
    return db_exec(u->tx,
                   "UPDATE outbox SET state = $2, address = $3, next_attempt_at = $4, "
                   "last_error = $5, attempts = attempts - $6, claimed_until = NULL WHERE id = $1",
                   DB_P(DB_INT(id), DB_TEXT(state), DB_TEXT(addr), next ? DB_TEXT(next) : DB_NULL,
                        DB_TEXT(err), DB_INT(attempts_back)),
                   NULL, e);
}

/* Decides one claimed row: deliver (true), or settled here (false). */
SH_WUR static enum sh_code decide(const struct uc *u, const struct db_rows *r, int i,
                                  struct notify_msg *m, bool *deliver, struct sh_err *e)
{
    m->id = db_get_int(r, i, "id", 0);
    m->channel = db_get(r, i, "channel");
    const char *rcpt = db_get(r, i, "recipient");
    bool personal = !strcmp(m->channel, "email") || !strcmp(m->channel, "sms");
    m->address = *rcpt                          ? rcpt
                 : !personal                    ? m->channel
                 : !strcmp(m->channel, "email") ? db_get(r, i, "u_email")
                                                : db_get(r, i, "u_phone");
    *deliver = false;
    if (personal && !*m->address)
        return settle(u, m->id, "dead", "", NULL, "no address for this channel", 0, e);
    const char *optout = "", *quiet = db_get(r, i, "u_quiet");
    enum sh_code rc = personal ? prefs(u, m->address, &optout, &quiet, e) : SH_OK;
    if (rc)
        return rc;
    if (listed(optout, m->channel))
        return settle(u, m->id, "skipped", m->address, NULL, "the recipient opted out", 1, e);
    int from, to;
    if (nt_quiet_parse(quiet, &from, &to) == 0) {
        int64_t local = u->now + 8 * 3600; /* Asia/Shanghai, no daylight saving */
        int wait = nt_quiet_wait(from, to, (int)(local % 86400 / 60));
        if (wait > 0) {
            char next[21];
            sh_ts_format(u->now - u->now % 60 + (int64_t)wait * 60, next);
            return settle(u, m->id, "held", m->address, next, "", 1, e);
        }
    }
    m->kind = db_get(r, i, "kind");
    m->subject = db_get(r, i, "subject");
    m->body = db_get(r, i, "body");
    m->params = db_get(r, i, "params");
    m->created_at = db_get(r, i, "created_at");
    m->attempts = db_get_int(r, i, "attempts", 1);
    m->ticket_id = db_get_int(r, i, "ticket_id", 0);
    *deliver = true;
    return db_exec(u->tx, "UPDATE outbox SET address = $2 WHERE id = $1",
                   DB_P(DB_INT(m->id), DB_TEXT(m->address)), NULL, e);
}

enum sh_code uc_notify_claim(const struct uc *u, const char *token, int limit,
                             struct notify_batch *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    out->token = token;
    enum sh_code rc = load_channels(u, out->ch, &out->nch, e);
    if (rc)
        return rc;
    char *on = sh_arena_strdup(u->a, ",");
    for (int i = 0; i < out->nch; i++)
        if (out->ch[i].enabled)
            on = sh_arena_printf(u->a, "%s%s,", on, out->ch[i].channel);
    if (!on[1])
        return SH_OK; /* delivery is off until a channel is configured */
    out->max_attempts = setting_int(u, "notify_max_attempts", 5);
    out->retry_base_s = setting_int(u, "notify_retry_base_seconds", 60);
    char now[21], until[21];
    sh_ts_format(u->now, now);
    sh_ts_format(u->now + LEASE_S, until);
    rc = db_exec(u->tx, db_tx_dialect(u->tx) == DB_PG ? claim_sql_pg : claim_sql_lite,
                 DB_P(DB_TEXT(now), DB_TEXT(until), DB_TEXT(token), DB_TEXT(on), DB_INT(limit)),
                 NULL, e);
    struct db_rows r;
    if (!rc)
        rc = db_query(u->tx, u->a,
                      "SELECT o.id, o.kind, o.channel, o.recipient, o.subject, o.body, o.params, "
                      "o.created_at, o.attempts, o.ticket_id, COALESCE(u.email, '') AS u_email, "
                      "COALESCE(u.phone, '') AS u_phone, COALESCE(u.quiet_hours, '') AS u_quiet "
                      "FROM outbox o LEFT JOIN users u ON u.id = o.recipient_user_id "
                      "WHERE o.claimed_by = $1 AND o.state = 'sending' ORDER BY o.id",
                      DB_P(DB_TEXT(token)), &r, e);
    if (rc)
        return rc;
    out->claimed = r.nrows;
    out->items = sh_arena_alloc(u->a, sizeof(*out->items) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; !rc && i < r.nrows; i++) {
        bool deliver;
        rc = decide(u, &r, i, &out->items[out->n], &deliver, e);
        if (deliver)
            out->n++;
    }
    return rc;
}

enum sh_code uc_notify_finish(const struct uc *u, const struct notify_batch *b,
                              const struct notify_msg *m, const char *error, struct sh_err *e)
{
    char now[21], next[21];
    sh_ts_format(u->now, now);
    if (!error)
        return db_exec(u->tx,
                       "UPDATE outbox SET state = 'sent', sent_at = $1, last_error = '', "
                       "claimed_until = NULL WHERE id = $2 AND claimed_by = $3 AND state = "
                       "'sending'",
                       DB_P(DB_TEXT(now), DB_INT(m->id), DB_TEXT(b->token)), NULL, e);
    bool dead = m->attempts >= b->max_attempts;
    int64_t wait = b->retry_base_s;
    for (int64_t k = 1; k < m->attempts && wait < 86400; k++)
        wait *= 2;
    sh_ts_format(u->now + (wait < 86400 ? wait : 86400), next);
    char err[501];
    snprintf(err, sizeof(err), "%s", error);
    return db_exec(u->tx,
                   "UPDATE outbox SET state = $1, next_attempt_at = $2, last_error = $3, "
                   "claimed_until = NULL WHERE id = $4 AND claimed_by = $5 AND state = 'sending'",
                   DB_P(DB_TEXT(dead ? "dead" : "failed"), dead ? DB_NULL : DB_TEXT(next),
                        DB_TEXT(err), DB_INT(m->id), DB_TEXT(b->token)),
                   NULL, e);
}
