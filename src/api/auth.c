/* SPDX-License-Identifier: MIT */
/* Who is calling: bearer tokens and sign-in sessions (cookie + CSRF token); the
 * handlers of sign-in and tokens (the rules are in app/auth.c). Tokens and session ids
 * are random, shown once and stored only as hashes. */
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/handlers.h"
#include "app/auth.h"
#include "app/passwords.h"
#include "base/date.h"
#include "domain/password.h"

#define COOKIE_NAME "sh_session"

void auth_random_hex(char *out, size_t nbytes)
{
    pw_random_hex(out, nbytes);
}

void auth_token_hash(const char *token, char out[65])
{
    pw_token_hash(token, out);
}

enum sh_code auth_password_hash(const char *pw, char out[128], struct sh_err *e)
{
    return pw_hash(pw, out, e);
}

bool auth_password_verify(const char *hash, const char *pw)
{
    struct sh_err e;
    bool ok = false;
    return pw_verify(hash, pw, &ok, &e) == SH_OK && ok;
}

bool auth_current_password_ok(struct api_ctx *c, const char *username, const char *hash,
                              const char *password)
{
    struct sh_err e;
    sh_err_clear(&e);
    int retry = 0;
    enum sh_code rc = app_password_check(c->app, username, c->req->ip, hash, password, &retry, &e);
    if (rc == SH_UNAUTH) {
        api_reply_error(c, SH_FORBIDDEN, "current_password", "the current password is wrong");
        return false;
    }
    if (rc) {
        auth_reply_err(c, &e, retry);
        return false;
    }
    return true;
}

void auth_reply_err(struct api_ctx *c, const struct sh_err *e, int retry_after)
{
    if ((e->code == SH_THROTTLED || e->code == SH_UNAVAILABLE) && retry_after > 0)
        http_add_header(c->req, "Retry-After", sh_arena_printf(c->a, "%d", retry_after));
    api_reply_err(c, e);
}

/* ---- resolving the caller ---- */

static enum sh_code resolve(struct api_ctx *c, struct sh_err *e)
{
    const char *authz = http_header(c->req, "Authorization");
    const char *cookie = http_cookie(c->req, COOKIE_NAME);
    char hash[65];
    bool bearer = false;
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) || strlen(authz + 7) < 16 || strlen(authz) > 200)
            return sh_err_set(e, SH_UNAUTH, "the Authorization header must be 'Bearer <token>'");
        pw_token_hash(authz + 7, hash);
        bearer = true;
    } else if (cookie && *cookie) {
        if (strlen(cookie) > 200)
            return sh_err_set(e, SH_UNAUTH, "invalid session: sign in again");
        pw_token_hash(cookie, hash);
    } else {
        return SH_OK; /* anonymous */
    }
    return app_resolve(c->app, c->a, hash, bearer, &c->who, e);
}

enum sh_code auth_resolve(struct api_ctx *c, struct sh_err *e)
{
    enum sh_code rc = resolve(c, e);
    if (rc && (c->route->flags & ROUTE_PUBLIC)) {
        /* a stale cookie must not stop anyone from signing in */
        memset(&c->who, 0, sizeof(c->who));
        sh_err_clear(e);
        return SH_OK;
    }
    return rc;
}

/* ---- sessions ---- */

static const struct col login_cols[] = {
    {"username", F_STR, COL_REQUIRED, 64, NULL, 0, 0, NULL},
    {"password", F_STR, COL_REQUIRED, 200, NULL, 0, 0, NULL},
};

static void render_me(struct jw *w, const struct db_rows *u, const char *csrf, const char *expires)
{
    jw_obj_begin(w);
    jw_key(w, "user");
    jw_obj_begin(w);
    jw_kintstr(w, "id", db_get(u, 0, "id"));
    jw_kstr(w, "username", db_get(u, 0, "username"));
    jw_kstr(w, "display_name", db_get(u, 0, "display_name"));
    jw_key(w, "roles");
    jw_arr_begin(w);
    const char *roles = db_get(u, 0, "roles");
    for (const char *p = roles; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        jw_strn(w, p, n);
        if (!comma)
            break;
        p = comma + 1;
    }
    jw_arr_end(w);
    jw_kintstr(w, "customer_id", db_get(u, 0, "customer_id"));
    jw_kintstr(w, "department_id", db_get(u, 0, "department_id"));
    jw_kstr(w, "locale", db_get(u, 0, "locale"));
    jw_obj_end(w);
    if (csrf)
        jw_kstr(w, "csrf_token", csrf);
    if (expires)
        jw_kstr(w, "expires_at", expires);
    jw_obj_end(w);
}

void h_session_create(struct api_ctx *c)
{
    struct fval v[2];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, login_cols, 2, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sign_in_in in = {.username = v[0].text, .password = v[1].text, .ip = c->req->ip};
    struct sign_in_out out;
    memset(&out, 0, sizeof(out));
    if (app_sign_in(c->app, c->a, &in, &out, &e)) {
        auth_reply_err(c, &e, out.retry_after);
        return;
    }
    http_add_header(c->req, "Set-Cookie",
                    sh_arena_printf(c->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", COOKIE_NAME,
                                    out.cookie, c->app->cookie_secure ? "; Secure" : ""));
    c->req->user = in.username;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    render_me(&w, &out.user, out.csrf, out.expires);
    api_reply_jw(c, 201, &b, &w);
}

struct me_ctx {
    struct api_ctx *c;
    struct db_rows user;
};

static enum sh_code me_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct me_ctx *m = arg;
    return db_query(tx, m->c->a,
                    "SELECT id, username, display_name, roles, customer_id, department_id, locale "
                    "FROM users WHERE id = $1",
                    DB_P(DB_INT(m->c->who.user_id)), &m->user, e);
}

