/* SPDX-License-Identifier: MIT */
/* POST /api/v1/tickets/{id}/actions/{action}: parse, call the
 * use case (app/ticket_actions.c), render. */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/ifmatch.h"
#include "api/tickets.h"
#include "app/ticket_actions.h"

static const struct col action_cols[] = {
    {"note", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"assignee_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"department_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"visit_at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"promised_arrival_at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"visibility", F_ENUM, 0, 0, (const char *const[]){"internal", "customer", NULL}, 0, 0, NULL},
};
enum { A_NOTE, A_ASSIGNEE, A_DEPT, A_VISIT, A_PROMISED, A_VIS, A_COUNT };

struct action_ctx {
    struct api_ctx *c;
    struct ticket_action_in in;
    struct fval v[A_COUNT];
    struct sh_buf out;
    const char *version;
};

static int64_t id_or_0(const struct fval *v)
{
    return v->present && !v->is_null ? v->i : 0;
}

static enum sh_code action_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct action_ctx *x = arg;
    struct api_ctx *c = x->c;
    /* the record as it was, for the audit (404 outside the caller's scope) */
    struct db_rows t;
    enum sh_code rc = load_ticket(c, tx, x->in.id, &t, e);
    if (rc)
        return rc;
    const char *before = ent_json(c->a, &ent_tickets, &t, 0);
    const struct uc u = ticket_uc(c, tx);
    struct ticket_action_out out = {0};
    if ((rc = uc_ticket_action(&u, &x->in, &out, e)) ||
        (rc = render_ticket(c, tx, x->in.id, out.view, &x->out, &x->version, e)))
        return rc;
    return audit_write(tx, &c->who, "ticket", x->in.id, ticket_action_name(x->in.act), before,
                       x->out.buf, e);
}

/* The request: path, If-Match and body into the use case's input; false after replying. */
static bool parse_action(struct api_ctx *c, struct action_ctx *x)
{
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x->in.id))
        return false;
    const char *name = c->req->nparams > 1 ? c->req->params[1] : "";
    if (!ticket_action_parse(name, &x->in.act)) {
        api_reply_error(c, SH_NOT_FOUND, "action", "no ticket action '%.40s'", name);
        return false;
    }
    bool empty = c->req->body.len == 0;
    if (api_if_match(c->req, &x->in.if_match, &e) ||
        (!empty && api_parse_object(c->a, c->req->body.buf, c->req->body.len, action_cols, A_COUNT,
                                    true, x->v, NULL, &e))) {
        api_reply_err(c, &e);
        return false;
    }
    x->in.note = fv(&x->v[A_NOTE]);
    x->in.visibility = fv(&x->v[A_VIS]);
    x->in.assignee_id = id_or_0(&x->v[A_ASSIGNEE]);
    x->in.department_id = id_or_0(&x->v[A_DEPT]);
    x->in.visit_at = x->v[A_VISIT].present ? x->v[A_VISIT].text : NULL;
    x->in.promised_arrival_at = x->v[A_PROMISED].present ? x->v[A_PROMISED].text : NULL;
    return true;
}

void h_ticket_action(struct api_ctx *c)
{
    struct action_ctx x = {.c = c, .in = {.if_match = -1}};
    sh_buf_init(&x.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (!parse_action(c, &x))
        goto out;
    if (db_write(c->app->db, action_run, &x, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", x.version));
    api_reply_json(c, 200, &x.out);
out:
    sh_buf_release(&x.out);
}
