/* SPDX-License-Identifier: MIT */
/* Market-support approvals (市场支持申请单, F-05, R-051, A-04; issue 12 item 3): the
 * approval matrix (entity approval_rule: which kind of request needs whose approval, a role
 * or a user, with a deputy while the approver is away; a kind without a rule goes to the
 * general manager), the requests sales files (entity approval, created through the entity
 * engine), the approver's decision and the `approval` guard's fact. */
#ifndef SH_APP_APPROVALS_H
#define SH_APP_APPROVALS_H

#include "app/entity.h"
#include "app/uc.h"

extern const struct entity ent_approval_rules, ent_approvals;

/* The role that decides a kind no rule names (A-04: the general manager). */
#define APPROVAL_DEFAULT_ROLE "gm"

struct approval_decide_in {
    int64_t id;
    bool approve;        /* false: reject */
    const char *comment; /* optional on approval, required on rejection */
    int64_t if_match;    /* the version the approver saw; -1: no check */
};

/* The named approver (or the rule's deputy while the approver is away) approves or rejects
 * a pending request: 403 reason not_approver for anyone else, 409 illegal_action once
 * decided; audited, and noted on the linked ticket's timeline. *json gets the record. */
SH_WUR enum sh_code uc_approval_decide(const struct uc *u, const struct approval_decide_in *in,
                                       const char **json, struct sh_err *e);

/* The subject of each of the n requests of r (app/approval_subject.c): out[i] the JSON of
 * what request i is about (a quote, a replacement), NULL when its columns say it all; the
 * entity's read_extra. */
SH_WUR enum sh_code approval_subjects(const struct uc *u, const struct db_rows *r, int n,
                                      const char **out, struct sh_err *e);

/* The `approval` guard's fact: an approved request for the work (installation, on-site
 * repair, training, other) is linked to the ticket; a quote or replacement approval does not
 * dispatch anyone. */
SH_WUR enum sh_code uc_approval_granted(const struct uc *u, int64_t ticket_id, bool *granted,
                                        struct sh_err *e);

#endif
