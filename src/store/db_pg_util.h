/* SPDX-License-Identifier: MIT */
/* Helpers of the PostgreSQL driver (db_pg.c). */
#ifndef SH_DB_PG_UTIL_H
#define SH_DB_PG_UTIL_H

#include <libpq-fe.h>

#include "store/db_int.h"

/* The error of a failed result (or of the connection, r NULL) as an sh_err: duplicates,
 * references, constraints, conflicts to retry, a lost connection. */
enum sh_code pg_fail(PGconn *c, PGresult *r, struct sh_err *e);
/* A result's rows as text cells in a; false when they do not fit in its cap. */
bool pg_to_rows(const PGresult *r, struct sh_arena *a, struct db_rows *out);
/* Whether a read of fn runs without BEGIN (it waited once in its last reads in one). */
bool pg_fn_implicit(db_fn fn);
/* What a read of fn showed: waits round trips (one, or more for good). */
void pg_fn_learn(db_fn fn, int waits);
/* The n parameters p as libpq text values in vals (numbers written into bufs). */
void pg_params(const struct db_val *p, int n, const char **vals, char (*bufs)[32]);
/* FNV-1a of a statement's text: the key of the named-statement cache. */
uint64_t pg_sql_hash(const char *s);
/* Whether a statement is worth a named statement (not transaction control, and not one whose
 * best plan depends on a search pattern). */
bool pg_ps_worth(const char *sql);
/* sql starts with DB_GENERIC_PLAN: its named statement runs between these two settings
 * (transaction-local: no session state) */
bool pg_generic(const char *sql);
#define GENERIC_ON  "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)"
#define GENERIC_OFF "SELECT set_config('plan_cache_mode', 'auto', true)"

#endif
