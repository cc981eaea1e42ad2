/* SPDX-License-Identifier: MIT */
/* Who is calling: bearer tokens and sign-in sessions (cookie + CSRF token),
 * argon2id passwords (libsodium), and login throttling. Tokens and session ids
 * are random, shown once and stored only as hashes. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/handlers.h"
#include "base/date.h"
#include "base/log.h"

#define COOKIE_NAME     "sh_session"
#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_MAX    10

void auth_random_hex(char *out, size_t nbytes)
{
    unsigned char buf[64];
    if (nbytes > sizeof(buf))
        nbytes = sizeof(buf);
    randombytes_buf(buf, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, buf, nbytes);
}

void auth_token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

enum sh_code auth_password_hash(const char *pw, char out[128], struct sh_err *e)
{
    if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return sh_err_set(e, SH_INTERNAL, "cannot hash the password (out of memory)");
    return SH_OK;
}

bool auth_password_verify(const char *hash, const char *pw)
{
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/* ---- resolving the caller ---- */

struct resolve_ctx {
    struct api_ctx *c;
    const char *hash;
    bool bearer;
    struct db_rows rows;
};

static enum sh_code resolve_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct resolve_ctx *x = arg;
    if (x->bearer)
        return db_query(
            tx, x->c->a,
            "SELECT u.id, u.username, u.roles, u.customer_id, u.department_id, "
            "u.active, NULL AS csrf, t.last_used_at AS last_seen_at, NULL AS expires_at "
            "FROM api_tokens t JOIN users u ON u.id = t.user_id "
            "WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
            DB_P(DB_TEXT(x->hash)), &x->rows, e);
    return db_query(tx, x->c->a,
                    "SELECT u.id, u.username, u.roles, u.customer_id, u.department_id, u.active, "
                    "s.csrf, s.last_seen_at, s.expires_at "
                    "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1",
                    DB_P(DB_TEXT(x->hash)), &x->rows, e);
}

struct touch_ctx {
    const char *hash, *now, *expires;
};

static enum sh_code touch_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct touch_ctx *t = arg;
    return db_exec(tx, "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1",
                   DB_P(DB_TEXT(t->hash), DB_TEXT(t->now), DB_TEXT(t->expires)), NULL, e);
}

static enum sh_code token_touch_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct touch_ctx *t = arg;
    return db_exec(tx, "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1",
                   DB_P(DB_TEXT(t->hash), DB_TEXT(t->now)), NULL, e);
}

