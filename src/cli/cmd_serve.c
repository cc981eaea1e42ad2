/* SPDX-License-Identifier: MIT */
/* shouhou serve: the HTTP server. SIGTERM/SIGINT stop accepting, let in-flight
 * requests finish (up to 10 s), close the database and exit 0. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "api/api.h"
#include "app/passwords.h"
#include "base/date.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/common.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "jobs/notify.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: shouhou serve [--listen HOST:PORT] [--db sqlite:PATH | --db "
               "postgresql://...]\n"
               "                     [--config FILE] [--web-root DIR] [--port-file FILE]\n");
}

/* Every connection is a descriptor: raise the soft limit to the hard one and keep the
 * connection limit below it (with room for the database, files being sent and logs). */
static unsigned max_connections(int wanted)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return (unsigned)wanted;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    rlim_t room = rl.rlim_cur > 512 ? rl.rlim_cur - 256 : rl.rlim_cur / 2;
    if ((rlim_t)wanted > room) {
        log_warn("http_max_connections %d lowered to %llu (open file limit %llu)", wanted,
                 (unsigned long long)room, (unsigned long long)rl.rlim_cur);
        return (unsigned)room;
    }
    return (unsigned)wanted;
}

/* A PEM file's text (at most 1 MB), or NULL after saying why. */
static char *read_pem(const char *path, const char *what)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? calloc(1, (1 << 20) + 1) : NULL;
    size_t n = buf ? fread(buf, 1, 1 << 20, f) : 0;
    if (f)
        fclose(f);
    if (!buf || !n || !strstr(buf, "-----BEGIN ")) {
        fprintf(stderr, "shouhou: %s '%s' is not a readable PEM file\n", what, path);
        free(buf);
        return NULL;
    }
    return buf;
}

