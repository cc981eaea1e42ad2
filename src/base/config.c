/* SPDX-License-Identifier: MIT */
#include "base/config.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_defaults(struct sh_config *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
    snprintf(c->db, sizeof(c->db), "sqlite:shouhou.db");
    snprintf(c->web_root, sizeof(c->web_root), "web");
    snprintf(c->data_dir, sizeof(c->data_dir), "data");
    c->session_idle_minutes = 480;
    c->access_log = true;
    c->pg_pool = 0; /* db_pool_default: this host's cores, 2-8 */
    c->sla_scan_seconds = 30;
    c->dispatch_max_seconds = CONFIG_DISPATCH_MAX_SECONDS_DEFAULT;
    c->search_walk_ids = 2000;
    c->notify_poll_seconds = 10;
    c->public_lookups_per_minute = 60;
    c->public_reports_per_hour = 5;
    c->portal_unknown_phones_per_hour = 5;
    c->public_reports_per_unit_day = 3;
    c->request_memory_mb = 64;
    c->http_head_timeout = 10;
    c->http_body_min_rate = 1024;
    c->http_idle_timeout = 30;
    c->http_drain_seconds = 10;
    c->http_workers = 32;
    c->http_max_connections = 10000;
    c->http_max_connections_per_ip = 0;
    c->login_delay_after = 3;
    c->login_delay_seconds = 1;
    c->password_hash_memory_mib = CONFIG_PW_MEMORY_MIB_DEFAULT;
    c->retention_login_failures_minutes = 24 * 60;
    c->retention_idempotency_minutes = 24 * 60;
    c->public_report_merge_hours = 24;
}

/* http(s)://host[:port][/path] without a trailing slash, quote or space */
static bool url_ok(const char *v)
{
    if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
        return false;
    const char *h = strstr(v, "://") + 3;
    if (!*h || *h == '/')
        return false;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("\"'<>\\`{}|^", *p))
            return false;
    return v[strlen(v) - 1] != '/';
}

/* The HTTP server's integer settings and their ranges. */
static const struct {
    const char *key;
    size_t off;
    int lo, hi;
} http_ints[] = {
    {"http_head_timeout", offsetof(struct sh_config, http_head_timeout), 0, 3600},
    {"http_body_min_rate", offsetof(struct sh_config, http_body_min_rate), 0, 100000000},
    {"http_idle_timeout", offsetof(struct sh_config, http_idle_timeout), 1, 86400},
    {"http_drain_seconds", offsetof(struct sh_config, http_drain_seconds), 1, 300},
    {"http_workers", offsetof(struct sh_config, http_workers), 1, 1024},
    {"http_max_connections", offsetof(struct sh_config, http_max_connections), 16, 1000000},
    {"http_max_connections_per_ip", offsetof(struct sh_config, http_max_connections_per_ip), 0,
     1000000},
};

static bool parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on"))
        *out = true;
    else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off"))
        *out = false;
    else
        return false;
    return true;
}

static bool parse_int(const char *v, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < lo || n > hi)
        return false;
    *out = (int)n;
    return true;
}

static enum sh_code copy(char *dst, size_t n, const char *key, const char *v, struct sh_err *e)
{
    if (strlen(v) >= n)
        return sh_err_field(e, SH_INVALID, key, "'%s' is too long", key);
    memcpy(dst, v, strlen(v) + 1);
    return SH_OK;
}

