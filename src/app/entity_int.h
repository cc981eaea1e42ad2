/* SPDX-License-Identifier: MIT */
/* Internal to the entity engine (app/entity*.c): the SQL the three files share. */
#ifndef SH_APP_ENTITY_INT_H
#define SH_APP_ENTITY_INT_H

#include "app/entity.h"

/* SELECT list and joins for ent, with expand= names. */
/* external: a customer or dealer account (customer-safe names, see ext_label_col). */
void select_from(struct q *q, struct sh_arena *a, const struct entity *ent, const char *expand,
                 bool external);
/* who's data scope as AND conditions on alias t. */
void scope_where(struct q *q, const struct principal *who, const struct entity *ent);
/* Adds a named view's SQL, binding {me}, {dept}, {now} and {today}. */
void view_where(struct q *q, const struct uc *u, const char *sql);
/* True for kinds stored as numbers. */
bool numeric(enum field_kind k);
/* "<entity> <id> not found" (404). */
enum sh_code ent_not_found(struct sh_err *e, const struct entity *ent, int64_t id);

#endif
