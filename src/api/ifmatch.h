/* SPDX-License-Identifier: MIT */
/* If-Match, parsed in one place for every route (issue 9 item 6; docs/api.md "If-Match"). */
#ifndef SH_API_IFMATCH_H
#define SH_API_IFMATCH_H

#include <stdint.h>

#include "base/sh_err.h"

struct http_req;

/* Parses an If-Match value: NULL (absent) and "*" (any existing version) give -1, meaning no
 * check; "n", W/"n" (a weak tag equals the strong one) and a bare n give n. Anything else is
 * SH_INVALID naming the field "If-Match" with reason invalid_format. */
SH_WUR enum sh_code if_match_parse(const char *value, int64_t *version, struct sh_err *e);
/* The same for the request's header. */
SH_WUR enum sh_code api_if_match(struct http_req *r, int64_t *version, struct sh_err *e);
/* The answer when a stored version differs from the If-Match one: 412, reason stale. */
enum sh_code if_match_stale(struct sh_err *e, const char *what);

#endif