enum sh_code config_set(struct sh_config *c, const char *key, const char *v, struct sh_err *e)
{
    if (!strcmp(key, "listen")) {
        char host[64];
        unsigned port;
        if (!config_split_listen(v, host, sizeof(host), &port))
            return sh_err_field(e, SH_INVALID, key,
                                "'listen' must be HOST:PORT, e.g. 127.0.0.1:8080");
        return copy(c->listen, sizeof(c->listen), key, v, e);
    }
    if (!strcmp(key, "db"))
        return copy(c->db, sizeof(c->db), key, v, e);
    if (!strcmp(key, "web_root"))
        return copy(c->web_root, sizeof(c->web_root), key, v, e);
    if (!strcmp(key, "data_dir"))
        return copy(c->data_dir, sizeof(c->data_dir), key, v, e);
    if (!strcmp(key, "session_idle_minutes")) {
        if (!parse_int(v, 1, 7 * 24 * 60, &c->session_idle_minutes))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be 1 to 10080", key);
        return SH_OK;
    }
    if (!strcmp(key, "pg_pool")) {
        if (!parse_int(v, 1, 256, &c->pg_pool))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be 1 to 256", key);
        return SH_OK;
    }
    if (!strcmp(key, "pg_prepared_statements")) {
        static const char *const modes[] = {"auto", "on", "off"};
        for (int i = 0; i < 3; i++)
            if (!strcmp(v, modes[i])) {
                c->pg_prepared_statements = i;
                return SH_OK;
            }
        return sh_err_field(e, SH_INVALID, key, "'%s' must be auto, on or off", key);
    }
    if (!strcmp(key, "search_walk_ids")) {
        if (!parse_int(v, 1, 1000000, &c->search_walk_ids))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be 1 to 1000000", key);
        return SH_OK;
    }
    if (!strcmp(key, "dispatch_max_seconds")) {
        if (!parse_int(v, 1, 60, &c->dispatch_max_seconds))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be 1 to 60", key);
        return SH_OK;
    }
    if (!strcmp(key, "sla_scan_seconds") || !strcmp(key, "notify_poll_seconds")) {
        if (!parse_int(v, 1, 3600, key[0] == 's' ? &c->sla_scan_seconds : &c->notify_poll_seconds))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be 1 to 3600", key);
        return SH_OK;
    }
    static const struct {
        const char *key;
        size_t off;
    } limits[] = {
        {"public_lookups_per_minute", offsetof(struct sh_config, public_lookups_per_minute)},
        {"public_reports_per_hour", offsetof(struct sh_config, public_reports_per_hour)},
        {"public_reports_per_unit_day", offsetof(struct sh_config, public_reports_per_unit_day)},
        {"portal_unknown_phones_per_hour",
         offsetof(struct sh_config, portal_unknown_phones_per_hour)},
        {"request_memory_mb", offsetof(struct sh_config, request_memory_mb)},
    };
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        if (strcmp(key, limits[i].key))
            continue;
        if (!parse_int(v, 1, 1000000, (int *)(void *)((char *)c + limits[i].off)))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be 1 to 1000000", key);
        return SH_OK;
    }
    if (!strcmp(key, "public_url")) {
        if (*v && !url_ok(v))
            return sh_err_field(e, SH_INVALID, key,
                                "'public_url' must be http(s)://host[:port][/path] without a "
                                "trailing slash");
        return copy(c->public_url, sizeof(c->public_url), key, v, e);
    }
    if (!strcmp(key, "public_report_merge_hours")) {
        if (!parse_int(v, 0, 8760, &c->public_report_merge_hours))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be 0 to 8760", key);
        return SH_OK;
    }
    if (!strcmp(key, "tls_cert"))
        return copy(c->tls_cert, sizeof(c->tls_cert), key, v, e);
    if (!strcmp(key, "tls_key"))
        return copy(c->tls_key, sizeof(c->tls_key), key, v, e);
    if (!strcmp(key, "metrics_token"))
        return copy(c->metrics_token, sizeof(c->metrics_token), key, v, e);
    if (!strcmp(key, "trusted_proxies"))
        return copy(c->trusted_proxies, sizeof(c->trusted_proxies), key, v, e);
    static const struct {
        const char *key;
        size_t off;
        int lo, hi;
    } auth_ints[] = {
        {"login_delay_after", offsetof(struct sh_config, login_delay_after), 0, 9},
        {"login_delay_seconds", offsetof(struct sh_config, login_delay_seconds), 0, 3600},
        {"password_hash_workers", offsetof(struct sh_config, password_hash_workers), 0, 256},
        {"password_hash_queue", offsetof(struct sh_config, password_hash_queue), 0, 100000},
        {"password_hash_wait_ms", offsetof(struct sh_config, password_hash_wait_ms), 0, 600000},
        {"password_hash_memory_mib", offsetof(struct sh_config, password_hash_memory_mib),
         CONFIG_PW_MEMORY_MIB_MIN, CONFIG_PW_MEMORY_MIB_MAX},
        /* failed sign-ins are kept at least as long as the 15-minute throttle window */
        {"retention_login_failures_minutes",
         offsetof(struct sh_config, retention_login_failures_minutes), 15, 525600},
        {"retention_idempotency_minutes", offsetof(struct sh_config, retention_idempotency_minutes),
         1, 525600},
    };
    for (size_t i = 0; i < sizeof(auth_ints) / sizeof(auth_ints[0]); i++) {
        if (strcmp(key, auth_ints[i].key))
            continue;
        if (!parse_int(v, auth_ints[i].lo, auth_ints[i].hi,
                       (int *)(void *)((char *)c + auth_ints[i].off)))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be %d to %d", key, auth_ints[i].lo,
                                auth_ints[i].hi);
        return SH_OK;
    }
    for (size_t i = 0; i < sizeof(http_ints) / sizeof(http_ints[0]); i++) {
        if (strcmp(key, http_ints[i].key))
            continue;
        if (!parse_int(v, http_ints[i].lo, http_ints[i].hi,
                       (int *)(void *)((char *)c + http_ints[i].off)))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be %d to %d", key, http_ints[i].lo,
                                http_ints[i].hi);
        return SH_OK;
    }
    if (!strcmp(key, "access_log")) {
        if (!parse_bool(v, &c->access_log))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be true or false", key);
        return SH_OK;
    }
    if (!strcmp(key, "pg_test_rerun")) {
        if (!parse_bool(v, &c->pg_test_rerun))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be true or false", key);
        return SH_OK;
    }
    if (!strcmp(key, "cookie_secure")) {
        if (!parse_bool(v, &c->cookie_secure))
            return sh_err_field(e, SH_INVALID, key, "'%s' must be true or false", key);
        return SH_OK;
    }
    return sh_err_field(e, SH_INVALID, key, "unknown setting '%s'", key);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

