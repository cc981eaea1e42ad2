/* SPDX-License-Identifier: MIT */
/* The stock routes (docs/parts.md):
 *   GET  /api/v1/stock?part_id=&location_id=&mine=true&limit=&offset=
 *   GET  /api/v1/stock/alerts  (below the reorder minimum)
 *   GET  /api/v1/stock-movements?part_id=&location_id=&work_order_id=&kind=&since=&mine=
 *   POST /api/v1/stock-movements {kind, part_id, qty, from_location_id, to_location_id,
 *                                 work_order_id, note}
 * Parse, call the use case (app/parts.c, app/parts_stock.c), render. */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/parts.h"
#include "api/tickets.h"
#include "app/parts.h"
#include "base/date.h"
#include "domain/parts.h"

static void id_or_null(struct jw *w, const char *k, int64_t v)
{
    if (v)
        jw_kint(w, k, v);
    else
        jw_knull(w, k);
}

/* ---- stock on hand ---- */

struct stock_ctx {
    struct api_ctx *c;
    struct stock_list_in in;
    struct stock_row *rows;
    int n;
    int64_t total;
};

static enum sh_code stock_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct stock_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_stock_list(&u, &x->in, &x->rows, &x->n, &x->total, e);
}

static void stock_item(struct jw *w, int i, const void *arg)
{
    const struct stock_ctx *x = arg;
    const struct stock_row *s = &x->rows[i];
    jw_obj_begin(w);
    jw_kint(w, "part_id", s->part_id);
    jw_kstr(w, "part_code", s->part_code);
    jw_kstr(w, "part_name", s->part_name);
    jw_kstr(w, "unit", s->unit);
    jw_kint(w, "price_fen", s->price_fen);
    jw_kint(w, "location_id", s->location_id);
    jw_kstr(w, "location_code", s->location_code);
    jw_kstr(w, "location_name", s->location_name);
    jw_kstr(w, "location_kind", s->location_kind);
    id_or_null(w, "technician_id", s->technician_id);
    jw_kint(w, "qty", s->qty);
    if (s->has_min)
        jw_kint(w, "min_qty", s->min_qty);
    else
        jw_knull(w, "min_qty");
    jw_kbool(w, "below_min", s->has_min && s->qty < s->min_qty);
    jw_obj_end(w);
}

static void stock_answer(struct api_ctx *c, bool alerts)
{
    struct stock_ctx x = {.c = c};
    x.in.below_min = alerts;
    if (!api_query_id(c, "part_id", &x.in.part_id) ||
        !api_query_id(c, "location_id", &x.in.location_id) ||
        !api_query_bool(c, "mine", &x.in.mine) || !api_query_page(c, &x.in.limit, &x.in.offset) ||
        !api_read_or_reply(c, stock_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.n,
                                         .item = stock_item,
                                         .arg = &x,
                                         .has_total = true,
                                         .total = x.total,
                                         .limit = x.in.limit,
                                         .has_offset = true,
                                         .offset = x.in.offset});
}

void h_stock_list(struct api_ctx *c)
{
    stock_answer(c, false);
}

void h_stock_alerts(struct api_ctx *c)
{
    stock_answer(c, true);
}

/* ---- the ledger ---- */

static void movement_render(struct jw *w, const struct movement_row *m)
{
    jw_obj_begin(w);
    jw_kint(w, "id", m->id);
    jw_kstr(w, "kind", m->kind);
    jw_kint(w, "part_id", m->part_id);
    jw_kstr(w, "part_code", m->part_code);
    jw_kstr(w, "part_name", m->part_name);
    jw_kstr(w, "unit", m->unit);
    jw_kint(w, "qty", m->qty);
    id_or_null(w, "from_location_id", m->from_location_id);
    jw_kstr(w, "from_name", m->from_name);
    id_or_null(w, "to_location_id", m->to_location_id);
    jw_kstr(w, "to_name", m->to_name);
    id_or_null(w, "work_order_id", m->work_order_id);
    jw_kstr(w, "work_order_number", m->wo_number);
    id_or_null(w, "ticket_id", m->ticket_id);
    jw_kstr(w, "billing", m->billing);
    jw_kstr(w, "price_basis", m->price_basis);
    jw_kint(w, "unit_price_fen", m->unit_price_fen);
    jw_kint(w, "amount_fen", m->amount_fen);
    jw_kstr(w, "note", m->note);
    id_or_null(w, "created_by", m->created_by);
    jw_kstr(w, "created_at", m->created_at);
    jw_obj_end(w);
}

