/* SPDX-License-Identifier: MIT */
#include "app/users.h"

#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "base/date.h"
#include "base/jw.h"

bool user_name_ok(const char *u)
{
    size_t n = strlen(u);
    if (n < 2 || n > 64)
        return false;
    for (const char *p = u; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-' || *p == '@'))
            return false;
    return true;
}

enum sh_code user_roles_check(const char *roles, int64_t customer_id, struct sh_err *e)
{
    unsigned mask;
    if (!roles || !roles_parse(roles, &mask))
        return sh_err_field(e, SH_INVALID, "roles",
                            "'roles' must list known roles separated by commas, e.g. "
                            "\"agent,dispatcher\"");
    if ((mask & ROLES_EXTERNAL) && (mask & ROLES_STAFF))
        return sh_err_field(e, SH_INVALID, "roles",
                            "customer and dealer roles cannot be combined with staff roles");
    if ((mask & ROLES_EXTERNAL) && customer_id <= 0)
        return sh_err_field(e, SH_INVALID, "customer_id",
                            "a customer or dealer account needs 'customer_id'");
    if (!(mask & ROLES_EXTERNAL) && customer_id > 0)
        return sh_err_field(e, SH_INVALID, "customer_id",
                            "only customer and dealer accounts are linked to a customer");
    return SH_OK;
}

/* The audit image of a user: what the users entity shows, never the hash. */
static const char *user_json(const struct uc *u, int64_t id, struct sh_err *e, enum sh_code *rc)
{
    struct db_rows r;
    *rc = db_query(u->tx, u->a,
                   "SELECT id, username, display_name, email, phone, roles, department_id, "
                   "customer_id, locale, active FROM users WHERE id = $1",
                   DB_P(DB_INT(id)), &r, e);
    if (*rc || r.nrows == 0)
        return NULL;
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    static const char *const ints[] = {"id", "department_id", "customer_id"};
    static const char *const strs[] = {"username", "display_name", "email",
                                       "phone",    "roles",        "locale"};
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
        jw_kintstr(&w, ints[i], db_get(&r, 0, ints[i]));
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        jw_kstr(&w, strs[i], db_get(&r, 0, strs[i]));
    jw_key(&w, "active");
    jw_bool(&w, db_get_int(&r, 0, "active", 0) != 0);
    jw_obj_end(&w);
    const char *out = jw_finish(&w) == SH_OK ? sh_arena_strdup(u->a, b.buf) : NULL;
    sh_buf_release(&b);
    return out;
}

enum sh_code uc_user_create(const struct uc *u, const struct user_in *in, int64_t *id,
                            struct sh_err *e)
{
    if (!user_name_ok(in->username))
        return sh_err_field(e, SH_INVALID, "username",
                            "'username' must be 2 to 64 letters, digits or . _ - @");
    enum sh_code rc = user_roles_check(in->roles, in->customer_id, e);
    if (rc)
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    struct db_rows r;
    rc = db_query(
        u->tx, u->a,
        "INSERT INTO users (username, display_name, email, phone, roles, "
        "department_id, customer_id, password_hash, locale, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        DB_P(DB_TEXT(in->username),
             DB_TEXT(in->display_name && *in->display_name ? in->display_name : in->username),
             DB_TEXT(in->email ? in->email : ""), DB_TEXT(in->phone ? in->phone : ""),
             DB_TEXT(in->roles), in->department_id > 0 ? DB_INT(in->department_id) : DB_NULL,
             in->customer_id > 0 ? DB_INT(in->customer_id) : DB_NULL, DB_TEXT(in->password_hash),
             DB_TEXT(in->locale ? in->locale : "zh-CN"), DB_TEXT(now)),
        &r, e);
    if (rc == SH_CONFLICT)
        return sh_err_field(e, SH_CONFLICT, "username", "username '%s' is taken", in->username);
    if (rc == SH_INVALID)
        return sh_err_field(e, SH_INVALID, in->customer_id > 0 ? "customer_id" : "department_id",
                            "no such %s for this user",
                            in->customer_id > 0 ? "customer (or department)" : "department");
    if (rc)
        return rc;
    *id = db_get_int(&r, 0, "id", 0);
    const char *after = user_json(u, *id, e, &rc);
    if (rc)
        return rc;
    return uc_audit(u, "user", *id, "create", NULL, after, e);
}

static enum sh_code end_access(const struct uc *u, int64_t id, const char *keep_token,
                               struct sh_err *e)
{
    enum sh_code rc =
        db_exec(u->tx, "DELETE FROM sessions WHERE user_id = $1", DB_P(DB_INT(id)), NULL, e);
    if (rc)
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    return db_exec(u->tx,
                   "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS "
                   "NULL AND token_hash <> $3",
                   DB_P(DB_INT(id), DB_TEXT(now), DB_TEXT(keep_token ? keep_token : "")), NULL, e);
}

enum sh_code uc_user_end_access(const struct uc *u, int64_t id, struct sh_err *e)
{
    return end_access(u, id, NULL, e);
}

enum sh_code uc_user_set_password(const struct uc *u, int64_t id, const char *hash,
                                  struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    int64_t n = 0;
    enum sh_code rc = db_exec(u->tx,
                              "UPDATE users SET password_hash = $2, updated_at = $3, version = "
                              "version + 1 WHERE id = $1",
                              DB_P(DB_INT(id), DB_TEXT(hash), DB_TEXT(now)), &n, e);
    if (rc)
        return rc;
    if (n == 0)
        return sh_err_set(e, SH_NOT_FOUND, "user %" PRId64 " not found", id);
    /* a new password signs the user out everywhere, API tokens included; only the bearer
     * token with which the user changed their own password stays */
    const char *keep = u->who && u->who->user_id == id ? u->who->token_hash : NULL;
    if ((rc = end_access(u, id, keep, e)))
        return rc;
    return uc_audit(u, "user", id, "password", NULL, "{\"password\":\"changed\"}", e);
}

enum sh_code uc_user_set_active(const struct uc *u, int64_t id, bool active, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT active FROM users WHERE id = $1", DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "user %" PRId64 " not found", id);
    if ((db_get_int(&r, 0, "active", 0) != 0) != active) {
        char now[21];
        sh_ts_format(u->now, now);
        rc = db_exec(u->tx,
                     "UPDATE users SET active = $2, updated_at = $3, version = version + 1 "
                     "WHERE id = $1",
                     DB_P(DB_INT(id), DB_INT(active ? 1 : 0), DB_TEXT(now)), NULL, e);
        if (rc)
            return rc;
    }
    if (!active && (rc = uc_user_end_access(u, id, e)))
        return rc;
    return uc_audit(u, "user", id, active ? "enable" : "disable", NULL, NULL, e);
}
