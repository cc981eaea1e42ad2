/* SPDX-License-Identifier: MIT */
#include "app/audit_row.h"

#include "base/date.h"

enum sh_code uc_audit(const struct uc *u, const char *entity, int64_t id, const char *action,
                      const char *before, const char *after, struct sh_err *e)
{
    char at[21];
    sh_ts_format(u->now, at);
    const struct principal *who = u->who;
    return db_exec_nowait(
        u->tx,
        "INSERT INTO audit_log (at, user_id, username, entity, entity_id, action, "
        "before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        DB_P(DB_TEXT(at), who && who->user_id ? DB_INT(who->user_id) : DB_NULL,
             DB_TEXT(who && who->username ? who->username : "system"), DB_TEXT(entity), DB_INT(id),
             DB_TEXT(action), DB_TEXT(before), DB_TEXT(after)),
        e);
}