static enum sh_code resolve(struct api_ctx *c, struct sh_err *e)
{
    const char *authz = http_header(c->req, "Authorization");
    const char *cookie = http_cookie(c->req, COOKIE_NAME);
    struct resolve_ctx x = {.c = c};
    char hash[65];
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) || strlen(authz + 7) < 16 || strlen(authz) > 200)
            return sh_err_set(e, SH_UNAUTH, "the Authorization header must be 'Bearer <token>'");
        auth_token_hash(authz + 7, hash);
        x.bearer = true;
    } else if (cookie && *cookie) {
        if (strlen(cookie) > 200)
            return sh_err_set(e, SH_UNAUTH, "invalid session: sign in again");
        auth_token_hash(cookie, hash);
    } else {
        return SH_OK; /* anonymous */
    }
    x.hash = hash;
    enum sh_code rc = db_read(c->app->db, resolve_run, &x, e);
    if (rc)
        return rc;
    if (x.rows.nrows == 0)
        return sh_err_set(e, SH_UNAUTH,
                          x.bearer ? "invalid or revoked token"
                                   : "session expired or signed out: sign in again");
    if (!db_get_int(&x.rows, 0, "active", 0))
        return sh_err_set(e, SH_UNAUTH, "this account is disabled");
    char now[21];
    api_now(now);
    if (x.bearer) {
        /* when a token was last used, at most one write a minute per token */
        int64_t used;
        const char *lu = db_get(&x.rows, 0, "last_seen_at");
        if (!lu || (sh_ts_parse(lu, &used) && sh_now() - used > 60)) {
            struct touch_ctx t = {sh_arena_strdup(c->a, hash), now, NULL};
            struct sh_err te;
            if (db_write(c->app->db, token_touch_run, &t, &te))
                log_warn("token touch failed: %s", te.msg);
        }
    } else {
        const char *exp = db_get(&x.rows, 0, "expires_at");
        if (!exp || strcmp(exp, now) < 0)
            return sh_err_set(e, SH_UNAUTH, "session expired after inactivity: sign in again");
        /* slide the idle timeout, at most one write a minute per session */
        int64_t seen;
        if (sh_ts_parse(db_get(&x.rows, 0, "last_seen_at"), &seen) && sh_now() - seen > 60) {
            char expires[21];
            sh_ts_format(sh_now() + c->app->session_idle_s, expires);
            struct touch_ctx t = {sh_arena_strdup(c->a, hash), now, expires};
            struct sh_err te;
            if (db_write(c->app->db, touch_run, &t, &te))
                log_warn("session touch failed: %s", te.msg);
        }
        c->who.via_session = true;
        c->who.session_hash = sh_arena_strdup(c->a, hash);
        c->who.csrf = db_get(&x.rows, 0, "csrf");
    }
    unsigned roles = 0;
    if (!roles_parse(db_get(&x.rows, 0, "roles"), &roles))
        return sh_err_set(e, SH_FORBIDDEN, "this account has no valid role");
    c->who.user_id = db_get_int(&x.rows, 0, "id", 0);
    c->who.username = db_get(&x.rows, 0, "username");
    c->who.roles = roles;
    c->who.customer_id = db_get_int(&x.rows, 0, "customer_id", 0);
    c->who.department_id = db_get_int(&x.rows, 0, "department_id", 0);
    return SH_OK;
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

struct login_ctx {
    struct api_ctx *c;
    const char *username;
    const char *since;
    struct db_rows user, fails;
    const char *id_hash, *csrf, *expires, *now;
};

static enum sh_code login_read(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct login_ctx *x = arg;
    enum sh_code rc = db_query(
        tx, x->c->a,
        "SELECT (SELECT count(*) FROM login_failures WHERE username = $1 AND at > $3) "
        "AS by_user, (SELECT count(*) FROM login_failures WHERE ip = $2 AND at > $3) "
        "AS by_ip",
        DB_P(DB_TEXT(x->username), DB_TEXT(x->c->req->ip), DB_TEXT(x->since)), &x->fails, e);
    if (rc)
        return rc;
    return db_query(tx, x->c->a,
                    "SELECT id, username, display_name, roles, customer_id, department_id, "
                    "locale, active, password_hash FROM users WHERE username = $1",
                    DB_P(DB_TEXT(x->username)), &x->user, e);
}

static enum sh_code login_fail(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct login_ctx *x = arg;
    return db_exec(tx, "INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3)",
                   DB_P(DB_TEXT(x->username), DB_TEXT(x->c->req->ip), DB_TEXT(x->now)), NULL, e);
}

static enum sh_code login_ok(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct login_ctx *x = arg;
    /* old sessions of this browser-less kind are pruned as we go */
    enum sh_code rc =
        db_exec(tx, "DELETE FROM sessions WHERE expires_at < $1", DB_P(DB_TEXT(x->now)), NULL, e);
    if (rc)
        return rc;
    return db_exec(tx,
                   "INSERT INTO sessions (id_hash, user_id, csrf, ip, created_at, last_seen_at, "
                   "expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
                   DB_P(DB_TEXT(x->id_hash), DB_INT(db_get_int(&x->user, 0, "id", 0)),
                        DB_TEXT(x->csrf), DB_TEXT(x->c->req->ip), DB_TEXT(x->now),
                        DB_TEXT(x->expires)),
                   NULL, e);
}

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

