/* SPDX-License-Identifier: MIT */
/* POST/GET /api/v1/tickets/{id}/diagnoses: the technical department's phone diagnosis and
 * its routing (app/diagnosis.h, docs/diagnosis.md). */
#include "app/diagnosis.h"

#include "api/handlers.h"
#include "api/policy.h"
#include "api/tickets.h"

_Static_assert(P_DIAGNOSE == DIAG_ROLES, "the route's roles are the rule's");

static const struct col diag_cols[] = {
    {"findings", F_TEXT, COL_REQUIRED, 4000, NULL, 0, 0, NULL},
    {"suspected_cause", F_TEXT, 0, 2000, NULL, 0, 0, NULL},
    {"decision", F_ENUM, COL_REQUIRED, 0, diag_decision_names, 0, 0, NULL},
    {"reason", F_TEXT, COL_REQUIRED, 2000, NULL, 0, 0, NULL},
};

struct diag_ctx {
    struct api_ctx *c;
    struct diag_in in;
    struct diag_row row, *rows;
    int n;
};

static enum sh_code create_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct diag_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_diagnosis_record(&u, &x->in, &x->row, e);
}

void h_diagnosis_create(struct api_ctx *c)
{
    struct diag_ctx x = {.c = c};
    struct fval v[4];
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_param_id(c, 0, &x.in.ticket_id))
        return;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, diag_cols, 4, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.findings = fv(&v[0]);
    x.in.suspected_cause = fv(&v[1]);
    x.in.decision = fv(&v[2]);
    x.in.reason = fv(&v[3]);
    if (!api_write_or_reply(c, create_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    diag_render(&w, &x.row);
    api_reply_jw(c, 201, &b, &w);
}

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct diag_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_diagnosis_list(&u, x->in.ticket_id, &x->rows, &x->n, e);
}

static void list_item(struct jw *w, int i, const void *arg)
{
    diag_render(w, &((const struct diag_ctx *)arg)->rows[i]);
}

void h_diagnosis_list(struct api_ctx *c)
{
    struct diag_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.in.ticket_id) || !api_read_or_reply(c, list_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.n, .item = list_item, .arg = &x});
}
