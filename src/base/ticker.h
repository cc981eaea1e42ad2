/* SPDX-License-Identifier: MIT */
/*
 * A background thread that calls a function now and then every interval until stopped: the
 * loop of the SLA/retention jobs and of the notification worker. The function gets the stop
 * flag so that a long pass can end early (read it with ticker_stopping).
 */
#ifndef SH_TICKER_H
#define SH_TICKER_H

#include <stdbool.h>
#include <stdint.h>

struct ticker;

typedef void (*ticker_fn)(void *ctx, const bool *stop);

/* Starts the thread (first call at once); NULL, logged with name, when it cannot start. */
struct ticker *ticker_start(const char *name, int interval_s, ticker_fn fn, void *ctx);
/* The same for work that can wait (a cache warmed ahead of need): its thread runs at the lowest
 * CPU priority, so requests are not slowed by it; it gets the CPU they leave. */
struct ticker *ticker_start_idle(const char *name, int interval_s, ticker_fn fn, void *ctx);
/* Sleeps ns from the ticker's own thread, ending early when it is stopped: false then. */
bool ticker_rest(const bool *stop, int64_t ns);
/* Asks the thread to stop, wakes it, waits for the call in progress and frees. NULL is a no-op. */
void ticker_stop(struct ticker *t);
/* true once ticker_stop has been called (safe from the ticker's own thread). */
bool ticker_stopping(const bool *stop);

#endif
