/* SPDX-License-Identifier: MIT */
#include "domain/roles.h"

#include <stdio.h>
#include <string.h>

static const char *const names[ROLE_COUNT] = {
    "admin",     "gm",         "dept_head",  "agent", "sales",      "finance",  "logistics",
    "warehouse", "dispatcher", "technician", "qc",    "purchasing", "customer", "dealer",
};

const char *role_name(enum role r)
{
    return (unsigned)r < ROLE_COUNT ? names[r] : "?";
}

bool roles_parse(const char *s, unsigned *mask)
{
    unsigned m = 0;
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool found = false;
        for (unsigned i = 0; i < ROLE_COUNT; i++) {
            if (strlen(names[i]) == n && !strncmp(names[i], p, n)) {
                m |= 1u << i;
                found = true;
                break;
            }
        }
        if (!found)
            return false;
        if (!e)
            break;
        p = e + 1;
    }
    if (!m)
        return false;
    *mask = m;
    return true;
}

void roles_format(unsigned mask, char *out, size_t outlen)
{
    size_t len = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < ROLE_COUNT; i++) {
        if (!(mask & (1u << i)))
            continue;
        int n = snprintf(out + len, outlen - len, "%s%s", len ? "," : "", names[i]);
        if (n < 0 || (size_t)n >= outlen - len)
            return;
        len += (size_t)n;
    }
}

bool roles_external_only(unsigned mask)
{
    return mask && !(mask & ROLES_STAFF);
}