/* A valid argon2id hash of a random password: verifying unknown users costs the
 * same time as verifying known ones. */
static const char *dummy_hash(void)
{
    static char hash[crypto_pwhash_STRBYTES];
    static int ready;
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        char pw[33];
        auth_random_hex(pw, 16);
        if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
            __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    return hash;
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
    char now[21], since[21];
    api_now(now);
    sh_ts_format(sh_now() - THROTTLE_WINDOW, since);
    struct login_ctx x = {.c = c, .username = v[0].text, .since = since, .now = now};
    if (db_read(c->app->db, login_read, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (db_get_int(&x.fails, 0, "by_user", 0) >= THROTTLE_MAX ||
        db_get_int(&x.fails, 0, "by_ip", 0) >= THROTTLE_MAX) {
        http_add_header(c->req, "Retry-After", "900");
        api_reply_error(c, SH_THROTTLED, NULL,
                        "too many failed sign-ins: wait 15 minutes and try again");
        return;
    }
    bool found = x.user.nrows == 1;
    const char *hash = found ? db_get(&x.user, 0, "password_hash") : dummy_hash();
    bool ok = auth_password_verify(hash, v[1].text) && found && db_get_int(&x.user, 0, "active", 0);
    if (!ok) {
        if (db_write(c->app->db, login_fail, &x, &e)) {
            api_reply_err(c, &e);
            return;
        }
        api_reply_error(c, SH_UNAUTH, NULL, "wrong username or password");
        return;
    }
    char token[65], csrf[65], id_hash[65], expires[21];
    auth_random_hex(token, 32);
    auth_random_hex(csrf, 32);
    auth_token_hash(token, id_hash);
    sh_ts_format(sh_now() + c->app->session_idle_s, expires);
    x.id_hash = id_hash;
    x.csrf = csrf;
    x.expires = expires;
    if (db_write(c->app->db, login_ok, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    http_add_header(c->req, "Set-Cookie",
                    sh_arena_printf(c->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", COOKIE_NAME,
                                    token, c->app->cookie_secure ? "; Secure" : ""));
    c->req->user = x.username;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    render_me(&w, &x.user, csrf, expires);
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
    return db_exec(tx, "DELETE FROM sessions WHERE id_hash = $1",
                   DB_P(DB_TEXT(c->who.session_hash)), NULL, e);
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

enum sh_code auth_token_create(struct db_tx *tx, int64_t user_id, const char *name,
                               char token_out[64], int64_t *id_out, struct sh_err *e)
{
    char rnd[41], hash[65], now[21];
    auth_random_hex(rnd, 20);
    snprintf(token_out, 64, "shk_%s", rnd);
    auth_token_hash(token_out, hash);
    api_now(now);
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, &a,
                 "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) "
                 "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                 DB_P(DB_INT(user_id), DB_TEXT(name), DB_TEXT(hash),
                      DB_TEXT(sh_arena_strndup(&a, token_out, 12)), DB_TEXT(now)),
                 &r, e);
    if (!rc && id_out)
        *id_out = db_get_int(&r, 0, "id", 0);
    sh_arena_release(&a);
    return rc;
}

static const struct col token_cols[] = {
    {"name", F_STR, COL_REQUIRED, 100, NULL, 0, 0, NULL},
    {"user_id", F_ID, 0, 0, NULL, 0, 0, NULL},
};

struct token_ctx {
    struct api_ctx *c;
    int64_t user_id, id;
    const char *name;
    char token[64];
    struct db_rows rows;
};

static enum sh_code token_create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct token_ctx *t = arg;
    struct db_rows u;
    enum sh_code rc = db_query(tx, t->c->a, "SELECT id FROM users WHERE id = $1 AND active = 1",
                               DB_P(DB_INT(t->user_id)), &u, e);
    if (rc)
        return rc;
    if (u.nrows == 0)
        return sh_err_field(e, SH_INVALID, "user_id", "no active user with id %" PRId64,
                            t->user_id);
    rc = auth_token_create(tx, t->user_id, t->name, t->token, &t->id, e);
    if (rc)
        return rc;
    return audit_write(tx, &t->c->who, "api_token", t->id, "create", NULL,
                       sh_arena_printf(t->c->a, "{\"user_id\":%" PRId64 "}", t->user_id), e);
}

void h_tokens_create(struct api_ctx *c)
{
    struct fval v[2];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, token_cols, 2, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct token_ctx t = {.c = c, .user_id = c->who.user_id, .name = v[0].text};
    if (v[1].present && v[1].i != c->who.user_id) {
        if (!(c->who.roles & RB(ADMIN))) {
            api_reply_error(c, SH_FORBIDDEN, "user_id",
                            "only an admin creates tokens for other users");
            return;
        }
        t.user_id = v[1].i;
    }
    if (db_write(c->app->db, token_create_run, &t, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "id", t.id);
    jw_kstr(&w, "name", t.name);
    jw_kint(&w, "user_id", t.user_id);
    jw_kstr(&w, "token", t.token);
    jw_kstr(&w, "prefix", sh_arena_strndup(c->a, t.token, 12));
    jw_kstr(&w, "note", "store this token now: it is shown only once");
    jw_obj_end(&w);
    api_reply_jw(c, 201, &b, &w);
}

static enum sh_code tokens_list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct token_ctx *t = arg;
    bool all = (t->c->who.roles & RB(ADMIN)) != 0;
    return db_query(tx, t->c->a,
                    "SELECT t.id, t.user_id, u.username, t.name, t.prefix, t.created_at, "
                    "t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = "
                    "t.user_id WHERE ($1 = 1 OR t.user_id = $2) ORDER BY t.id DESC LIMIT 500",
                    DB_P(DB_INT(all), DB_INT(t->c->who.user_id)), &t->rows, e);
}

void h_tokens_list(struct api_ctx *c)
{
    struct token_ctx t = {.c = c};
    if (!api_read_or_reply(c, tokens_list_run, &t))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    for (int i = 0; i < t.rows.nrows; i++) {
        jw_obj_begin(&w);
        jw_kintstr(&w, "id", db_get(&t.rows, i, "id"));
        jw_kintstr(&w, "user_id", db_get(&t.rows, i, "user_id"));
        jw_kstr(&w, "username", db_get(&t.rows, i, "username"));
        jw_kstr(&w, "name", db_get(&t.rows, i, "name"));
        jw_kstr(&w, "prefix", db_get(&t.rows, i, "prefix"));
        jw_kstr(&w, "created_at", db_get(&t.rows, i, "created_at"));
        jw_kstr(&w, "last_used_at", db_get(&t.rows, i, "last_used_at"));
        jw_kstr(&w, "revoked_at", db_get(&t.rows, i, "revoked_at"));
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "total", t.rows.nrows);
    jw_knull(&w, "next_cursor");
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

static enum sh_code token_revoke_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct token_ctx *t = arg;
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, t->c->a, "SELECT user_id, revoked_at FROM api_tokens WHERE id = $1",
                 DB_P(DB_INT(t->id)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0 ||
        (db_get_int(&r, 0, "user_id", 0) != t->c->who.user_id && !(t->c->who.roles & RB(ADMIN))))
        return sh_err_set(e, SH_NOT_FOUND, "token %" PRId64 " not found", t->id);
    if (db_get(&r, 0, "revoked_at"))
        return SH_OK;
    char now[21];
    api_now(now);
    rc = db_exec(tx, "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1",
                 DB_P(DB_INT(t->id), DB_TEXT(now)), NULL, e);
    if (rc)
        return rc;
    return audit_write(tx, &t->c->who, "api_token", t->id, "revoke", NULL, NULL, e);
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
