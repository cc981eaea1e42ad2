/* SPDX-License-Identifier: MIT */
#include "base/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* request duration buckets, seconds (upper bounds; +Inf is the count) */
static const double req_le[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                0.1,   0.25,   0.5,   1,    2.5,   10};
#define NREQ_LE (int)(sizeof(req_le) / sizeof(req_le[0]))
static const int batch_le[] = {1, 2, 4, 8, 16, 32, 64, 128};
#define NBATCH_LE (int)(sizeof(batch_le) / sizeof(batch_le[0]))

struct route_stats {
    atomic_uint_fast64_t by_class[5]; /* 1xx…5xx */
    atomic_uint_fast64_t le[NREQ_LE];
    atomic_uint_fast64_t count, sum_ns;
};

static int nroutes;
static const char *const *route_labels;
static struct route_stats *stats; /* nroutes + 2: static, other */
static atomic_uint_fast64_t db_count, db_ns, db_trips, db_prepares, db_prepared_runs;
static atomic_uint_fast64_t batch_buckets[NBATCH_LE], batch_count, batch_sum;

#define MAX_GAUGES 8
static struct gauge {
    const char *name, *help;
    int64_t (*fn)(void *arg);
    void *arg;
} gauges[MAX_GAUGES];
static int ngauges;
static pthread_mutex_t gauges_mu = PTHREAD_MUTEX_INITIALIZER;

void metrics_gauge(const char *name, const char *help, int64_t (*fn)(void *arg), void *arg)
{
    pthread_mutex_lock(&gauges_mu);
    int i = 0;
    while (i < ngauges && strcmp(gauges[i].name, name))
        i++;
    if (i < MAX_GAUGES) {
        gauges[i] = (struct gauge){name, help, fn, arg};
        if (i == ngauges)
            ngauges++;
    }
    pthread_mutex_unlock(&gauges_mu);
}

void metrics_routes(int n, const char *const *labels)
{
    stats = xcalloc((size_t)n + 2, sizeof(*stats));
    route_labels = labels;
    nroutes = n;
}

static struct route_stats *slot(int route)
{
    if (!stats)
        return NULL;
    if (route == METRIC_STATIC)
        return &stats[nroutes];
    if (route < 0 || route >= nroutes)
        return &stats[nroutes + 1];
    return &stats[route];
}

void metrics_request(int route, int status, int64_t ns)
{
    struct route_stats *s = slot(route);
    if (!s)
        return;
    int cls = status / 100 - 1;
    atomic_fetch_add_explicit(&s->by_class[cls >= 0 && cls < 5 ? cls : 4], 1, memory_order_relaxed);
    double sec = (double)ns / 1e9;
    for (int i = 0; i < NREQ_LE; i++)
        if (sec <= req_le[i]) {
            atomic_fetch_add_explicit(&s->le[i], 1, memory_order_relaxed);
            break;
        }
    atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->sum_ns, (uint64_t)(ns > 0 ? ns : 0), memory_order_relaxed);
}

void metrics_db(int64_t ns)
{
    atomic_fetch_add_explicit(&db_count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&db_ns, (uint64_t)(ns > 0 ? ns : 0), memory_order_relaxed);
}

void metrics_db_round_trip(void)
{
    atomic_fetch_add_explicit(&db_trips, 1, memory_order_relaxed);
}

void metrics_db_prepare(void)
{
    atomic_fetch_add_explicit(&db_prepares, 1, memory_order_relaxed);
}

void metrics_db_prepared_run(void)
{
    atomic_fetch_add_explicit(&db_prepared_runs, 1, memory_order_relaxed);
}

void metrics_group_commit(int n)
{
    for (int i = 0; i < NBATCH_LE; i++)
        if (n <= batch_le[i]) {
            atomic_fetch_add_explicit(&batch_buckets[i], 1, memory_order_relaxed);
            break;
        }
    atomic_fetch_add_explicit(&batch_count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&batch_sum, (uint64_t)n, memory_order_relaxed);
}

/* The buffer's cap is far above a scrape; a full buffer only truncates the answer. */
static void put(struct sh_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sh_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (sh_buf_vaddf(b, fmt, ap) != SH_OK) {
    }
    va_end(ap);
}

