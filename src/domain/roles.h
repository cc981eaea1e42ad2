/* SPDX-License-Identifier: MIT */
/* Roles as a bitmask. A user holds one or more. */
#ifndef SH_ROLES_H
#define SH_ROLES_H

#include <stdbool.h>
#include <stddef.h>

enum role {
    ROLE_ADMIN,
    ROLE_GM,
    ROLE_DEPT_HEAD,
    ROLE_AGENT,
    ROLE_SALES,
    ROLE_FINANCE,
    ROLE_LOGISTICS,
    ROLE_WAREHOUSE,
    ROLE_DISPATCHER,
    ROLE_TECHNICIAN,
    ROLE_QC,
    ROLE_PURCHASING,
    ROLE_CUSTOMER,
    ROLE_DEALER,
    ROLE_COUNT
};

#define RB(x)          (1u << ROLE_##x)
#define ROLES_ALL      ((1u << ROLE_COUNT) - 1u)
#define ROLES_EXTERNAL (RB(CUSTOMER) | RB(DEALER))
#define ROLES_STAFF    (ROLES_ALL & ~ROLES_EXTERNAL)
/* the department's heads: who alone read complaints about staff conduct */
#define ROLES_HEADS (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD))
/* who read quotes (issue 13 item 5): every staff role but the goods roles, and customers their
 * own; the routes (api/policy.h P_QUOTE_READ) and a quote approval's lines say it from here */
#define ROLES_QUOTE_READ                                                                           \
    ((ROLES_STAFF & ~(RB(LOGISTICS) | RB(WAREHOUSE) | RB(PURCHASING))) | ROLES_EXTERNAL)

const char *role_name(enum role r);
/* Parses "agent,dispatcher" into a mask; false on an unknown or empty name. */
bool roles_parse(const char *s, unsigned *mask);
/* Writes the comma-separated names of mask into out. */
void roles_format(unsigned mask, char *out, size_t outlen);
/* True when every role in mask is external (customer or dealer). */
bool roles_external_only(unsigned mask);

#endif
