/* SPDX-License-Identifier: MIT */
#include "app/auth.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/passwords.h"
#include "base/date.h"
#include "base/log.h"

/* ---- the client's address ---- */

static bool in_list(const char *list, const char *s, size_t n)
{
    for (const char *p = list; p && *p;) {
        p += strspn(p, ", \t");
        size_t k = strcspn(p, ", \t");
        if (k && k == n && !strncmp(p, s, n))
            return true;
        p += k;
    }
    return false;
}

static bool addr_ok(const char *s, size_t n)
{
    if (n == 0 || n >= 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdefABCDEF.:", s[i]))
            return false;
    return true;
}

void auth_client_ip(const char *trusted, const char *peer, const char *xff, char out[64])
{
    snprintf(out, 64, "%s", peer);
    if (!trusted || !*trusted || !xff || !in_list(trusted, peer, strlen(peer)))
        return;
    /* right to left: the first address our proxies did not vouch for is the client */
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t b = start, e = end;
        while (b < e && (xff[b] == ' ' || xff[b] == '\t'))
            b++;
        while (e > b && (xff[e - 1] == ' ' || xff[e - 1] == '\t'))
            e--;
        if (!addr_ok(xff + b, e - b))
            return; /* garbage: keep the proxy's own address */
        snprintf(out, 64, "%.*s", (int)(e - b), xff + b);
        if (!in_list(trusted, xff + b, e - b))
            return;
        end = start > 0 ? start - 1 : 0;
    }
}

/* ---- the throttle ---- */

static int throttled(struct sh_err *e, int *retry_after, int64_t wait)
{
    if (wait < 1)
        wait = 1;
    *retry_after = (int)wait;
    sh_err_set(e, SH_THROTTLED, "too many failed sign-ins: wait %d s and try again", *retry_after);
    return sh_err_reason(e, "throttled", "{\"retry_after\":%d}", *retry_after);
}

enum sh_code uc_attempt_reserve(const struct uc *u, const char *username, const char *ip,
                                int64_t *attempt_id, int *retry_after, struct sh_err *e)
{
    enum sh_code rc;
    struct db_rows r;
    /* PostgreSQL: count and insert under one lock, so that concurrent attempts queue */
    if (db_tx_dialect(u->tx) == DB_PG &&
        (rc = db_exec(u->tx, "SELECT pg_advisory_xact_lock(727276)", DB_NOP, NULL, e)))
        return rc;
    char since[21], now[21];
    sh_ts_format(u->now - AUTH_WINDOW_S, since);
    sh_ts_format(u->now, now);
    rc =
        db_query(u->tx, u->a,
                 "SELECT (SELECT count(*) FROM login_failures WHERE ip = $2 AND at > $3) AS by_ip, "
                 "(SELECT min(at) FROM login_failures WHERE ip = $2 AND at > $3) AS ip_oldest, "
                 "(SELECT count(*) FROM login_failures WHERE username = $1 AND ip = $2 AND "
                 "at > $3) AS by_pair, (SELECT max(at) FROM login_failures WHERE username = $1 "
                 "AND ip = $2 AND at > $3) AS pair_last",
                 DB_P(DB_TEXT(username), DB_TEXT(ip), DB_TEXT(since)), &r, e);
    if (rc)
        return rc;
    int64_t by_ip = db_get_int(&r, 0, "by_ip", 0), by_pair = db_get_int(&r, 0, "by_pair", 0), t;
    if (by_ip >= AUTH_MAX_FAILURES) {
        int64_t wait = AUTH_WINDOW_S;
        if (sh_ts_parse(db_get(&r, 0, "ip_oldest"), &t))
            wait = t + AUTH_WINDOW_S - u->now + 1;
        return throttled(e, retry_after, wait);
    }
    int after = u->app ? u->app->login_delay_after : 3, base = u->app ? u->app->login_delay_s : 1;
    if (base > 0 && by_pair >= after && sh_ts_parse(db_get(&r, 0, "pair_last"), &t)) {
        int64_t shift = by_pair - after, gap = (int64_t)base << (shift > 12 ? 12 : shift);
        if (gap > AUTH_WINDOW_S)
            gap = AUTH_WINDOW_S;
        /* whole seconds: "more than gap" means at least gap seconds really passed */
        if (u->now - t <= gap)
            return throttled(e, retry_after, gap - (u->now - t) + 1);
    }
    rc = db_query(u->tx, u->a,
                  "INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3) RETURNING id",
                  DB_P(DB_TEXT(username), DB_TEXT(ip), DB_TEXT(now)), &r, e);
    if (!rc)
        *attempt_id = db_get_int(&r, 0, "id", 0);
    return rc;
}

