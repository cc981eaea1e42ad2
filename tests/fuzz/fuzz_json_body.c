/* SPDX-License-Identifier: MIT */
/* libFuzzer: request bodies through the JSON input validation of every entity,
 * as create and as partial update. Must never crash, leak or accept a value
 * that violates its column spec. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"

extern const struct entity ent_departments, ent_customers, ent_contacts, ent_sites, ent_models,
    ent_contracts, ent_units, ent_users;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct entity *ents[] = {&ent_departments, &ent_customers, &ent_contacts,
                                          &ent_sites,       &ent_models,    &ent_contracts,
                                          &ent_units,       &ent_users};
    if (size < 1)
        return 0;
    const struct entity *ent = ents[data[0] % 8];
    bool partial = data[0] & 0x80;
    struct sh_arena a;
    sh_arena_init(&a, 0);
    struct fval *vals = sh_arena_alloc(&a, sizeof(struct fval) * (size_t)ent->ncols);
    struct sh_err e;
    sh_err_clear(&e);
    enum sh_code rc = api_parse_object(&a, (const char *)data + 1, size - 1, ent->cols, ent->ncols,
                                       partial, vals, NULL, &e);
    if (rc == SH_OK) {
        for (int i = 0; i < ent->ncols; i++) {
            const struct col *c = &ent->cols[i];
            if (!vals[i].present)
                continue;
            if (c->flags & (COL_READONLY | COL_INTERNAL))
                abort(); /* read-only input accepted */
            if (vals[i].is_null) {
                if (!(c->flags & COL_NULLABLE))
                    abort();
                continue;
            }
            if (!vals[i].text)
                abort();
            if ((c->kind == F_STR || c->kind == F_TEXT) && c->maxlen &&
                utf8_len(vals[i].text) > (size_t)c->maxlen)
                abort();
            if (memchr(vals[i].text, '\0', strlen(vals[i].text) + 1) !=
                vals[i].text + strlen(vals[i].text))
                abort();
        }
    } else if (e.code == SH_OK || !e.msg[0]) {
        abort(); /* a refusal must say why */
    }
    sh_arena_release(&a);
    return 0;
}