void h_session_get(struct api_ctx *c)
{
    struct me_ctx m = {.c = c};
    if (!api_read_or_reply(c, me_run, &m))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    render_me(&w, &m.user, c->who.csrf, NULL);
    api_reply_jw(c, 200, &b, &w);
}

static enum sh_code logout_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct api_ctx *c = arg;
    struct uc u = api_uc(c, tx);
    return uc_session_end(&u, c->who.session_hash, e);
}

void h_session_delete(struct api_ctx *c)
{
    if (!c->who.via_session) {
        api_reply_error(c, SH_INVALID, NULL,
                        "no sign-in session: bearer tokens are revoked "
                        "with DELETE /api/v1/tokens/{id}");
        return;
    }
    if (!api_write_or_reply(c, logout_run, c))
        return;
    http_add_header(c->req, "Set-Cookie",
                    COOKIE_NAME "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    api_reply_no_content(c);
}

/* ---- API tokens ---- */

static const struct col token_cols[] = {
    {"name", F_STR, COL_REQUIRED, 100, NULL, 0, 0, NULL},
    {"user_id", F_ID, 0, 0, NULL, 0, 0, NULL},
    {"expires_at", F_STR, COL_NULLABLE, 40, NULL, 0, 0, NULL},
    {"current_password", F_STR, 0, PASSWORD_MAX, NULL, 0, 0, NULL},
};

struct token_ctx {
    struct api_ctx *c;
    struct token_in in;
    struct token_out out;
    int64_t id;
    const char *hash;
    struct db_rows rows;
};

static enum sh_code token_create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct token_ctx *t = arg;
    struct uc u = api_uc(t->c, tx);
    return uc_token_create(&u, &t->in, &t->out, e);
}

static enum sh_code own_hash_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct token_ctx *t = arg;
    return db_query(tx, t->c->a, "SELECT password_hash FROM users WHERE id = $1",
                    DB_P(DB_INT(t->c->who.user_id)), &t->rows, e);
}

/* Through a sign-in session, a new token needs the current password again (a stolen
 * cookie must not become a lasting credential); the check is throttled like a sign-in. */
static bool token_reauth(struct api_ctx *c, struct token_ctx *t, const struct fval *pw)
{
    if (!c->who.via_session)
        return true;
    struct sh_err e;
    sh_err_clear(&e);
    if (!pw->present || !pw->text) {
        sh_err_field(&e, SH_INVALID, "current_password",
                     "creating a token in a sign-in session needs 'current_password'");
        sh_err_reason(&e, "required", NULL);
        api_reply_err(c, &e);
        return false;
    }
    if (!api_read_or_reply(c, own_hash_run, t))
        return false;
    return auth_current_password_ok(c, c->who.username, db_get(&t->rows, 0, "password_hash"),
                                    pw->text);
}

void h_tokens_create(struct api_ctx *c)
{
    struct fval v[4];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, token_cols, 4, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct token_ctx t = {.c = c};
    t.in = (struct token_in){.user_id = c->who.user_id,
                             .name = v[0].text,
                             .expires_at = v[2].present && !v[2].is_null ? v[2].text : NULL};
    if (v[1].present && v[1].i != c->who.user_id) {
        if (!(c->who.roles & RB(ADMIN))) {
            api_reply_error(c, SH_FORBIDDEN, "user_id",
                            "only an admin creates tokens for other users");
            return;
        }
        t.in.user_id = v[1].i;
    }
    if (!token_reauth(c, &t, &v[3]) || !api_write_or_reply(c, token_create_run, &t))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "id", t.out.id);
    jw_kstr(&w, "name", t.in.name);
    jw_kint(&w, "user_id", t.in.user_id);
    jw_kstr(&w, "token", t.out.token);
    jw_kstr(&w, "prefix", sh_arena_strndup(c->a, t.out.token, 12));
    jw_kstr(&w, "expires_at", t.out.expires_at);
    jw_kstr(&w, "note", "store this token now: it is shown only once");
    jw_obj_end(&w);
    api_reply_jw(c, 201, &b, &w);
}

static enum sh_code tokens_list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct token_ctx *t = arg;
    struct uc u = api_uc(t->c, tx);
    return uc_tokens_list(&u, &t->rows, e);
}

static void token_item(struct jw *w, int i, const void *arg)
{
    const struct db_rows *r = arg;
    static const char *const ints[] = {"id", "user_id"};
    static const char *const strs[] = {"username",     "name",       "prefix",    "created_at",
                                       "last_used_at", "expires_at", "revoked_at"};
    jw_obj_begin(w);
    for (size_t k = 0; k < sizeof(ints) / sizeof(ints[0]); k++)
        jw_kintstr(w, ints[k], db_get(r, i, ints[k]));
    for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
        jw_kstr(w, strs[k], db_get(r, i, strs[k]));
    jw_obj_end(w);
}

void h_tokens_list(struct api_ctx *c)
{
    struct token_ctx t = {.c = c};
    if (!api_read_or_reply(c, tokens_list_run, &t))
        return;
    api_reply_page(c, &(struct api_page){.n = t.rows.nrows,
                                         .item = token_item,
                                         .arg = &t.rows,
                                         .has_total = true,
                                         .total = t.rows.nrows,
                                         .has_cursor = true});
}

static enum sh_code token_revoke_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct token_ctx *t = arg;
    struct uc u = api_uc(t->c, tx);
    return uc_token_revoke(&u, t->id, e);
}

void h_tokens_delete(struct api_ctx *c)
{
    struct token_ctx t = {.c = c};
    if (!api_param_id(c, 0, &t.id))
        return;
    if (!api_write_or_reply(c, token_revoke_run, &t))
        return;
    api_reply_no_content(c);
}