enum sh_code uc_attempt_release(const struct uc *u, int64_t attempt_id, struct sh_err *e)
{
    return db_exec(u->tx, "DELETE FROM login_failures WHERE id = $1", DB_P(DB_INT(attempt_id)),
                   NULL, e);
}

struct attempt_ctx {
    const struct app *app;
    const char *username, *ip;
    int64_t id;
    int retry_after;
};

static enum sh_code reserve_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct attempt_ctx *x = arg;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct uc u = {.tx = tx, .a = &a, .now = sh_now(), .app = x->app};
    enum sh_code rc = uc_attempt_reserve(&u, x->username, x->ip, &x->id, &x->retry_after, e);
    sh_arena_release(&a);
    return rc;
}

static enum sh_code release_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct attempt_ctx *x = arg;
    struct uc u = {.tx = tx, .now = sh_now(), .app = x->app};
    return uc_attempt_release(&u, x->id, e);
}

enum sh_code app_password_check(const struct app *app, const char *username, const char *ip,
                                const char *hash, const char *pw, int *retry_after,
                                struct sh_err *e)
{
    struct attempt_ctx x = {.app = app, .username = username, .ip = ip};
    enum sh_code rc = db_write(app->db, reserve_run, &x, e);
    if (rc) {
        *retry_after = x.retry_after;
        return rc;
    }
    bool ok = false;
    rc = pw_verify(hash, pw, &ok, e);
    if (rc == SH_OK && !ok)
        return sh_err_set(e, SH_UNAUTH, "wrong username or password");
    /* checked and right, or not checked at all: the reservation is given back */
    struct sh_err e2;
    sh_err_clear(&e2);
    enum sh_code rc2 = db_write(app->db, release_run, &x, &e2);
    if (rc) {
        *retry_after = pw_pool_retry_after();
        return rc;
    }
    if (rc2)
        *e = e2;
    return rc2;
}

/* ---- signing in ---- */

struct sign_in_ctx {
    const struct app *app;
    struct sh_arena *a;
    const struct sign_in_in *in;
    struct sign_in_out *out;
    const char *old_hash, *new_hash; /* new_hash: the password hashed again, or NULL */
};

static enum sh_code user_read(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct sign_in_ctx *x = arg;
    return db_query(tx, x->a,
                    "SELECT id, username, display_name, roles, customer_id, department_id, "
                    "locale, active, password_hash FROM users WHERE username = $1",
                    DB_P(DB_TEXT(x->in->username)), &x->out->user, e);
}

