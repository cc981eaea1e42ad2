/* SPDX-License-Identifier: MIT */
/* Configuration: defaults, then a `key = value` file, then SHOUHOU_* environment
 * variables, then command-line flags (flags win). */
#ifndef SH_CONFIG_H
#define SH_CONFIG_H

#include <stdbool.h>

#include "base/sh_err.h"

struct sh_config {
    char listen[128]; /* host:port */
    char db[1024];    /* sqlite:PATH or postgresql://… */
    char web_root[512];
    char data_dir[512];
    int session_idle_minutes;
    bool access_log;
    bool cookie_secure;
    int pg_pool;
    int pg_prepared_statements; /* named statements: 0 auto, 1 on, 2 off */
    bool pg_test_rerun;         /* tests: each transaction function runs twice (store/db.h) */
    int sla_scan_seconds;       /* period of the SLA scanner */
    int notify_poll_seconds;    /* period of the outbox delivery worker */
    int search_walk_ids;        /* PostgreSQL q=: ids walked before the index (entity_list.c) */
    int dispatch_max_seconds;   /* a dispatch solve answers within this (app/dispatch.h): */
#define CONFIG_DISPATCH_MAX_SECONDS_DEFAULT 10
    /* abuse limits of the public QR fault report */
    int public_lookups_per_minute;   /* per address */
    int public_reports_per_hour;     /* per address */
    int public_reports_per_unit_day; /* per unit */
    /* tickets per hour a customer or dealer account may open with a caller phone that is not
     * one of its customer's numbers (each sends a text message there) */
    int portal_unknown_phones_per_hour;
    /* the customer-facing base URL printed on QR labels ("https://fw.example.com"); empty:
     * labels carry the path only (never the request's Host header) */
    char public_url[256];
    /* a QR report for a unit with an open ticket from the same phone within this many hours
     * is added to that ticket (0: never) */
    int public_report_merge_hours;
    int request_memory_mb; /* memory one request may hold (413 beyond) */
    /* the HTTP server (see src/http/http.h) */
    int http_head_timeout;           /* s for the request line + headers; 0 = none */
    int http_body_min_rate;          /* bytes/s a body must average; 0 = none */
    int http_idle_timeout;           /* s of silence before a connection is closed */
    int http_drain_seconds;          /* s requests in progress get to finish after SIGTERM */
    int http_workers;                /* request handler threads */
    int http_max_connections;        /* open connections */
    int http_max_connections_per_ip; /* per client address; 0 = no limit */
    /* sign-in (issue 10): proxies whose X-Forwarded-For is believed (addresses separated
     * by commas or spaces); the growing delay per account and address; password hashing */
    char trusted_proxies[1024];
    /* GET /metrics answers only a bearer of this token; empty: /metrics is off (404) */
    char metrics_token[128];
    /* HTTPS served directly: PEM files of the certificate (chain) and its key; both or none */
    char tls_cert[512], tls_key[512];
    int login_delay_after;   /* failures of one account from one address before delays */
    int login_delay_seconds; /* first delay, doubling with each failure; 0 = none */
    int password_hash_workers, password_hash_queue, password_hash_wait_ms; /* 0 = default */
    int password_hash_memory_mib;       /* argon2id memory per new hash (app/passwords.h): */
#define CONFIG_PW_MEMORY_MIB_DEFAULT 64 /* libsodium's INTERACTIVE limit */
#define CONFIG_PW_MEMORY_MIB_MIN     19 /* OWASP's floor for argon2id at t = 2 */
#define CONFIG_PW_MEMORY_MIB_MAX     1024
    /* the retention job: ages after which rows are pruned */
    int retention_login_failures_minutes, retention_idempotency_minutes;
};

void config_defaults(struct sh_config *c);
/* Reads FILE; unknown keys and bad values are errors naming the line. */
SH_WUR enum sh_code config_load_file(struct sh_config *c, const char *path, struct sh_err *e);
SH_WUR enum sh_code config_load_env(struct sh_config *c, struct sh_err *e);
/* Sets one key (as in the file) from text. */
SH_WUR enum sh_code config_set(struct sh_config *c, const char *key, const char *val,
                               struct sh_err *e);
/* Splits "host:port"; false when malformed. */
bool config_split_listen(const char *listen, char *host, unsigned hostlen, unsigned *port);

#endif