struct mlist_ctx {
    struct api_ctx *c;
    struct movement_list_in in;
    struct movement_row *rows;
    int n;
    int64_t total;
};

static enum sh_code mlist_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct mlist_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_stock_movements(&u, &x->in, &x->rows, &x->n, &x->total, e);
}

static void mlist_item(struct jw *w, int i, const void *arg)
{
    movement_render(w, &((const struct mlist_ctx *)arg)->rows[i]);
}

static bool mlist_parse(struct api_ctx *c, struct movement_list_in *in)
{
    const char *kind = http_query(c->req, "kind"), *since = http_query(c->req, "since");
    enum stock_kind k;
    int64_t t;
    if (kind && !stock_kind_parse(kind, &k)) {
        api_reply_error(c, SH_INVALID, "kind", "kind: a kind of movement");
        return false;
    }
    if (since && !sh_ts_parse(since, &t)) {
        api_reply_error(c, SH_INVALID, "since", "since: YYYY-MM-DDTHH:MM:SSZ");
        return false;
    }
    in->kind = kind;
    in->since = since;
    return api_query_id(c, "part_id", &in->part_id) &&
           api_query_id(c, "location_id", &in->location_id) &&
           api_query_id(c, "work_order_id", &in->work_order_id) &&
           api_query_bool(c, "mine", &in->mine) && api_query_page(c, &in->limit, &in->offset);
}

void h_movements_list(struct api_ctx *c)
{
    struct mlist_ctx x = {.c = c};
    if (!mlist_parse(c, &x.in) || !api_read_or_reply(c, mlist_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.n,
                                         .item = mlist_item,
                                         .arg = &x,
                                         .has_total = true,
                                         .total = x.total,
                                         .limit = x.in.limit,
                                         .has_offset = true,
                                         .offset = x.in.offset});
}

static const struct col move_cols[] = {
    {"kind", F_ENUM, COL_REQUIRED, 0, stock_kind_names, 0, 0, NULL},
    {"part_id", F_INT, COL_REQUIRED, 0, NULL, 1, 9e15, NULL},
    {"qty", F_INT, COL_REQUIRED, 0, NULL, 1, 1000000, NULL},
    {"from_location_id", F_INT, COL_NULLABLE, 0, NULL, 1, 9e15, NULL},
    {"to_location_id", F_INT, COL_NULLABLE, 0, NULL, 1, 9e15, NULL},
    {"work_order_id", F_INT, COL_NULLABLE, 0, NULL, 1, 9e15, NULL},
    {"note", F_TEXT, 0, 500, NULL, 0, 0, NULL},
};

struct move_ctx {
    struct api_ctx *c;
    struct movement_in in;
    struct movement_row out;
};

static enum sh_code move_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct move_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_stock_move(&u, &x->in, &x->out, e);
}

static int64_t iv(const struct fval *v)
{
    return v->present && !v->is_null ? v->i : 0;
}

void h_movement_create(struct api_ctx *c)
{
    enum { NC = sizeof(move_cols) / sizeof(move_cols[0]) };
    struct move_ctx x = {.c = c};
    struct fval v[NC];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, move_cols, NC, false, v, NULL,
                         &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in = (struct movement_in){.kind = fv(&v[0]),
                                .part_id = iv(&v[1]),
                                .qty = iv(&v[2]),
                                .from_location_id = iv(&v[3]),
                                .to_location_id = iv(&v[4]),
                                .work_order_id = iv(&v[5]),
                                .note = fv(&v[6]) ? fv(&v[6]) : ""};
    if (!api_write_or_reply(c, move_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    movement_render(&w, &x.out);
    api_reply_jw(c, 201, &b, &w);
}