static enum sh_code session_create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct sign_in_ctx *x = arg;
    char now[21], id_hash[65];
    sh_ts_format(sh_now(), now);
    pw_token_hash(x->out->cookie, id_hash);
    /* expired sessions are pruned as we go */
    enum sh_code rc =
        db_exec(tx, "DELETE FROM sessions WHERE expires_at < $1", DB_P(DB_TEXT(now)), NULL, e);
    if (rc)
        return rc;
    int64_t uid = db_get_int(&x->out->user, 0, "id", 0);
    /* the hash made again at today's cost, unless the password changed meanwhile */
    if (x->new_hash &&
        (rc =
             db_exec(tx, "UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3",
                     DB_P(DB_TEXT(x->new_hash), DB_INT(uid), DB_TEXT(x->old_hash)), NULL, e)))
        return rc;
    return db_exec(tx,
                   "INSERT INTO sessions (id_hash, user_id, csrf, ip, created_at, last_seen_at, "
                   "expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)",
                   DB_P(DB_TEXT(id_hash), DB_INT(uid), DB_TEXT(x->out->csrf), DB_TEXT(x->in->ip),
                        DB_TEXT(now), DB_TEXT(x->out->expires)),
                   NULL, e);
}

/* A stored hash made with other parameters than today's (password_hash_memory_mib changed,
 * or an older argon2 variant) is made again from the password just checked; when no hashing
 * slot is free now, it waits for a later sign-in. */
static void rehash(struct sign_in_ctx *x, char fresh[PW_HASH_MAX])
{
    struct sh_err e;
    sh_err_clear(&e);
    if (!pw_needs_rehash(x->old_hash) || pw_hash(x->in->password, fresh, &e) != SH_OK)
        return;
    x->new_hash = fresh;
    log_info("sign-in: the password hash of user %lld made again at the configured cost",
             (long long)db_get_int(&x->out->user, 0, "id", 0));
}

enum sh_code app_sign_in(const struct app *app, struct sh_arena *a, const struct sign_in_in *in,
                         struct sign_in_out *out, struct sh_err *e)
{
    struct sign_in_ctx x = {.app = app, .a = a, .in = in, .out = out};
    enum sh_code rc = db_read(app->db, user_read, &x, e);
    if (rc)
        return rc;
    /* unknown and disabled users are checked against the dummy hash: same time, same answer */
    bool usable = out->user.nrows == 1 && db_get_int(&out->user, 0, "active", 0);
    const char *hash = usable ? db_get(&out->user, 0, "password_hash") : NULL;
    rc = app_password_check(app, in->username, in->ip, hash, in->password, &out->retry_after, e);
    if (rc)
        return rc;
    char fresh[PW_HASH_MAX];
    x.old_hash = hash;
    rehash(&x, fresh);
    pw_random_hex(out->cookie, 32);
    pw_random_hex(out->csrf, 32);
    sh_ts_format(sh_now() + app->session_idle_s, out->expires);
    return db_write(app->db, session_create_run, &x, e);
}

/* ---- resolving the caller ---- */

struct resolve_ctx {
    struct sh_arena *a;
    const char *hash, *now, *expires;
    bool bearer;
    struct db_rows rows;
};

static const char RESOLVE_TOKEN[] =
    "SELECT u.id, u.username, u.roles, u.customer_id, u.department_id, "
    "u.active, NULL AS csrf, t.last_used_at AS last_seen_at, t.expires_at "
    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.token_hash = $1 AND t.revoked_at IS NULL";
static const char RESOLVE_SESSION[] =
    "SELECT u.id, u.username, u.roles, u.customer_id, u.department_id, u.active, "
    "s.csrf, s.last_seen_at, s.expires_at "
    "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1";

static enum sh_code resolve_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct resolve_ctx *x = arg;
    return db_query(tx, x->a, x->bearer ? RESOLVE_TOKEN : RESOLVE_SESSION, DB_P(DB_TEXT(x->hash)),
                    &x->rows, e);
}

static enum sh_code touch_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct resolve_ctx *x = arg;
    if (x->bearer)
        return db_exec(tx, "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1",
                       DB_P(DB_TEXT(x->hash), DB_TEXT(x->now)), NULL, e);
    return db_exec(tx, "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1",
                   DB_P(DB_TEXT(x->hash), DB_TEXT(x->now), DB_TEXT(x->expires)), NULL, e);
}

/* A token's use or a session's sliding deadline is recorded at most once a minute: due when
 * the row was last seen more than 60 s ago (a session never seen is never slid). */
