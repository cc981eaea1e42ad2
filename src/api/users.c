/* SPDX-License-Identifier: MIT */
/* User accounts: creation and password changes hash with argon2id before the
 * write transaction, so the writer thread never waits for a hash. */
#include "api/users.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"

extern const struct entity ent_users;

enum sh_code users_password_ok(const char *pw, const char *field, struct sh_err *e)
{
    size_t n = utf8_len(pw);
    if (n < PASSWORD_MIN || n > PASSWORD_MAX)
        return sh_err_field(e, SH_INVALID, field, "the password must be %d to %d characters",
                            PASSWORD_MIN, PASSWORD_MAX);
    return SH_OK;
}

static bool username_ok(const char *u)
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

/* Roles must parse; customer and dealer accounts need their customer record. */
static enum sh_code roles_and_scope(const char *roles, int64_t customer_id, struct sh_err *e)
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

enum sh_code users_check(struct ent_write *w, struct sh_err *e);
enum sh_code users_check(struct ent_write *w, struct sh_err *e)
{
    int ri = ent_colidx(w->ent, "roles"), ci = ent_colidx(w->ent, "customer_id");
    int64_t cust = w->vals[ci].is_null || !w->vals[ci].text ? 0 : w->vals[ci].i;
    if (w->vals[ci].text && !w->vals[ci].is_null)
        sscanf(w->vals[ci].text, "%" SCNd64, &cust);
    return roles_and_scope(w->vals[ri].text, cust, e);
}

