/* SPDX-License-Identifier: MIT */
/* Internal to the entity engine (entity.c, entity_list.c, entity_write.c): the SQL
 * builder and the helpers the three files share. */
#ifndef SH_ENTITY_INT_H
#define SH_ENTITY_INT_H

#include "api/api.h"

#define MAX_SQL_PARAMS 48

struct q {
    struct sh_buf sql;
    struct db_val p[MAX_SQL_PARAMS];
    int n;
    bool overflow;
    int nconds;    /* WHERE conditions other than q= */
    bool fts_join; /* the FROM clause starts at the FTS table (alias f) */
};

/* Appends a parameter; returns its $N number. */
int qparam(struct q *q, struct db_val v);
void qadd(struct q *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* SELECT list and joins for ent, with expand= names. */
/* external: a customer or dealer account (customer-safe names, see ext_label_col). */
void select_from(struct q *q, struct sh_arena *a, const struct entity *ent, const char *expand,
                 bool external);
/* The caller's data scope as AND conditions on alias t. */
void scope_where(struct q *q, struct api_ctx *c, const struct entity *ent);
/* Adds a named view's SQL, binding {me} and {dept}. */
void view_where(struct q *q, struct api_ctx *c, const char *sql);
void set_etag(struct api_ctx *c, const char *version);
/* True for kinds stored as numbers. */
bool numeric(enum field_kind k);

struct write_ctx {
    struct api_ctx *c;
    const struct entity *ent;
    struct fval *vals;
    int64_t id;
    int64_t if_match; /* -1: none */
    const char *idem_key;
    struct sh_buf out;
    int status;
    bool replayed;
    const char *version;
};

#endif