static bool touch_due(const struct resolve_ctx *x, int64_t now)
{
    int64_t seen;
    const char *last = db_get(&x->rows, 0, "last_seen_at");
    if (!x->bearer && !last)
        return false;
    return !(last && (!sh_ts_parse(last, &seen) || now - seen <= 60));
}

static void touch(const struct app *app, struct resolve_ctx *x, int64_t now)
{
    if (!touch_due(x, now))
        return;
    char expires[21];
    sh_ts_format(now + app->session_idle_s, expires);
    x->expires = expires;
    struct sh_err te;
    if (db_write(app->db, touch_run, x, &te))
        log_warn("%s touch failed: %s", x->bearer ? "token" : "session", te.msg);
}

/* The principal of a credential's row (x->rows), or why it may not act. */
static enum sh_code judge(const struct resolve_ctx *x, struct principal *who, struct sh_err *e)
{
    if (x->rows.nrows == 0)
        return sh_err_set(e, SH_UNAUTH,
                          x->bearer ? "invalid or revoked token"
                                    : "session expired or signed out: sign in again");
    if (!db_get_int(&x->rows, 0, "active", 0))
        return sh_err_set(e, SH_UNAUTH, "this account is disabled");
    const char *exp = db_get(&x->rows, 0, "expires_at");
    if (x->bearer && exp && strcmp(exp, x->now) <= 0)
        return sh_err_set(e, SH_UNAUTH, "this token has expired");
    if (!x->bearer && (!exp || strcmp(exp, x->now) < 0))
        return sh_err_set(e, SH_UNAUTH, "session expired after inactivity: sign in again");
    unsigned roles = 0;
    if (!roles_parse(db_get(&x->rows, 0, "roles"), &roles))
        return sh_err_set(e, SH_FORBIDDEN, "this account has no valid role");
    *who = (struct principal){.user_id = db_get_int(&x->rows, 0, "id", 0),
                              .username = db_get(&x->rows, 0, "username"),
                              .roles = roles,
                              .customer_id = db_get_int(&x->rows, 0, "customer_id", 0),
                              .department_id = db_get_int(&x->rows, 0, "department_id", 0),
                              .via_session = !x->bearer,
                              .session_hash = x->bearer ? NULL : x->hash,
                              .csrf = x->bearer ? NULL : db_get(&x->rows, 0, "csrf"),
                              .token_hash = x->bearer ? x->hash : NULL};
    return SH_OK;
}

/* ---- who is calling, foreseen (a read-only request on PostgreSQL) ----
 * The principal a credential had when this instance last read it is used to start the
 * request at once: the credential's row is read again in the request's first round trip
 * (db_request_check) and judged before any answer of that round trip is used. A row that
 * no longer gives the same principal (revoked, expired, disabled, another role, customer or
 * department, a touch due) refuses the request, which is then asked again the plain way.
 * Nothing is trusted from memory: a change made anywhere holds from the next request on. */
#define SEEN_SLOTS 64
static struct seen {
    char hash[65];
    bool bearer;
    struct principal who; /* strings: the buffers below */
    char username[65], csrf[65];
    int64_t last_seen; /* the row's last_seen_at (0: none) */
} seen[SEEN_SLOTS];
static pthread_mutex_t seen_mu = PTHREAD_MUTEX_INITIALIZER;

