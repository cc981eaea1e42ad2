/* SPDX-License-Identifier: MIT */
/* User accounts over HTTP: creation and password changes (hashed through the bounded
 * pool before the write transaction). The rules are in app/users.c, shared with the CLI;
 * the users entity and its hooks in app/resources.c. */
#include "api/users.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "app/auth.h"
#include "app/passwords.h"
#include "app/resources.h"
#include "base/date.h"

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
    struct uc x = api_uc(u->c, tx);
    enum sh_code rc = uc_user_create(&x, &u->in, &u->id, e);
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
        password_policy_check(v[8].text, v[0].text, "password", &e)) {
        api_reply_err(c, &e);
        return;
    }
    char hash[PW_HASH_MAX];
    if (pw_hash(v[8].text, hash, &e)) {
        auth_reply_err(c, &e, pw_pool_retry_after());
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
    if (!api_write_or_reply(c, ucreate_run, &u))
        return;
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
    return db_query(tx, u->c->a, "SELECT username, password_hash FROM users WHERE id = $1",
                    DB_P(DB_INT(u->id)), &u->row, e);
}

static enum sh_code upw_write(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct upw *u = arg;
    struct uc x = api_uc(u->c, tx);
    return uc_user_set_password(&x, u->id, u->hash, e);
}

/* A user changing their own password proves the current one: a throttled check (L1). */
static bool current_ok(struct api_ctx *c, struct upw *u, const struct fval *cur)
{
    if (!cur->present || !cur->text) {
        api_reply_error(c, SH_FORBIDDEN, "current_password", "the current password is wrong");
        return false;
    }
    return auth_current_password_ok(c, db_get(&u->row, 0, "username"),
                                    db_get(&u->row, 0, "password_hash"), cur->text);
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
        password_policy_check(v[0].text, NULL, "password", &e) ||
        db_read(c->app->db, upw_read, &u, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (u.row.nrows == 0) {
        api_reply_error(c, SH_NOT_FOUND, NULL, "user %" PRId64 " not found", u.id);
        return;
    }
    if (password_policy_check(v[0].text, db_get(&u.row, 0, "username"), "password", &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (self && !(c->who.roles & RB(ADMIN)) && !current_ok(c, &u, &v[1]))
        return;
    char hash[PW_HASH_MAX];
    if (pw_hash(v[0].text, hash, &e)) {
        auth_reply_err(c, &e, pw_pool_retry_after());
        return;
    }
    u.hash = hash;
    if (!api_write_or_reply(c, upw_write, &u))
        return;
    api_reply_no_content(c);
}

/* ---- unit history: its audit trail for now (shipments and tickets join later) ---- */

struct hist {
    struct api_ctx *c;
    int64_t id;
    struct db_rows unit, rows;
};

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
                    "SELECT a.id, a.at, a.user_id, a.username, NULLIF(us.display_name, '') AS "
                    "user_name, a.entity, a.entity_id, a.action, a.before_json, a.after_json "
                    "FROM audit_log a LEFT JOIN users us ON us.id = a.user_id WHERE a.entity = "
                    "'unit' AND a.entity_id = $1 ORDER BY a.id DESC LIMIT 501",
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
    if (api_is_external(c)) /* only the history of its own ownership (issue 10 item 6) */
        audit_render_owned(&w, &h.rows, 500, &ent_units, c->who.customer_id);
    else
        audit_render(&w, &h.rows, 500);
    api_reply_jw(c, 200, &b, &w);
}

static void role_item(struct jw *w, int i, const void *arg)
{
    (void)arg;
    jw_str(w, role_name((enum role)i));
}

void h_roles_list(struct api_ctx *c)
{
    api_reply_page(c, &(struct api_page){.n = ROLE_COUNT,
                                         .item = role_item,
                                         .has_total = true,
                                         .total = ROLE_COUNT,
                                         .has_cursor = true});
}
