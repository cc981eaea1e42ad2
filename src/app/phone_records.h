/* SPDX-License-Identifier: MIT */
/* Telephone records (电话记录, F-12, R-038; issue 18 item 2; docs/telephone.md): important
 * calls in and out, on the entity engine (ent_phone_records), with the forward to a superior
 * that opens a task with a due time and the superior's reply that closes it. Staff only. */
#ifndef SH_APP_PHONE_RECORDS_H
#define SH_APP_PHONE_RECORDS_H

#include "app/entity.h"

extern const struct entity ent_phone_records;
extern const char *const phone_record_statuses[];

struct phone_forward_in {
    int64_t id;
    int64_t superior_id; /* the user the record goes to */
    const char *due_at;  /* UTC timestamp by which the reply is due (after the call) */
    const char *note;    /* NULL: none */
};
/* RULE R-038, TY 4.2: a recorded call is forwarded once to a superior (an active staff user
 * other than the caller), who gets a task due at due_at; 409 once forwarded. *json: the
 * record after. */
SH_WUR enum sh_code uc_phone_forward(const struct uc *u, const struct phone_forward_in *in,
                                     const char **json, struct sh_err *e);
/* The superior's reply (or an admin's): recorded on the record, which becomes answered, and
 * its task done. 403 for anyone else, 409 unless forwarded. */
SH_WUR enum sh_code uc_phone_reply(const struct uc *u, int64_t id, const char *reply,
                                   const char **json, struct sh_err *e);
/* Called by uc_task_done when the task of a forward is done from the task list: the reply
 * goes on the record too. */
SH_WUR enum sh_code phone_record_task_done(const struct uc *u, int64_t record_id, const char *reply,
                                           struct sh_err *e);

struct phone_superior {
    int64_t id;
    const char *name, *roles;
};
/* Whom a record may be forwarded to: the active department heads, general managers and
 * admins (the 上级主管), other than the caller. */
SH_WUR enum sh_code uc_phone_superiors(const struct uc *u, struct phone_superior **out, int *n,
                                       struct sh_err *e);

#endif