enum sh_code users_insert(struct db_tx *tx, struct sh_arena *a, const struct principal *who,
                          const struct user_in *in, int64_t *id, struct sh_err *e)
{
    if (!username_ok(in->username))
        return sh_err_field(e, SH_INVALID, "username",
                            "'username' must be 2 to 64 letters, digits or . _ - @");
    enum sh_code rc = roles_and_scope(in->roles, in->customer_id, e);
    if (rc)
        return rc;
    char now[21];
    api_now(now);
    struct db_rows r;
    rc = db_query(
        tx, a,
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
    struct db_rows row;
    if ((rc = ent_load(tx, a, &ent_users, *id, &row, e)))
        return rc;
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    struct jw w;
    jw_init(&w, &b);
    ent_render(&w, &ent_users, &row, 0);
    rc = jw_finish(&w);
    if (!rc)
        rc = audit_write(tx, who, "user", *id, "create", NULL, b.buf, e);
    sh_buf_release(&b);
    return rc;
}

enum sh_code users_set_password(struct db_tx *tx, const struct principal *who, int64_t id,
                                const char *hash, struct sh_err *e)
{
    char now[21];
    api_now(now);
    int64_t n = 0;
    enum sh_code rc = db_exec(tx,
                              "UPDATE users SET password_hash = $2, updated_at = $3, version = "
                              "version + 1 WHERE id = $1",
                              DB_P(DB_INT(id), DB_TEXT(hash), DB_TEXT(now)), &n, e);
    if (rc)
        return rc;
    if (n == 0)
        return sh_err_set(e, SH_NOT_FOUND, "user %" PRId64 " not found", id);
    /* a new password signs the user out everywhere */
    if ((rc = db_exec(tx, "DELETE FROM sessions WHERE user_id = $1", DB_P(DB_INT(id)), NULL, e)))
        return rc;
    return audit_write(tx, who, "user", id, "password", NULL, "{\"password\":\"changed\"}", e);
}

/* ---- handlers ---- */

static const struct col user_create_cols[] = {
    {"username", F_STR, COL_REQUIRED, 64, NULL, 0, 0, NULL},
    {"display_name", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"email", F_STR, 0, 120, NULL, 0, 0, NULL},
    {"phone", F_STR, 0, 40, NULL, 0, 0, NULL},
    {"roles", F_STR, COL_REQUIRED, 200, NULL, 0, 0, NULL},
    {"department_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"locale", F_ENUM, 0, 0, (const char *const[]){"zh-CN", "en", NULL}, 0, 0, NULL},
    {"password", F_STR, COL_REQUIRED, PASSWORD_MAX, NULL, 0, 0, NULL},
};

struct ucreate {
    struct api_ctx *c;
    struct user_in in;
    int64_t id;
    struct db_rows row;
};

static enum sh_code ucreate_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct ucreate *u = arg;
    enum sh_code rc = users_insert(tx, u->c->a, &u->c->who, &u->in, &u->id, e);
    if (rc)
        return rc;
    return ent_load(tx, u->c->a, &ent_users, u->id, &u->row, e);
}

void h_users_create(struct api_ctx *c)
{
    struct fval v[9];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, user_create_cols, 9, false, v,
                         NULL, &e) ||
        users_password_ok(v[8].text, "password", &e)) {
        api_reply_err(c, &e);
        return;
    }
    char hash[128];
    if (auth_password_hash(v[8].text, hash, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct ucreate u = {.c = c};
    u.in = (struct user_in){.username = v[0].text,
                            .display_name = v[1].text,
                            .email = v[2].text,
                            .phone = v[3].text,
                            .roles = v[4].text,
                            .department_id = v[5].present && !v[5].is_null ? v[5].i : 0,
                            .customer_id = v[6].present && !v[6].is_null ? v[6].i : 0,
                            .locale = v[7].text,
                            .password_hash = hash};
    if (db_write(c->app->db, ucreate_run, &u, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    ent_render(&w, &ent_users, &u.row, 0);
    http_add_header(c->req, "Location", sh_arena_printf(c->a, "/api/v1/users/%" PRId64, u.id));
    api_reply_jw(c, 201, &b, &w);
}

static const struct col password_cols[] = {
    {"password", F_STR, COL_REQUIRED, PASSWORD_MAX, NULL, 0, 0, NULL},
    {"current_password", F_STR, 0, PASSWORD_MAX, NULL, 0, 0, NULL},
};

struct upw {
    struct api_ctx *c;
    int64_t id;
    const char *hash;
    struct db_rows row;
};

static enum sh_code upw_read(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct upw *u = arg;
    return db_query(tx, u->c->a, "SELECT password_hash FROM users WHERE id = $1",
                    DB_P(DB_INT(u->id)), &u->row, e);
}

static enum sh_code upw_write(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct upw *u = arg;
    return users_set_password(tx, &u->c->who, u->id, u->hash, e);
}

void h_users_password(struct api_ctx *c)
{
    struct upw u = {.c = c};
    if (!api_param_id(c, 0, &u.id))
        return;
    bool self = u.id == c->who.user_id;
    if (!self && !(c->who.roles & RB(ADMIN))) {
        api_reply_error(c, SH_FORBIDDEN, NULL, "only an admin changes another user's password");
        return;
    }
    struct fval v[2];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, password_cols, 2, false, v, NULL,
                         &e) ||
        users_password_ok(v[0].text, "password", &e) || db_read(c->app->db, upw_read, &u, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (u.row.nrows == 0) {
        api_reply_error(c, SH_NOT_FOUND, NULL, "user %" PRId64 " not found", u.id);
        return;
    }
    if (self && !(c->who.roles & RB(ADMIN)) &&
        (!v[1].present || !auth_password_verify(db_get(&u.row, 0, "password_hash"), v[1].text))) {
        api_reply_error(c, SH_FORBIDDEN, "current_password", "the current password is wrong");
        return;
    }
    char hash[128];
    if (auth_password_hash(v[0].text, hash, &e)) {
        api_reply_err(c, &e);
        return;
    }
    u.hash = hash;
    if (db_write(c->app->db, upw_write, &u, &e)) {
        api_reply_err(c, &e);
        return;
    }
    api_reply_no_content(c);
}

/* ---- unit history: its audit trail for now (shipments and tickets join later) ---- */

struct hist {
    struct api_ctx *c;
    int64_t id;
    struct db_rows unit, rows;
};

extern const struct entity ent_units;

static enum sh_code hist_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct hist *h = arg;
    enum sh_code rc = ent_load(tx, h->c->a, &ent_units, h->id, &h->unit, e);
    if (rc)
        return rc;
    if (api_is_external(h->c) &&
        db_get_int(&h->unit, 0, "customer_id", -1) != h->c->who.customer_id)
        return sh_err_set(e, SH_NOT_FOUND, "unit %" PRId64 " not found", h->id);
    return db_query(tx, h->c->a,
                    "SELECT id, at, user_id, username, entity, entity_id, action, before_json, "
                    "after_json FROM audit_log WHERE entity = 'unit' AND entity_id = $1 "
                    "ORDER BY id DESC LIMIT 501",
                    DB_P(DB_INT(h->id)), &h->rows, e);
}

void h_unit_history(struct api_ctx *c)
{
    struct hist h = {.c = c};
    if (!api_param_id(c, 0, &h.id))
        return;
    if (!api_read_or_reply(c, hist_run, &h))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    audit_render(&w, &h.rows, 500);
    api_reply_jw(c, 200, &b, &w);
}

void h_roles_list(struct api_ctx *c)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    for (int i = 0; i < ROLE_COUNT; i++)
        jw_str(&w, role_name((enum role)i));
    jw_arr_end(&w);
    jw_kint(&w, "total", ROLE_COUNT);
    jw_knull(&w, "next_cursor");
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}