static unsigned seen_slot(const char *hash)
{
    return (unsigned)strtoul((char[9]){hash[0], hash[1], hash[2], hash[3], 0}, NULL, 16) %
           SEEN_SLOTS;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_who(const struct principal *a, const struct principal *b)
{
    return a->user_id == b->user_id && a->roles == b->roles && a->customer_id == b->customer_id &&
           a->department_id == b->department_id && a->via_session == b->via_session &&
           same_str(a->username, b->username) && same_str(a->csrf, b->csrf);
}

static void seen_put(const struct resolve_ctx *x, const struct principal *who, int64_t now,
                     bool touched)
{
    const char *last = db_get(&x->rows, 0, "last_seen_at");
    int64_t ls = 0;
    if (touched)
        ls = now;
    else if (last && !sh_ts_parse(last, &ls))
        ls = 0;
    if (strlen(x->hash) != 64 || (who->username && strlen(who->username) > 64) ||
        (who->csrf && strlen(who->csrf) > 64))
        return;
    pthread_mutex_lock(&seen_mu);
    struct seen *s = &seen[seen_slot(x->hash)];
    memcpy(s->hash, x->hash, 65);
    s->bearer = x->bearer;
    s->who = *who;
    snprintf(s->username, sizeof(s->username), "%s", who->username ? who->username : "");
    snprintf(s->csrf, sizeof(s->csrf), "%s", who->csrf ? who->csrf : "");
    s->last_seen = ls;
    pthread_mutex_unlock(&seen_mu);
}

/* The principal last seen for the credential, when its row needs no touch soon. */
static bool seen_get(const struct resolve_ctx *x, int64_t now, struct principal *who)
{
    bool hit = false;
    pthread_mutex_lock(&seen_mu);
    struct seen *s = &seen[seen_slot(x->hash)];
    if (s->bearer == x->bearer && !strcmp(s->hash, x->hash) && s->last_seen &&
        now - s->last_seen <= 60) {
        *who = s->who;
        who->username = s->who.username ? sh_arena_strdup(x->a, s->username) : NULL;
        who->csrf = s->who.csrf ? sh_arena_strdup(x->a, s->csrf) : NULL;
        hit = true;
    }
    pthread_mutex_unlock(&seen_mu);
    who->session_hash = x->bearer ? NULL : x->hash;
    who->token_hash = x->bearer ? x->hash : NULL;
    return hit;
}

struct foreseen {
    struct resolve_ctx x;
    struct principal who;
    int64_t t;
};

static bool foreseen_holds(const struct db_rows *rows, void *arg)
{
    struct foreseen *f = arg;
    struct principal now;
    struct sh_err e;
    f->x.rows = *rows;
    return !judge(&f->x, &now, &e) && !touch_due(&f->x, f->t) && same_who(&now, &f->who);
}

static bool foresee(const struct app *app, const struct resolve_ctx *x, int64_t t,
                    struct principal *who)
{
    if (db_dialect(app->db) != DB_PG) /* SQLite reads in-process: nothing to save */
        return false;
    struct foreseen *f = sh_arena_alloc(x->a, sizeof(*f));
    f->x = *x;
    f->x.now = sh_arena_strdup(x->a, x->now);
    f->t = t;
    if (!seen_get(x, t, &f->who))
        return false;
    struct sh_err e;
    sh_err_clear(&e);
    if (db_request_check(app->db, x->a, x->bearer ? RESOLVE_TOKEN : RESOLVE_SESSION,
                         DB_P(DB_TEXT(x->hash)), foreseen_holds, f, &e))
        return false;
    *who = f->who;
    return true;
}

enum sh_code app_resolve(const struct app *app, struct sh_arena *a, const char *hash, bool bearer,
                         struct principal *who, struct sh_err *e)
{
    char now[21];
    int64_t t = sh_now();
    sh_ts_format(t, now);
    struct resolve_ctx x = {.a = a, .hash = sh_arena_strdup(a, hash), .now = now, .bearer = bearer};
    if (foresee(app, &x, t, who))
        return SH_OK;
    enum sh_code rc = db_read(app->db, resolve_run, &x, e);
    if (rc || (rc = judge(&x, who, e)))
        return rc;
    bool due = touch_due(&x, t);
    touch(app, &x, t);
    if (db_dialect(app->db) == DB_PG)
        seen_put(&x, who, t, due);
    return SH_OK;
}

enum sh_code uc_session_end(const struct uc *u, const char *session_hash, struct sh_err *e)
{
    return db_exec(u->tx, "DELETE FROM sessions WHERE id_hash = $1", DB_P(DB_TEXT(session_hash)),
                   NULL, e);
}

/* ---- API tokens ---- */

enum sh_code uc_token_create(const struct uc *u, const struct token_in *in, struct token_out *out,
                             struct sh_err *e)
{
    int64_t exp = 0;
    if (in->expires_at) {
        if (!sh_ts_parse(in->expires_at, &exp)) {
            sh_err_field(e, SH_INVALID, "expires_at",
                         "'expires_at' must be a timestamp such as 2027-01-31T16:00:00Z");
            return sh_err_reason(e, "invalid_format", NULL);
        }
        if (exp <= u->now) {
            sh_err_field(e, SH_INVALID, "expires_at", "'expires_at' must be in the future");
            return sh_err_reason(e, "out_of_range", NULL);
        }
    }
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT id FROM users WHERE id = $1 AND active = 1",
                               DB_P(DB_INT(in->user_id)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0) {
        sh_err_field(e, SH_INVALID, "user_id", "no active user with id %" PRId64, in->user_id);
        return sh_err_reason(e, "unknown_reference", NULL);
    }
    char rnd[41], hash[65], now[21], *expires = NULL;
    pw_random_hex(rnd, 20);
    snprintf(out->token, sizeof(out->token), "shk_%s", rnd);
    pw_token_hash(out->token, hash);
    sh_ts_format(u->now, now);
    if (in->expires_at) {
        expires = sh_arena_alloc(u->a, 21);
        sh_ts_format(exp, expires);
    }
    rc = db_query(u->tx, u->a,
                  "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, "
                  "expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                  DB_P(DB_INT(in->user_id), DB_TEXT(in->name), DB_TEXT(hash),
                       DB_TEXT(sh_arena_strndup(u->a, out->token, 12)), DB_TEXT(now),
                       DB_TEXT(expires)),
                  &r, e);
    if (rc)
        return rc;
    out->id = db_get_int(&r, 0, "id", 0);
    out->expires_at = expires;
    return uc_audit(u, "api_token", out->id, "create", NULL,
                    sh_arena_printf(u->a, "{\"user_id\":%" PRId64 ",\"expires_at\":%s%s%s}",
                                    in->user_id, expires ? "\"" : "", expires ? expires : "null",
                                    expires ? "\"" : ""),
                    e);
}

