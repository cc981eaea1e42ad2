/* SPDX-License-Identifier: MIT */
/* libFuzzer: query strings through the list planner of every entity (filters, ranges, named
 * views, sort, cursor, q=, expand) as a staff member and as a customer. Must never crash or
 * leak; an accepted plan has its sort column and a page size in range. The first byte picks
 * the entity and the role; the rest is k=v&k=v (as libmicrohttpd hands it over, decoded). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/entity.h"
#include "domain/roles.h"
#include "store/db.h"

extern const struct entity ent_departments, ent_customers, ent_contacts, ent_sites, ent_models,
    ent_contracts, ent_units, ent_users;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXP 32

/* The planner asks the database's dialect: an embedded database made once. */
static const struct app *app_once(void)
{
    static struct app app;
    if (!app.db) {
        char url[] = "sqlite:/tmp/shouhou-fuzz-query.db";
        struct sh_err e;
        sh_err_clear(&e);
        if (db_open(url, NULL, &app.db, &e))
            abort();
    }
    return &app;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct entity *ents[] = {&ent_departments, &ent_customers, &ent_contacts,
                                          &ent_sites,       &ent_models,    &ent_contracts,
                                          &ent_units,       &ent_users};
    if (size < 1 || size > 4096)
        return 0;
    const struct entity *ent = ents[data[0] % 8];
    struct principal who = {.user_id = 7,
                            .username = "fuzz",
                            .roles = data[0] & 0x80 ? RB(CUSTOMER) : RB(AGENT),
                            .customer_id = data[0] & 0x80 ? 3 : 0};
    char *s = malloc(size);
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    struct ent_param p[MAXP];
    struct ent_list_in in = {.limit = 1 + (data[0] & 0x3f)};
    int n = 0;
    for (char *kv = s, *next; kv && n < MAXP; kv = next) {
        next = strchr(kv, '&');
        if (next)
            *next++ = '\0';
        char *v = strchr(kv, '=');
        if (v)
            *v++ = '\0';
        const char *val = v ? v : "";
        if (!strcmp(kv, "sort"))
            in.sort = val;
        else if (!strcmp(kv, "cursor"))
            in.cursor = val;
        else if (!strcmp(kv, "q"))
            in.q = val;
        else if (!strcmp(kv, "expand"))
            in.expand = val;
        p[n++] = (struct ent_param){kv, val};
    }
    in.params = p;
    in.nparams = n;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct uc u = {.a = &a, .who = &who, .now = 1767225600, .app = app_once()};
    struct ent_list l;
    struct sh_err e;
    sh_err_clear(&e);
    if (ent_list_plan(&u, ent, &in, &l, &e) == SH_OK && (!l.sname || l.limit < 1))
        abort();
    ent_list_release(&l);
    sh_arena_release(&a);
    free(s);
    return 0;
}
