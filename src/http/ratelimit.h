/* SPDX-License-Identifier: MIT */
/* In-memory fixed-window rate limits keyed by text (an address, a serial number).
 * Per process: with several instances each counts its own share. Thread-safe. */
#ifndef SH_RATELIMIT_H
#define SH_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* Counts one hit for key; false when key already had max hits in the current window of
 * window_s seconds (the hit is then not counted). now is epoch seconds. */
bool ratelimit_allow(const char *key, int max, int window_s, int64_t now);
/* Forgets every key (tests). */
void ratelimit_reset(void);

#endif
