/* SPDX-License-Identifier: MIT */
/* GET /metrics (docs/operations.md section 5): the process's counters (base/metrics.h) and
 * gauges read from the database now — open SLA breaches, the outbox's backlog, its lag and
 * its failing messages — in the Prometheus text format. Only for a bearer of the configured
 * `metrics_token` (compared in constant time); without one configured the path is 404. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/date.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/xalloc.h"

#define TEXT_TYPE "text/plain; version=0.0.4; charset=utf-8"

void api_metrics_init(void)
{
    static const char **labels;
    labels = xcalloc((size_t)api_nroutes, sizeof(*labels));
    for (int i = 0; i < api_nroutes; i++) {
        size_t n = strlen(api_routes[i].method) + strlen(api_routes[i].pattern) + 2;
        char *s = xcalloc(n, 1);
        snprintf(s, n, "%s %s", api_routes[i].method, api_routes[i].pattern);
        labels[i] = s;
    }
    metrics_routes(api_nroutes, labels);
}

struct gauges {
    struct sh_arena *a;
    int64_t now, breached, pending, failing, lag;
};

static enum sh_code gauges_fn(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct gauges *g = arg;
    char now[21];
    sh_ts_format(g->now, now);
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, g->a,
                 "SELECT (SELECT COUNT(*) FROM tickets WHERE sla_state = 'breached') AS breached, "
                 "(SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending', 'failed', "
                 "'held')) AS pending, "
                 "(SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending', 'failed', "
                 "'held') AND attempts > 0) AS failing, "
                 "(SELECT MIN(deliver_after) FROM outbox WHERE state IN ('pending', 'sending', "
                 "'failed', 'held') AND deliver_after <= $1 AND channel <> 'letter') "
                 "AS oldest", /* a letter waits for a person to print it, not for the worker */
                 DB_P(DB_TEXT(now)), &r, e);
    if (rc)
        return rc;
    g->breached = db_get_int(&r, 0, "breached", 0);
    g->pending = db_get_int(&r, 0, "pending", 0);
    g->failing = db_get_int(&r, 0, "failing", 0);
    int64_t oldest;
    g->lag = sh_ts_parse(db_get(&r, 0, "oldest"), &oldest) ? g->now - oldest : 0;
    return SH_OK;
}

static bool token_ok(struct http_req *r, const char *want)
{
    const char *h = http_header(r, "Authorization");
    size_t n = strlen(want);
    if (!h || strncmp(h, "Bearer ", 7) || strlen(h + 7) != n)
        return false;
    return sodium_memcmp(h + 7, want, n) == 0;
}

void api_metrics(struct http_req *r, struct app *app)
{
    static const char off[] = "{\"error\":{\"code\":\"not_found\",\"reason\":\"not_found\","
                              "\"message\":\"metrics are off: set metrics_token\"}}";
    static const char unauth[] =
        "{\"error\":{\"code\":\"unauthorized\",\"reason\":\"unauthorized\","
        "\"message\":\"send the metrics token as a bearer token\"}}";
    if (!app->metrics_token || !*app->metrics_token) {
        http_reply(r, 404, "application/json; charset=utf-8", off, sizeof(off) - 1);
        return;
    }
    if (strcmp(r->method, "GET") || !token_ok(r, app->metrics_token)) {
        http_reply(r, 401, "application/json; charset=utf-8", unauth, sizeof(unauth) - 1);
        http_add_header(r, "WWW-Authenticate", "Bearer");
        return;
    }
    struct gauges g = {.a = &r->arena, .now = sh_now()};
    struct sh_err e;
    sh_err_clear(&e);
    bool db_ok = db_read(app->db, gauges_fn, &g, &e) == SH_OK;
    if (!db_ok)
        log_error("metrics (request %s): %s", r->rid, e.msg);
    struct sh_buf b = SH_BUF_INIT(4u << 20);
    metrics_render(&b);
    if (sh_buf_addf(&b,
                    "# HELP shouhou_up_database 1 when the database answered this scrape.\n"
                    "# TYPE shouhou_up_database gauge\nshouhou_up_database %d\n"
                    "# HELP shouhou_sla_breached_tickets Tickets whose SLA clock is breached now.\n"
                    "# TYPE shouhou_sla_breached_tickets gauge\nshouhou_sla_breached_tickets "
                    "%lld\n# HELP shouhou_outbox_pending Messages not delivered yet.\n"
                    "# TYPE shouhou_outbox_pending gauge\nshouhou_outbox_pending %lld\n"
                    "# HELP shouhou_outbox_failing Undelivered messages with a failed attempt.\n"
                    "# TYPE shouhou_outbox_failing gauge\nshouhou_outbox_failing %lld\n"
                    "# HELP shouhou_outbox_lag_seconds Age of the oldest message due and not "
                    "delivered.\n# TYPE shouhou_outbox_lag_seconds gauge\n"
                    "shouhou_outbox_lag_seconds %lld\n",
                    db_ok, (long long)g.breached, (long long)g.pending, (long long)g.failing,
                    (long long)g.lag) == SH_OK)
        http_reply(r, 200, TEXT_TYPE, b.buf, b.len);
    else
        http_reply(r, 500, TEXT_TYPE, "", 0);
    http_add_header(r, "Cache-Control", "no-store");
    sh_buf_release(&b);
}