int cmd_serve(int argc, char **argv)
{
    int64_t t0 = sh_mono_ns();
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"db", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, 'c'},
        {"web-root", required_argument, NULL, 'w'},
        {"port-file", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *config = NULL, *port_file = NULL;
    const char *flags[3] = {NULL, NULL, NULL}; /* listen, db, web_root */
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'l':
            flags[0] = optarg;
            break;
        case 'd':
            flags[1] = optarg;
            break;
        case 'c':
            config = optarg;
            break;
        case 'w':
            flags[2] = optarg;
            break;
        case 'p':
            port_file = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    struct sh_config cfg;
    if (!cli_config(config, &cfg))
        return CLI_EXIT_CONFIG;
    static const char *const keys[3] = {"listen", "db", "web_root"};
    for (int i = 0; i < 3; i++) {
        struct sh_err e;
        if (flags[i] && config_set(&cfg, keys[i], flags[i], &e)) {
            fprintf(stderr, "shouhou: %s\n", e.msg);
            return 2;
        }
    }
    char host[64];
    unsigned port;
    if (!config_split_listen(cfg.listen, host, sizeof(host), &port)) {
        fprintf(stderr, "shouhou: bad listen address '%s'\n", cfg.listen);
        return 2;
    }
    char *tls_cert = NULL, *tls_key = NULL;
    if (!!cfg.tls_cert[0] != !!cfg.tls_key[0]) {
        fprintf(stderr, "shouhou: set both tls_cert and tls_key (or neither)\n");
        return 2;
    }
    if (cfg.tls_cert[0] && (!(tls_cert = read_pem(cfg.tls_cert, "tls_cert")) ||
                            !(tls_key = read_pem(cfg.tls_key, "tls_key")))) {
        free(tls_cert);
        return 2;
    }
    if (tls_cert) /* HTTPS: session cookies only over it, and browsers told to stay on it */
        cfg.cookie_secure = true;
    struct stat st;
    if (stat(cfg.web_root, &st) != 0 || !S_ISDIR(st.st_mode))
        log_warn("web root '%s' is not a directory: only the API will answer", cfg.web_root);

    /* signals are taken by sigwait below, in this thread only */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct db *db;
    if (!cli_open_db(&cfg, &db)) {
        free(tls_cert);
        free(tls_key);
        return 1;
    }
    struct app app = {
        .db = db,
        .web_root = cfg.web_root,
        .data_dir = cfg.data_dir,
        .session_idle_s = cfg.session_idle_minutes * 60,
        .cookie_secure = cfg.cookie_secure,
        .access_log = cfg.access_log,
        .public_lookups_per_minute = cfg.public_lookups_per_minute,
        .public_reports_per_hour = cfg.public_reports_per_hour,
        .public_reports_per_unit_day = cfg.public_reports_per_unit_day,
        .public_url = cfg.public_url,
        .public_report_merge_hours = cfg.public_report_merge_hours,
        .portal_unknown_phones_per_hour = cfg.portal_unknown_phones_per_hour,
        .trusted_proxies = cfg.trusted_proxies,
        .metrics_token = cfg.metrics_token,
        .login_delay_after = cfg.login_delay_after,
        .login_delay_s = cfg.login_delay_seconds,
        .retention_login_failures_s = cfg.retention_login_failures_minutes * 60,
        .retention_idempotency_s = cfg.retention_idempotency_minutes * 60,
        .search_walk_ids = cfg.search_walk_ids,
        .dispatch_max_ms = cfg.dispatch_max_seconds * 1000,
        .request_memory_cap = (size_t)cfg.request_memory_mb << 20,
    };
    /* bounded argon2id hashing (issue 10): requests waiting for a hash hold a handler
     * thread, so by default at most a quarter of the handlers wait; the others stay free */
    int hash_queue = cfg.password_hash_queue;
    if (hash_queue <= 0)
        hash_queue = cfg.http_workers / 4 > 1 ? cfg.http_workers / 4 : 1;
    pw_pool_configure(cfg.password_hash_workers, hash_queue, cfg.password_hash_wait_ms);
    struct http_config hc = {
        .host = host,
        .port = (uint16_t)port,
        .timeout_s = (unsigned)cfg.http_idle_timeout,
        .head_timeout_s = (unsigned)cfg.http_head_timeout,
        .body_min_rate = (unsigned)cfg.http_body_min_rate,
        .header_limit = HTTP_HEADER_LIMIT,
        .max_connections = max_connections(cfg.http_max_connections),
        .max_connections_per_ip = (unsigned)cfg.http_max_connections_per_ip,
        .workers = (unsigned)cfg.http_workers,
        .hsts = cfg.cookie_secure,
        .tls_cert = tls_cert,
        .tls_key = tls_key,
        .access_log = cfg.access_log,
        .handle = app_handle,
        .max_body = app_max_body,
        .log_path = app_log_path,
        .default_max_body = 1u << 20,
        .app = &app,
    };
    char err[256];
    api_metrics_init();
    struct http_server *srv = http_start(&hc, err, sizeof(err));
    if (!srv) {
        fprintf(stderr, "shouhou: %s\n", err);
        db_close(db);
        free(tls_cert);
        free(tls_key);
        return 1;
    }
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (f) {
            fprintf(f, "%u\n", http_port(srv));
            fclose(f);
        }
    }
    struct jobs *jobs = jobs_start(&app, cfg.sla_scan_seconds);
    struct notify_worker *notifier = notify_worker_start(&app, cfg.notify_poll_seconds);
    log_info("serving http%s://%s:%u (database %s, schema version %d) ready in %.1f ms",
             tls_cert ? "s" : "", host, http_port(srv),
             db_dialect(db) == DB_PG ? "postgresql" : "sqlite", db_schema_version(db),
             (double)(sh_mono_ns() - t0) / 1e6);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("signal %d: draining %d in-flight request(s)", sig, http_inflight(srv));
    http_stop(srv, cfg.http_drain_seconds * 1000);
    notify_worker_stop(notifier);
    jobs_stop(jobs);
    db_close(db);
    free(tls_cert);
    free(tls_key);
    log_info("stopped");
    return 0;
}