enum sh_code config_load_file(struct sh_config *c, const char *path, struct sh_err *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return sh_err_set(e, SH_INVALID, "cannot read config file '%s': %s", path, strerror(errno));
    char line[2048];
    int lineno = 0;
    enum sh_code rc = SH_OK;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = sh_err_set(e, SH_INVALID, "%s:%d: expected key = value", path, lineno);
            break;
        }
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        if ((rc = config_set(c, k, v, e))) {
            char msg[sizeof(e->msg)];
            snprintf(msg, sizeof(msg), "%s", e->msg);
            sh_err_set(e, rc, "%s:%d: %s", path, lineno, msg);
            break;
        }
    }
    fclose(f);
    return rc;
}

enum sh_code config_load_env(struct sh_config *c, struct sh_err *e)
{
    static const struct {
        const char *env, *key;
    } map[] = {
        {"SHOUHOU_LISTEN", "listen"},
        {"SHOUHOU_DB", "db"},
        {"SHOUHOU_WEB_ROOT", "web_root"},
        {"SHOUHOU_DATA_DIR", "data_dir"},
        {"SHOUHOU_SESSION_IDLE_MINUTES", "session_idle_minutes"},
        {"SHOUHOU_ACCESS_LOG", "access_log"},
        {"SHOUHOU_COOKIE_SECURE", "cookie_secure"},
        {"SHOUHOU_PG_POOL", "pg_pool"},
        {"SHOUHOU_PG_PREPARED_STATEMENTS", "pg_prepared_statements"},
        {"SHOUHOU_PG_TEST_RERUN", "pg_test_rerun"},
        {"SHOUHOU_SLA_SCAN_SECONDS", "sla_scan_seconds"},
        {"SHOUHOU_SEARCH_WALK_IDS", "search_walk_ids"},
        {"SHOUHOU_DISPATCH_MAX_SECONDS", "dispatch_max_seconds"},
        {"SHOUHOU_NOTIFY_POLL_SECONDS", "notify_poll_seconds"},
        {"SHOUHOU_PUBLIC_LOOKUPS_PER_MINUTE", "public_lookups_per_minute"},
        {"SHOUHOU_PUBLIC_REPORTS_PER_HOUR", "public_reports_per_hour"},
        {"SHOUHOU_PUBLIC_REPORTS_PER_UNIT_DAY", "public_reports_per_unit_day"},
        {"SHOUHOU_PORTAL_UNKNOWN_PHONES_PER_HOUR", "portal_unknown_phones_per_hour"},
        {"SHOUHOU_PUBLIC_URL", "public_url"},
        {"SHOUHOU_PUBLIC_REPORT_MERGE_HOURS", "public_report_merge_hours"},
        {"SHOUHOU_REQUEST_MEMORY_MB", "request_memory_mb"},
        {"SHOUHOU_HTTP_HEAD_TIMEOUT", "http_head_timeout"},
        {"SHOUHOU_HTTP_BODY_MIN_RATE", "http_body_min_rate"},
        {"SHOUHOU_HTTP_IDLE_TIMEOUT", "http_idle_timeout"},
        {"SHOUHOU_HTTP_DRAIN_SECONDS", "http_drain_seconds"},
        {"SHOUHOU_HTTP_WORKERS", "http_workers"},
        {"SHOUHOU_HTTP_MAX_CONNECTIONS", "http_max_connections"},
        {"SHOUHOU_HTTP_MAX_CONNECTIONS_PER_IP", "http_max_connections_per_ip"},
        {"SHOUHOU_TRUSTED_PROXIES", "trusted_proxies"},
        {"SHOUHOU_METRICS_TOKEN", "metrics_token"},
        {"SHOUHOU_TLS_CERT", "tls_cert"},
        {"SHOUHOU_TLS_KEY", "tls_key"},
        {"SHOUHOU_LOGIN_DELAY_AFTER", "login_delay_after"},
        {"SHOUHOU_LOGIN_DELAY_SECONDS", "login_delay_seconds"},
        {"SHOUHOU_PASSWORD_HASH_WORKERS", "password_hash_workers"},
        {"SHOUHOU_PASSWORD_HASH_QUEUE", "password_hash_queue"},
        {"SHOUHOU_PASSWORD_HASH_WAIT_MS", "password_hash_wait_ms"},
        {"SHOUHOU_PASSWORD_HASH_MEMORY_MIB", "password_hash_memory_mib"},
        {"SHOUHOU_RETENTION_LOGIN_FAILURES_MINUTES", "retention_login_failures_minutes"},
        {"SHOUHOU_RETENTION_IDEMPOTENCY_MINUTES", "retention_idempotency_minutes"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        const char *v = getenv(map[i].env);
        if (!v)
            continue;
        enum sh_code rc = config_set(c, map[i].key, v, e);
        if (rc) {
            char msg[sizeof(e->msg)];
            snprintf(msg, sizeof(msg), "%s", e->msg);
            return sh_err_set(e, rc, "%s: %s", map[i].env, msg);
        }
    }
    return SH_OK;
}

bool config_split_listen(const char *listen, char *host, unsigned hostlen, unsigned *port)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (unsigned)(colon - listen) >= hostlen)
        return false;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || p < 0 || p > 65535)
        return false;
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    *port = (unsigned)p;
    return true;
}
