/* SPDX-License-Identifier: MIT */
/* GET /api/v1/account?customer_id=&open=&limit=&offset=&format= (docs/charges.md "Account
 * statement"): a payer's parts of charges, its payments and its totals; format=csv or xlsx
 * gives every line as a file (对账单). A customer or dealer account reads its own
 * (customer_id absent or its own); the readers of charges name the customer record. Parse,
 * call (app/account.c), render. */
#include "api/export.h"
#include "api/handlers.h"
#include "api/reports.h"
#include "app/account.h"

#define ACCOUNT_FILE_LINES 10000 /* a file's lines at most (newest first) */

/* headers field.account_statement.<col>, file account-<date> */
static const struct col file_cols[] = {
    {"charged_on", F_DATE, 0, 0, NULL, 0, 0, NULL},
    {"ticket_number", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"description", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"category", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"payer", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"part_fen", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"paid_fen", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"open_fen", F_MONEY, 0, 0, NULL, 0, 0, NULL},
    {"state", F_STR, 0, 0, NULL, 0, 0, NULL},
    {"invoice_no", F_STR, 0, 0, NULL, 0, 0, NULL},
};

static const struct entity file_ent = {
    .name = "account_statement",
    .table = "account",
    .cols = file_cols,
    .ncols = NCOLS(file_cols),
};

struct account_ctx {
    struct api_ctx *c;
    struct account_in in;
    struct account_out out;
};

static enum sh_code account_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct account_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_account_statement(&u, &x->in, &x->out, e);
}

static void line_render(struct jw *w, const struct account_line *l)
{
    jw_obj_begin(w);
    jw_kint(w, "charge_id", l->charge_id);
    jw_kstr(w, "payer", l->payer);
    jw_kstr(w, "owner_kind", l->owner_kind);
    jw_kint(w, "owner_id", l->owner_id);
    jw_kid(w, "ticket_id", l->ticket_id);
    jw_kstr(w, "ticket_number", l->ticket_number);
    jw_kstr(w, "category", l->category);
    jw_kstr(w, "description", l->description);
    jw_kstr(w, "charged_on", l->charged_on);
    jw_kstr(w, "invoice_no", l->invoice_no);
    jw_kint(w, "part_fen", l->part_fen);
    jw_kint(w, "paid_fen", l->paid_fen);
    jw_kint(w, "open_fen", l->part_fen - l->paid_fen);
    jw_kstr(w, "state", account_line_state(l));
    jw_obj_end(w);
}

static void payment_render(struct jw *w, const struct account_payment *p)
{
    jw_obj_begin(w);
    jw_kint(w, "id", p->id);
    jw_kint(w, "charge_id", p->charge_id);
    jw_kstr(w, "payer", p->payer);
    jw_kint(w, "amount_fen", p->amount_fen);
    jw_kstr(w, "paid_on", p->paid_on);
    jw_kstr(w, "method", p->method);
    jw_kstr(w, "reference", p->reference);
    jw_kstr(w, "description", p->description);
    jw_obj_end(w);
}

static void render(struct jw *w, const struct account_ctx *x)
{
    const struct account_out *o = &x->out;
    jw_obj_begin(w);
    jw_kint(w, "customer_id", o->party_id);
    jw_kstr(w, "customer_name", o->party_name);
    jw_kint(w, "owed_fen", o->owed_fen);
    jw_kint(w, "credit_fen", o->credit_fen);
    jw_kint(w, "balance_fen", o->owed_fen - o->credit_fen);
    jw_kint(w, "paid_fen", o->paid_fen);
    jw_key(w, "lines");
    jw_obj_begin(w);
    jw_key(w, "items");
    jw_arr_begin(w);
    for (int i = 0; i < o->n; i++)
        line_render(w, &o->lines[i]);
    jw_arr_end(w);
    jw_kint(w, "total", o->total);
    jw_kint(w, "limit", x->in.limit);
    jw_kint(w, "offset", x->in.offset);
    jw_obj_end(w);
    jw_key(w, "payments");
    jw_arr_begin(w);
    for (int i = 0; i < o->npayments; i++)
        payment_render(w, &o->payments[i]);
    jw_arr_end(w);
    jw_obj_end(w);
}

/* One line of the file, its codes in the reader's language. */
static void file_row(struct api_ctx *c, struct db_rows *rows, int i, const struct account_line *l)
{
    const char *lang = export_lang(c);
    const char *cells[] = {
        l->charged_on,
        l->ticket_number ? l->ticket_number : "",
        l->description,
        i18n_label(c->app, lang, sh_arena_printf(c->a, "enum.category.%s", l->category),
                   l->category),
        i18n_label(c->app, lang, sh_arena_printf(c->a, "enum.payer.%s", l->payer), l->payer),
        sh_arena_printf(c->a, "%lld", (long long)l->part_fen),
        sh_arena_printf(c->a, "%lld", (long long)l->paid_fen),
        sh_arena_printf(c->a, "%lld", (long long)(l->part_fen - l->paid_fen)),
        i18n_label(c->app, lang,
                   sh_arena_printf(c->a, "charge.own.state.%s", account_line_state(l)),
                   account_line_state(l)),
        l->invoice_no ? l->invoice_no : "",
    };
    for (int j = 0; j < (int)NCOLS(file_cols); j++)
        report_cell(rows, i, j, cells[j]);
}

static void file_answer(struct api_ctx *c, const struct account_ctx *x, const char *format)
{
    struct db_rows rows;
    report_rows_init(c, &file_ent, x->out.n, &rows);
    for (int i = 0; i < x->out.n; i++)
        file_row(c, &rows, i, &x->out.lines[i]);
    report_export(c, &file_ent, format, &rows);
}

void h_account(struct api_ctx *c)
{
    struct account_ctx x = {.c = c};
    const char *format;
    if (!api_query_id(c, "customer_id", &x.in.party_id) ||
        !api_query_bool(c, "open", &x.in.open_only) ||
        !api_query_page(c, &x.in.limit, &x.in.offset) || !report_format_parse(c, &format))
        return;
    if (format) {
        x.in.limit = ACCOUNT_FILE_LINES;
        x.in.offset = 0;
    }
    if (!api_read_or_reply(c, account_run, &x))
        return;
    if (format) {
        file_answer(c, &x, format);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    render(&w, &x);
    if (jw_finish(&w) == SH_OK)
        api_reply_json(c, 200, &b);
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "response too large: lower 'limit'");
    sh_buf_release(&b);
}