static uint64_t ld(atomic_uint_fast64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

static const char *label(int i)
{
    return i < nroutes ? route_labels[i] : i == nroutes ? "static" : "other";
}

static void render_requests(struct sh_buf *b)
{
    put(b, "# HELP shouhou_http_requests_total Requests answered, by route and status "
           "class.\n# TYPE shouhou_http_requests_total counter\n");
    for (int i = 0; stats && i < nroutes + 2; i++)
        for (int c = 0; c < 5; c++)
            if (ld(&stats[i].by_class[c]))
                put(b, "shouhou_http_requests_total{route=\"%s\",code=\"%dxx\"} %llu\n", label(i),
                    c + 1, (unsigned long long)ld(&stats[i].by_class[c]));
    put(b, "# HELP shouhou_http_request_duration_seconds Time from the request's "
           "first byte to its answer.\n"
           "# TYPE shouhou_http_request_duration_seconds histogram\n");
    for (int i = 0; stats && i < nroutes + 2; i++) {
        uint64_t n = ld(&stats[i].count), cum = 0;
        if (!n)
            continue;
        for (int k = 0; k < NREQ_LE; k++) {
            cum += ld(&stats[i].le[k]);
            put(b,
                "shouhou_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} "
                "%llu\n",
                label(i), req_le[k], (unsigned long long)cum);
        }
        put(b,
            "shouhou_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} "
            "%llu\nshouhou_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
            "shouhou_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
            label(i), (unsigned long long)n, label(i), (double)ld(&stats[i].sum_ns) / 1e9, label(i),
            (unsigned long long)n);
    }
}

void metrics_render(struct sh_buf *b)
{
    render_requests(b);
    put(b,
        "# HELP shouhou_db_statements_total Database statements run.\n"
        "# TYPE shouhou_db_statements_total counter\nshouhou_db_statements_total %llu\n"
        "# HELP shouhou_db_seconds_total Time spent in database statements.\n"
        "# TYPE shouhou_db_seconds_total counter\nshouhou_db_seconds_total %.6f\n"
        "# HELP shouhou_db_round_trips_total Waits for the PostgreSQL server's answers "
        "(statements sent together count once).\n"
        "# TYPE shouhou_db_round_trips_total counter\nshouhou_db_round_trips_total %llu\n"
        "# HELP shouhou_db_prepares_total PostgreSQL named statements prepared.\n"
        "# TYPE shouhou_db_prepares_total counter\nshouhou_db_prepares_total %llu\n"
        "# HELP shouhou_db_prepared_runs_total Statements run through a named statement.\n"
        "# TYPE shouhou_db_prepared_runs_total counter\nshouhou_db_prepared_runs_total %llu\n",
        (unsigned long long)ld(&db_count), (double)ld(&db_ns) / 1e9,
        (unsigned long long)ld(&db_trips), (unsigned long long)ld(&db_prepares),
        (unsigned long long)ld(&db_prepared_runs));
    put(b, "# HELP shouhou_group_commit_batch_size Write transactions per durable "
           "commit (SQLite).\n# TYPE shouhou_group_commit_batch_size histogram\n");
    uint64_t cum = 0;
    for (int k = 0; k < NBATCH_LE; k++) {
        cum += ld(&batch_buckets[k]);
        put(b, "shouhou_group_commit_batch_size_bucket{le=\"%d\"} %llu\n", batch_le[k],
            (unsigned long long)cum);
    }
    put(b,
        "shouhou_group_commit_batch_size_bucket{le=\"+Inf\"} %llu\n"
        "shouhou_group_commit_batch_size_sum %llu\n"
        "shouhou_group_commit_batch_size_count %llu\n",
        (unsigned long long)ld(&batch_count), (unsigned long long)ld(&batch_sum),
        (unsigned long long)ld(&batch_count));
    pthread_mutex_lock(&gauges_mu);
    for (int g = 0; g < ngauges; g++)
        put(b, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", gauges[g].name, gauges[g].help,
            gauges[g].name, gauges[g].name, (long long)gauges[g].fn(gauges[g].arg));
    pthread_mutex_unlock(&gauges_mu);
}
