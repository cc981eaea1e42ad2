/* SPDX-License-Identifier: MIT */
/* Technicians to assign work to (issue 10 #14): the technician picker's list, searched
 * by name and skill, with each technician's skills held today and today's workload. */
#ifndef SH_APP_TECHNICIANS_H
#define SH_APP_TECHNICIANS_H

#include <stddef.h>
#include <stdint.h>

#include "app/entity.h"
#include "app/uc.h"

/* The skill catalogue and the technicians, declared on the entity engine
 * (app/technician_entities.c). */
extern const struct entity ent_skills, ent_technicians;

#define TECH_PICK_Q_MAX     100 /* characters of the search text */
#define TECH_PICK_LIMIT     20
#define TECH_PICK_LIMIT_MAX 100

struct tech_pick_in {
    const char *q;     /* part of the name or login name; NULL or "": any */
    const char *skill; /* a skill or authorisation code held today; NULL: any */
    int limit;         /* 1..TECH_PICK_LIMIT_MAX */
};

struct tech_pick_skill {
    const char *code, *name, *kind; /* kind: "skill" or "authorisation" */
    int level;
};

struct tech_pick_item {
    int64_t user_id;       /* what a ticket is assigned to */
    int64_t technician_id; /* 0: a user with the technician role but no record yet */
    int64_t department_id; /* 0: none */
    const char *name, *username;
    struct tech_pick_skill *skills;
    int nskills;
    int64_t visits_today;   /* open tickets of theirs with a visit booked today (local) */
    int64_t assigned_today; /* open tickets assigned to them today (local) */
    int64_t open;           /* open tickets assigned to them */
};

struct tech_pick_out {
    struct tech_pick_item *items; /* least busy today first, then fewest open, by name */
    size_t n;
    size_t total; /* matches before the limit */
};

/* Active staff users who are technicians (the role or an active technician record).
 * Customer and dealer accounts never appear. */
SH_WUR enum sh_code uc_technicians_pick(const struct uc *u, const struct tech_pick_in *in,
                                        struct tech_pick_out *out, struct sh_err *e);

#endif
