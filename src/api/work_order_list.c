/* SPDX-License-Identifier: MIT */
/* GET /api/v1/work-orders: filters ticket_id, lead_id, status, day (the local date of the
 * appointment), mine=1; appointment order; cursor paging (next_cursor) like the other
 * lists. A technician gets the work orders they lead or help on; external accounts none. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/work_orders.h"

#define LIST_DEFAULT 50
#define LIST_MAX     200

struct list_ctx {
    struct api_ctx *c;
    struct wo_list_in in;
    struct wo_list_out out;
};

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

static enum sh_code id_param(struct api_ctx *c, const char *name, int64_t *out, struct sh_err *e)
{
    const char *v = http_query(c->req, name);
    *out = 0;
    if (!v)
        return SH_OK;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n < 1)
        return bad(e, name, "invalid_format", "must be a positive id");
    *out = n;
    return SH_OK;
}

/* cursor "<appointment_at or empty>~<id>" */
static enum sh_code cursor_param(struct api_ctx *c, struct wo_filter *f, struct sh_err *e)
{
    const char *v = http_query(c->req, "cursor");
    if (!v || !*v)
        return SH_OK;
    const char *tilde = strrchr(v, '~');
    char *end;
    long long id = tilde ? strtoll(tilde + 1, &end, 10) : 0;
    int64_t t;
    const char *at = tilde ? sh_arena_strndup(c->a, v, (size_t)(tilde - v)) : NULL;
    if (!tilde || !tilde[1] || *end || id < 1 || (*at && !sh_ts_parse(at, &t)))
        return bad(e, "cursor", "invalid_format", "'cursor' is not a cursor this list returned");
    f->after_at = at;
    f->after_id = id;
    return SH_OK;
}

static enum sh_code parse_list(struct api_ctx *c, struct wo_list_in *in, struct sh_err *e)
{
    struct wo_filter *f = &in->f;
    enum sh_code rc;
    if ((rc = id_param(c, "ticket_id", &f->ticket_id, e)) ||
        (rc = id_param(c, "lead_id", &f->lead_id, e)) || (rc = cursor_param(c, f, e)))
        return rc;
    enum wo_status st;
    f->status = http_query(c->req, "status");
    if (f->status && !wo_status_parse(f->status, &st))
        return bad(e, "status", "invalid_format", "unknown work-order status");
    struct sh_date d;
    f->day = http_query(c->req, "day");
    if (f->day && !sh_date_parse(f->day, &d))
        return bad(e, "day", "invalid_format", "day is a date YYYY-MM-DD");
    const char *mine = http_query(c->req, "mine");
    if (mine && strcmp(mine, "1") && strcmp(mine, "0") && strcmp(mine, "true") &&
        strcmp(mine, "false"))
        return bad(e, "mine", "invalid_format", "mine is 1 or 0");
    in->mine = mine && (!strcmp(mine, "1") || !strcmp(mine, "true"));
    const char *lim = http_query(c->req, "limit");
    f->limit = LIST_DEFAULT;
    if (lim) {
        char *end;
        long n = strtol(lim, &end, 10);
        if (!*lim || *end || n < 1 || n > LIST_MAX) {
            sh_err_field(e, SH_INVALID, "limit", "limit is 1 to %d", LIST_MAX);
            return sh_err_reason(e, "out_of_range", "{\"min\":1,\"max\":%d}", LIST_MAX);
        }
        f->limit = (int)n;
    }
    return SH_OK;
}

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    return uc_work_order_list(&u, &x->in, &x->out, e);
}

static void list_item(struct jw *w, int i, const void *arg)
{
    const struct list_ctx *x = arg;
    jw_raw(w, work_order_row_json(x->c->a, &x->out.rows[i]));
}

void h_work_orders_list(struct api_ctx *c)
{
    struct list_ctx x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (parse_list(c, &x.in, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (!api_read_or_reply(c, list_run, &x))
        return;
    const char *next = NULL;
    if (x.out.more) {
        const struct wo_row *r = &x.out.rows[x.out.n - 1];
        next =
            sh_arena_printf(c->a, "%s~%" PRId64, r->appointment_at ? r->appointment_at : "", r->id);
    }
    api_reply_page(c, &(struct api_page){.n = x.out.n,
                                         .item = list_item,
                                         .arg = &x,
                                         .has_total = true,
                                         .total = x.out.total,
                                         .limit = x.in.f.limit,
                                         .has_cursor = true,
                                         .next_cursor = next});
}
