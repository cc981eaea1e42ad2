/* SPDX-License-Identifier: MIT */
/* The notifications' administration: the list with filters, retry, a test message and
 * the channels' settings (secrets stored, never returned). */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/notifications.h"
#include "base/date.h"

#define ROW_COLS                                                                                   \
    "id, created_at, kind, channel, recipient_user_id, recipient, address, subject, state, "       \
    "attempts, deliver_after, next_attempt_at, sent_at, last_error, ticket_id, locale, task_id, "  \
    "printed_at, body"

static void fill_row(const struct db_rows *r, int i, struct notify_row *o)
{
    o->id = db_get_int(r, i, "id", 0);
    o->created_at = db_get(r, i, "created_at");
    o->kind = db_get(r, i, "kind");
    o->channel = db_get(r, i, "channel");
    o->recipient_user_id = db_get_int(r, i, "recipient_user_id", 0);
    o->recipient = db_get(r, i, "recipient");
    o->address = db_get(r, i, "address");
    o->subject = db_get(r, i, "subject");
    o->state = db_get(r, i, "state");
    o->attempts = db_get_int(r, i, "attempts", 0);
    o->deliver_after = db_get(r, i, "deliver_after");
    o->next_attempt_at = db_get(r, i, "next_attempt_at");
    o->sent_at = db_get(r, i, "sent_at");
    o->last_error = db_get(r, i, "last_error");
    o->ticket_id = db_get_int(r, i, "ticket_id", 0);
    o->locale = db_get(r, i, "locale");
    o->task_id = db_get_int(r, i, "task_id", 0);
    o->printed_at = db_get(r, i, "printed_at");
    o->body = db_get(r, i, "body");
}

enum sh_code uc_notify_printed(const struct uc *u, int64_t id, struct notify_row *out,
                               struct sh_err *e)
{
    enum sh_code rc = uc_notify_get(u, id, out, e);
    if (rc)
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    rc = db_exec(u->tx,
                 "UPDATE outbox SET printed_at = $2, state = CASE WHEN channel = 'letter' THEN "
                 "'sent' ELSE state END, sent_at = CASE WHEN channel = 'letter' THEN $2 ELSE "
                 "sent_at END WHERE id = $1",
                 DB_P(DB_INT(id), DB_TEXT(now)), NULL, e);
    return rc ? rc : uc_notify_get(u, id, out, e);
}

enum sh_code uc_notify_list(const struct uc *u, const struct notify_list_in *in,
                            struct notify_list_out *out, struct sh_err *e)
{
    struct db_rows r;
    const char *any = "";
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT " ROW_COLS " FROM outbox WHERE ($1 = '' OR state = $1) AND ($2 = '' OR "
        "channel = $2) AND ($3 = '' OR recipient = $3 OR address = $3 OR CAST(recipient_user_id "
        "AS TEXT) = $3) AND ($4 = '' OR created_at >= $4) AND ($5 = '' OR created_at <= $5) AND "
        "($6 = 0 OR id < $6) ORDER BY id DESC LIMIT $7",
        DB_P(DB_TEXT(in->state ? in->state : any), DB_TEXT(in->channel ? in->channel : any),
             DB_TEXT(in->recipient ? in->recipient : any), DB_TEXT(in->from ? in->from : any),
             DB_TEXT(in->to ? in->to : any), DB_INT(in->before_id), DB_INT(in->limit + 1)),
        &r, e);
    if (rc)
        return rc;
    out->more = r.nrows > in->limit;
    out->n = out->more ? in->limit : r.nrows;
    out->rows = sh_arena_alloc(u->a, sizeof(*out->rows) * (size_t)(out->n ? out->n : 1));
    for (int i = 0; i < out->n; i++)
        fill_row(&r, i, &out->rows[i]);
    return SH_OK;
}

enum sh_code uc_notify_get(const struct uc *u, int64_t id, struct notify_row *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT " ROW_COLS " FROM outbox WHERE id = $1",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "no notification %" PRId64, id);
    fill_row(&r, 0, out);
    return SH_OK;
}

enum sh_code uc_notify_retry(const struct uc *u, int64_t id, struct notify_row *out,
                             struct sh_err *e)
{
    enum sh_code rc = uc_notify_get(u, id, out, e);
    if (rc)
        return rc;
    if (strcmp(out->state, "dead") && strcmp(out->state, "failed") &&
        strcmp(out->state, "skipped")) {
        sh_err_set(e, SH_CONFLICT, "a %s notification cannot be retried", out->state);
        return sh_err_reason_str1(e, "illegal_action", "state", out->state);
    }
    char now[21];
    sh_ts_format(u->now, now);
    rc = db_exec(u->tx,
                 "UPDATE outbox SET state = 'pending', attempts = 0, deliver_after = $2, "
                 "next_attempt_at = NULL, claimed_until = NULL WHERE id = $1",
                 DB_P(DB_INT(id), DB_TEXT(now)), NULL, e);
    return rc ? rc : uc_notify_get(u, id, out, e);
}

static bool known_channel(const char *c)
{
    static const char *const names[] = {"email", "sms", "wecom", "dingtalk", "webhook"};
    for (size_t i = 0; i < 5; i++)
        if (c && !strcmp(c, names[i]))
            return true;
    return false;
}

enum sh_code uc_notify_test(const struct uc *u, const char *channel, const char *to, int64_t *id,
                            struct sh_err *e)
{
    if (!known_channel(channel)) {
        sh_err_field(e, SH_INVALID, "channel", "channel must be one of " NOTIFY_CHANNELS);
        return sh_err_reason(e, channel ? "invalid_format" : "required", NULL);
    }
    bool personal = !strcmp(channel, "email") || !strcmp(channel, "sms");
    if (personal && (!to || !*to)) {
        sh_err_field(e, SH_INVALID, "to", "an address is required for %s", channel);
        return sh_err_reason(e, "required", NULL);
    }
    if (to && strlen(to) > 200) {
        sh_err_field(e, SH_INVALID, "to", "the address is too long");
        return sh_err_reason(e, "too_long", "{\"max\":200}");
    }
    char now[21];
    sh_ts_format(u->now, now);
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "INSERT INTO outbox (created_at, kind, channel, recipient, subject, body, deliver_after) "
        "VALUES ($1, 'test', $2, $3, $4, $5, $1) RETURNING id",
        DB_P(DB_TEXT(now), DB_TEXT(channel), DB_TEXT(personal ? to : ""),
             DB_TEXT("售后服务系统测试消息 / Shouhou test message"),
             DB_TEXT(sh_arena_printf(u->a, "这是一条测试消息，发送人 %s。\nThis is a test message.",
                                     u->who && u->who->username ? u->who->username : "system"))),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    return rc;
}
