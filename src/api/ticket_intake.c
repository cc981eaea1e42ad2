/* SPDX-License-Identifier: MIT */
/* POST /api/v1/tickets: parse, call the intake use case (app/ticket_intake.c), render. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "base/date.h"
#include "domain/ticket.h"
#include "app/ticket_intake.h"

static const struct col intake_cols[] = {
    {"channel", F_ENUM, COL_REQUIRED, 0, ticket_channel_names, 0, 0, NULL},
    {"type", F_ENUM, COL_REQUIRED, 0, ticket_type_names, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"unit_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"serial_no", F_STR, COL_NULLABLE, 60, NULL, 0, 0, NULL},
    {"caller_name", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"caller_phone", F_STR, 0, 40, NULL, 0, 0, NULL},
    {"customer_name", F_STR, 0, 100, NULL, 0, 0, NULL},
    {"customer_address", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"fault_category", F_STR, COL_NULLABLE, 40, NULL, 0, 0, NULL},
    {"description", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"priority", F_ENUM, 0, 0, ticket_priority_names, 0, 0, NULL},
    {"required_arrival_at", F_TS, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"received_at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"answer", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"close", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"assignee_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"department_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
};
enum {
    I_CHANNEL,
    I_TYPE,
    I_CUSTOMER,
    I_UNIT,
    I_SERIAL,
    I_CALLER,
    I_PHONE,
    I_CNAME,
    I_CADDR,
    I_FAULT,
    I_DESC,
    I_PRIO,
    I_REQUIRED,
    I_RECEIVED,
    I_ANSWER,
    I_CLOSE,
    I_ASSIGNEE,
    I_DEPT,
    I_COUNT
};

struct intake {
    struct api_ctx *c;
    struct fval v[I_COUNT];
    const char *idem_key;
    struct sh_buf out;
    int status;
    bool replayed;
    int64_t id;
    const char *version;
};

static const char *text_of(const struct intake *x, int k)
{
    return fv(&x->v[k]);
}

static int64_t id_of(const struct intake *x, int k)
{
    return x->v[k].present && !x->v[k].is_null ? x->v[k].i : 0;
}

/* The request body as the use case's input. */
static void intake_in(const struct intake *x, struct ticket_intake_in *in)
{
    *in = (struct ticket_intake_in){
        .channel = x->v[I_CHANNEL].text,
        .type = x->v[I_TYPE].text,
        .customer_id = id_of(x, I_CUSTOMER),
        .unit_id = id_of(x, I_UNIT),
        .serial_no = text_of(x, I_SERIAL),
        .caller_name = text_of(x, I_CALLER),
        .caller_phone = text_of(x, I_PHONE),
        .customer_name = text_of(x, I_CNAME),
        .customer_address = text_of(x, I_CADDR),
        .fault_category = text_of(x, I_FAULT),
        .description = text_of(x, I_DESC),
        .priority = text_of(x, I_PRIO),
        .required_arrival_at = text_of(x, I_REQUIRED),
        .answer = text_of(x, I_ANSWER),
        .has_received = x->v[I_RECEIVED].present,
        .received_at = x->v[I_RECEIVED].i,
        .close = x->v[I_CLOSE].present && x->v[I_CLOSE].i,
        .assignee_id = id_of(x, I_ASSIGNEE),
        .department_id = id_of(x, I_DEPT),
    };
}

static enum sh_code intake_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct intake *x = arg;
    struct api_ctx *c = x->c;
    enum sh_code rc;
    if (x->idem_key) {
        rc = api_idem_replay(c, tx, x->idem_key, &x->out, &x->status, &x->replayed, e);
        if (rc || x->replayed)
            return rc;
    }
    struct ticket_intake_in in;
    intake_in(x, &in);
    const struct uc u = ticket_uc(c, tx);
    struct ticket_intake_out out = {0};
    if ((rc = uc_ticket_intake(&u, &in, &out, e)))
        return rc;
    x->id = out.id;
    sh_buf_reset(&x->out);
    if ((rc = render_ticket_row(c, tx, x->id, out.row, out.view, &x->out, &x->version, e)) ||
        (rc = audit_write(tx, &c->who, "ticket", x->id, "create", NULL, x->out.buf, e)))
        return rc;
    x->status = 201;
    if (x->idem_key)
        rc = api_idem_store(c, tx, x->idem_key, x->status, x->out.buf, e);
    return rc;
}

enum sh_code ticket_intake(struct api_ctx *c, struct db_tx *tx, const char *json, size_t len,
                           int64_t *id, struct sh_err *e)
{
    struct intake x = {.c = c};
    sh_buf_init(&x.out, 4 << 20);
    enum sh_code rc = api_parse_object(c->a, json, len, intake_cols, I_COUNT, false, x.v, NULL, e);
    if (!rc)
        rc = intake_run(tx, &x, e);
    *id = x.id;
    sh_buf_release(&x.out);
    return rc;
}

void h_ticket_create(struct api_ctx *c)
{
    struct intake x = {.c = c};
    sh_buf_init(&x.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_idem_key(c, &x.idem_key))
        goto out;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, intake_cols, I_COUNT, false, x.v,
                         NULL, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    if (api_is_external(c) && (x.v[I_ASSIGNEE].present || x.v[I_DEPT].present ||
                               x.v[I_CLOSE].present || x.v[I_RECEIVED].present)) {
        api_reply_error(c, SH_FORBIDDEN, NULL,
                        "customers cannot assign, close or back-date their requests");
        goto out;
    }
    if (db_write(c->app->db, intake_run, &x, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    if (x.replayed)
        http_add_header(c->req, "Idempotent-Replayed", "true");
    else
        http_add_header(c->req, "Location",
                        sh_arena_printf(c->a, "/api/v1/tickets/%" PRId64, x.id));
    if (x.version)
        http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", x.version));
    api_reply_json(c, x.status, &x.out);
out:
    sh_buf_release(&x.out);
}
