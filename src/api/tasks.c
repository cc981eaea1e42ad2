/* SPDX-License-Identifier: MIT */
/* Follow-up tasks (docs/surveys.md "Tasks"):
 *   GET  /api/v1/tasks?scope=mine|role&status=open|done&limit=&offset=
 *   POST /api/v1/tasks/{id}/done   {"reply": "..."}
 * Parse, call the use case (app/tasks.c), render. */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/tasks.h"

static void id_or_null(struct jw *w, const char *k, int64_t v)
{
    if (v)
        jw_kint(w, k, v);
    else
        jw_knull(w, k);
}

static void task_render(struct jw *w, const struct task_row *t)
{
    jw_obj_begin(w);
    jw_kint(w, "id", t->id);
    jw_kstr(w, "kind", t->kind);
    jw_kstr(w, "title", t->title);
    jw_kstr(w, "body", t->body);
    id_or_null(w, "assignee_id", t->assignee_id);
    jw_kstr(w, "role", t->role);
    id_or_null(w, "department_id", t->department_id);
    id_or_null(w, "ticket_id", t->ticket_id);
    jw_kstr(w, "ticket_number", t->ticket_number);
    jw_kstr(w, "source", t->source);
    id_or_null(w, "source_id", t->source_id);
    jw_kstr(w, "status", t->status);
    jw_kstr(w, "reply", t->reply);
    jw_kstr(w, "done_at", t->done_at);
    jw_kstr(w, "due_at", t->due_at);
    jw_kbool(w, "overdue", t->overdue);
    id_or_null(w, "done_by", t->done_by);
    id_or_null(w, "created_by", t->created_by);
    jw_kstr(w, "created_at", t->created_at);
    jw_kstr(w, "updated_at", t->updated_at);
    jw_kint(w, "version", t->version);
    jw_obj_end(w);
}

struct list_ctx {
    struct api_ctx *c;
    struct task_list_in in;
    struct task_list out;
};

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_task_list(&u, &x->in, &x->out, e);
}

static bool parse_list(struct api_ctx *c, struct task_list_in *in)
{
    const char *scope = http_query(c->req, "scope"), *status = http_query(c->req, "status");
    if (scope && strcmp(scope, "mine") && strcmp(scope, "role") && strcmp(scope, "all")) {
        api_reply_error(c, SH_INVALID, "scope", "scope: mine, role or all");
        return false;
    }
    if (status && strcmp(status, "open") && strcmp(status, "done") && strcmp(status, "all")) {
        api_reply_error(c, SH_INVALID, "status", "status: open, done or all");
        return false;
    }
    in->scope = !scope                   ? TASK_SCOPE_ANY
                : !strcmp(scope, "mine") ? TASK_SCOPE_MINE
                : !strcmp(scope, "role") ? TASK_SCOPE_ROLE
                                         : TASK_SCOPE_ANY;
    in->status = !status ? "open" : !strcmp(status, "all") ? NULL : status;
    return api_query_page(c, &in->limit, &in->offset);
}

static void list_item(struct jw *w, int i, const void *arg)
{
    task_render(w, &((const struct list_ctx *)arg)->out.items[i]);
}

void h_tasks_list(struct api_ctx *c)
{
    struct list_ctx x = {.c = c};
    if (!parse_list(c, &x.in) || !api_read_or_reply(c, list_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.out.n,
                                         .item = list_item,
                                         .arg = &x,
                                         .has_total = true,
                                         .total = x.out.total,
                                         .limit = x.in.limit,
                                         .has_offset = true,
                                         .offset = x.in.offset});
}

static const struct col done_cols[] = {
    {"reply", F_TEXT, COL_REQUIRED, 2000, NULL, 0, 0, NULL},
};

struct done_ctx {
    struct api_ctx *c;
    int64_t id;
    const char *reply;
    struct task_row row;
};

static enum sh_code done_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct done_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_task_done(&u, x->id, x->reply, &x->row, e);
}

void h_task_done(struct api_ctx *c)
{
    struct done_ctx x = {.c = c};
    struct fval v[1];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, done_cols, 1, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.reply = fv(&v[0]);
    if (!api_write_or_reply(c, done_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    task_render(&w, &x.row);
    api_reply_jw(c, 200, &b, &w);
}
