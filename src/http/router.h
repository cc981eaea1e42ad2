/* SPDX-License-Identifier: MIT */
/* Route matching: patterns like "/api/v1/customers/{id}/contacts". A `{name}`
 * segment captures one path segment into req->params in order. */
#ifndef SH_ROUTER_H
#define SH_ROUTER_H

#include <stdbool.h>

#include "http/http.h"

/* True when path matches pattern; captured segments go to params (arena copies). */
bool router_match(const char *pattern, const char *path, struct sh_arena *a, const char **params,
                  int *nparams);

#endif
