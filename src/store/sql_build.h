/* SPDX-License-Identifier: MIT */
/* Building one SQL statement with its $N parameters: the text grows in a buffer, each
 * parameter gets the next number. Overflow (too many parameters, text too long) is
 * remembered and reported once, when the statement would run. */
#ifndef SH_STORE_SQL_BUILD_H
#define SH_STORE_SQL_BUILD_H

#include <stdbool.h>

#include "base/sh_buf.h"
#include "store/db.h"

#define MAX_SQL_PARAMS 48

struct q {
    struct sh_buf sql;
    struct db_val p[MAX_SQL_PARAMS];
    int n;
    bool overflow;
    int nconds;     /* WHERE conditions other than q= */
    bool fts_join;  /* the FROM clause starts at the FTS table (alias f) */
    const char *sx; /* "" or "_ext": the search text the caller queries (entity.search_external) */
    bool noindex;   /* q= as a plain substring test the planner cannot answer from an index */
};

/* Appends a parameter; returns its $N number. */
int qparam(struct q *q, struct db_val v);
void qadd(struct q *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
