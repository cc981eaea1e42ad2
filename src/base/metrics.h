/* SPDX-License-Identifier: MIT */
/* Process-wide counters for `GET /metrics` (Prometheus text format, docs/operations.md):
 * requests by route and status class with a latency histogram, database statements and
 * time, group-commit batch sizes. Lock-free (relaxed atomics): counting costs a few
 * nanoseconds on the request path. Gauges read from the database at scrape time (open SLA
 * breaches, the outbox) are rendered by the API layer. */
#ifndef SH_METRICS_H
#define SH_METRICS_H

#include <stdint.h>

#include "base/sh_buf.h"

/* Request classes besides the API routes (their index is the route's, 0…n-1). */
enum { METRIC_STATIC = -2, METRIC_OTHER = -1 };

/* Declares the n API routes by label ("GET /api/v1/tickets/{id}"); labels must outlive the
 * process. Call once before serving. */
void metrics_routes(int n, const char *const *labels);
/* One request answered: its route index (or METRIC_*), status and duration. */
void metrics_request(int route, int status, int64_t ns);
/* One database statement and its duration. */
void metrics_db(int64_t ns);
/* One wait for the database server's answers (PostgreSQL: a network round trip, however
 * many statements it carried). */
void metrics_db_round_trip(void);
/* PostgreSQL named statements: one prepared (Parse), one run through its name. */
void metrics_db_prepare(void);
void metrics_db_prepared_run(void);
/* One group commit of n transactions. */
void metrics_group_commit(int n);
/* A gauge read when scraped: fn(arg). Registering a name again replaces it (a server
 * restarted in one process); at most 8 gauges. */
void metrics_gauge(const char *name, const char *help, int64_t (*fn)(void *arg), void *arg);
/* Appends every counter in the Prometheus text format. */
void metrics_render(struct sh_buf *b);

#endif
