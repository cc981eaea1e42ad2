/* SPDX-License-Identifier: MIT */
#include "store/sql_build.h"

#include <stdarg.h>

int qparam(struct q *q, struct db_val v)
{
    if (q->n >= MAX_SQL_PARAMS) {
        q->overflow = true;
        return q->n;
    }
    q->p[q->n++] = v;
    return q->n;
}

void qadd(struct q *q, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (sh_buf_vaddf(&q->sql, fmt, ap) != SH_OK)
        q->overflow = true;
    va_end(ap);
}
