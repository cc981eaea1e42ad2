/* SPDX-License-Identifier: MIT */
#include "app/ticket_events.h"

#include <inttypes.h>
#include <stdio.h>

#include "base/date.h"

enum sh_code uc_ticket_events_add(const struct uc *u, int64_t ticket_id, const struct ticket_ev *ev,
                                  int n, int64_t *event_id, struct sh_err *e)
{
    if (n < 1 || n > TICKET_EVENTS_MAX || (event_id && n != 1))
        return sh_err_set(e, SH_INTERNAL, "ticket_events_add: %d events", n);
    char now[21];
    sh_ts_format(u->now, now);
    struct db_val p[4 + 4 * TICKET_EVENTS_MAX];
    p[0] = DB_INT(ticket_id);
    p[1] = DB_TEXT(now);
    p[2] = u->who && u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL;
    p[3] = DB_TEXT(u->who && u->who->username ? u->who->username : "system");
    char sql[512];
    int len = snprintf(sql, sizeof(sql),
                       "INSERT INTO ticket_events (ticket_id, at, actor_id, actor, kind, "
                       "visibility, body, data) VALUES ");
    for (int i = 0; i < n; i++) {
        int k = 4 + 4 * i;
        p[k] = DB_TEXT(ev[i].kind);
        p[k + 1] = DB_TEXT(ev[i].visibility);
        p[k + 2] = DB_TEXT(ev[i].body ? ev[i].body : "");
        p[k + 3] = DB_TEXT(ev[i].data);
        len +=
            snprintf(sql + len, sizeof(sql) - (size_t)len, "%s($1, $2, $3, $4, $%d, $%d, $%d, $%d)",
                     i ? ", " : "", k + 1, k + 2, k + 3, k + 4);
    }
    if (!event_id)
        return db_exec_nowait(u->tx, sql, p, 4 + 4 * n, e);
    snprintf(sql + len, sizeof(sql) - (size_t)len, " RETURNING id");
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, sql, p, 4 + 4 * n, &r, e);
    if (!rc)
        *event_id = db_get_int(&r, 0, "id", 0);
    return rc;
}

enum sh_code uc_ticket_event(const struct uc *u, int64_t ticket_id, const char *kind,
                             const char *visibility, const char *body, const char *data,
                             int64_t *event_id, struct sh_err *e)
{
    const struct ticket_ev ev = {kind, visibility, body, data};
    return uc_ticket_events_add(u, ticket_id, &ev, 1, event_id, e);
}

enum sh_code uc_outbox_add(const struct uc *u, const char *kind, int64_t user_id, int64_t ticket_id,
                           const char *subject, const char *body, int64_t deliver_after,
                           const char *dedupe, struct sh_err *e)
{
    char now[21], at[21];
    sh_ts_format(u->now, now);
    sh_ts_format(deliver_after, at);
    return db_exec_nowait(
        u->tx,
        "INSERT INTO outbox (created_at, kind, recipient_user_id, subject, body, "
        "ticket_id, deliver_after, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (dedupe_key) DO NOTHING",
        DB_P(DB_TEXT(now), DB_TEXT(kind), user_id ? DB_INT(user_id) : DB_NULL, DB_TEXT(subject),
             DB_TEXT(body), ticket_id ? DB_INT(ticket_id) : DB_NULL, DB_TEXT(at), DB_TEXT(dedupe)),
        e);
}