enum sh_code uc_token_revoke(const struct uc *u, int64_t id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT user_id, revoked_at FROM api_tokens WHERE id = $1",
                 DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0 ||
        (db_get_int(&r, 0, "user_id", 0) != u->who->user_id && !(u->who->roles & RB(ADMIN))))
        return sh_err_set(e, SH_NOT_FOUND, "token %" PRId64 " not found", id);
    if (db_get(&r, 0, "revoked_at"))
        return SH_OK;
    char now[21];
    sh_ts_format(u->now, now);
    rc = db_exec(u->tx, "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1",
                 DB_P(DB_INT(id), DB_TEXT(now)), NULL, e);
    if (rc)
        return rc;
    return uc_audit(u, "api_token", id, "revoke", NULL, NULL, e);
}

enum sh_code uc_tokens_list(const struct uc *u, struct db_rows *out, struct sh_err *e)
{
    bool all = (u->who->roles & RB(ADMIN)) != 0;
    return db_query(u->tx, u->a,
                    "SELECT t.id, t.user_id, u.username, t.name, t.prefix, t.created_at, "
                    "t.last_used_at, t.expires_at, t.revoked_at FROM api_tokens t JOIN users u "
                    "ON u.id = t.user_id WHERE ($1 = 1 OR t.user_id = $2) ORDER BY t.id DESC "
                    "LIMIT 500",
                    DB_P(DB_INT(all), DB_INT(u->who->user_id)), out, e);
}
