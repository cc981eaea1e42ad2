/* SPDX-License-Identifier: MIT */
/* Follow-up tasks (table tasks, migration 0016): a piece of work for one person or for the
 * holders of a role (in a department when one is named), with the reply that closes it.
 * Generic: a low survey score opens one for the department head (issue 11 item 6); later
 * issues add their kinds (a telephone record forwarded to a superior). */
#ifndef SH_APP_TASKS_H
#define SH_APP_TASKS_H

#include "app/uc.h"

struct task_in {
    const char *kind;      /* e.g. "survey_follow_up" */
    const char *title;     /* one line */
    const char *body;      /* "" when none */
    int64_t assignee_id;   /* a person, or 0 and … */
    const char *role;      /* … every holder of this role (domain/roles.c name) */
    int64_t department_id; /* 0: any department */
    int64_t ticket_id;     /* 0: none */
    const char *source;    /* what opened it ("survey"), and its id */
    int64_t source_id;
    const char *due_at; /* UTC timestamp by which it is to be done; NULL: none */
};
/* Every kind of task, declared once: the UI names each by task.kind.<kind> of web/i18n (scripts/
 * check-guard-texts.py reads this list and checks both catalogues); NULL-terminated. */
extern const char *const task_kinds[];
/* Opens a task by u->who (NULL: the system), audited; a kind not in task_kinds is an internal
 * error. */
SH_WUR enum sh_code uc_task_create(const struct uc *u, const struct task_in *in, int64_t *id,
                                   struct sh_err *e);

struct task_row {
    int64_t id, assignee_id, department_id, ticket_id, source_id, done_by, created_by, version;
    const char *kind, *title, *body, *role, *source, *status, *reply, *done_at, *created_at,
        *updated_at, *ticket_number, *due_at;
    bool overdue; /* open and past due_at */
};

enum task_scope { TASK_SCOPE_ANY, TASK_SCOPE_MINE, TASK_SCOPE_ROLE };

struct task_list_in {
    enum task_scope scope; /* mine: assigned to me; role: to a role of mine; any: both */
    const char *status;    /* "open", "done" or NULL for both */
    int limit, offset;
};
struct task_list {
    struct task_row *items;
    int n;
    int64_t total;
};
/* The caller's tasks, newest first. */
SH_WUR enum sh_code uc_task_list(const struct uc *u, const struct task_list_in *in,
                                 struct task_list *out, struct sh_err *e);
/* Marks an open task of the caller done with the reply (required): 404 when it is not the
 * caller's, 409 when done already; a timeline entry on its ticket, audited. */
SH_WUR enum sh_code uc_task_done(const struct uc *u, int64_t id, const char *reply,
                                 struct task_row *out, struct sh_err *e);

#endif
