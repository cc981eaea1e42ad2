/* SPDX-License-Identifier: MIT */
/* A quote as JSON and as a Chinese PDF (the service report's renderer, docs/report_pdf.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/i18n.h"
#include "app/quote_int.h"
#include "app/report_doc.h"
#include "docs/report_pdf.h"
#include "domain/fees.h"

static void kid(struct jw *w, const char *k, int64_t v)
{
    if (v)
        jw_kint(w, k, v);
    else
        jw_knull(w, k);
}

static void render_line(struct jw *w, const struct quote_line_row *l)
{
    jw_obj_begin(w);
    jw_kint(w, "pos", l->pos);
    jw_kstr(w, "kind", l->kind);
    jw_kstr(w, "code", l->code);
    jw_kstr(w, "name", l->name);
    char q[32];
    fee_fen_format(l->qty_centi, q); /* hundredths as a decimal */
    bool part = !strcmp(l->kind, "part"), labour = !strcmp(l->kind, "labour");
    bool travel = !strcmp(l->kind, "travel");
    if (part || labour || travel) {
        jw_kstr(w, part ? "quantity" : labour ? "hours" : "days", q);
        jw_kint(w, part ? "unit_fen" : "rate_fen", l->rate_fen);
    }
    if (travel)
        jw_kint(w, "transport_fen", l->extra_fen);
    jw_kint(w, "amount_fen", l->amount_fen);
    jw_kstr(w, "price_source", l->price_source);
    if (!strcmp(l->kind, "fee")) {
        kid(w, "fee_version_id", l->fee_version_id);
        jw_key(w, "fee");
        if (l->detail && *l->detail)
            jw_raw(w, l->detail);
        else
            jw_null(w);
    }
    jw_obj_end(w);
}

void quote_render(struct jw *w, const struct quote_row *q, bool public_view)
{
    jw_obj_begin(w);
    jw_kint(w, "id", q->id);
    jw_kstr(w, "number", q->number);
    jw_kint(w, "revision", q->revision);
    jw_kstr(w, "status", q->status);
    jw_kstr(w, "ticket_number", q->ticket_number);
    jw_kstr(w, "customer_name", q->customer_name);
    jw_kint(w, "total_fen", q->total_fen);
    jw_kstr(w, "valid_until", q->valid_until);
    jw_kstr(w, "note", q->note);
    jw_kstr(w, "sent_at", q->sent_at);
    jw_kstr(w, "decided_at", q->decided_at);
    jw_kstr(w, "decision_channel", q->decision_channel);
    if (!public_view) {
        jw_kint(w, "ticket_id", q->ticket_id);
        kid(w, "work_order_id", q->work_order_id);
        kid(w, "customer_id", q->customer_id);
        kid(w, "previous_id", q->previous_id);
        kid(w, "approval_id", q->approval_id);
        jw_kstr(w, "approval_status", q->approval_status);
        jw_kstr(w, "link_expires_at", q->link_expires_at);
        jw_kstr(w, "decision_note", q->decision_note);
        kid(w, "decided_by", q->decided_by);
        kid(w, "created_by", q->created_by);
        jw_kstr(w, "created_at", q->created_at);
        jw_kstr(w, "updated_at", q->updated_at);
        jw_kint(w, "version", q->version);
    }
    jw_key(w, "lines");
    jw_arr_begin(w);
    for (int i = 0; i < q->nlines; i++)
        render_line(w, &q->lines[i]);
    jw_arr_end(w);
    jw_obj_end(w);
}

/* ---- the PDF ---- */

struct qp {
    const struct app *app;
    struct sh_arena *a;
};

static const char *L(const struct qp *u, const char *key, const char *fb)
{
    return i18n_label(u->app, "zh-CN", key, fb);
}

static const char *yuan(struct sh_arena *a, int64_t fen)
{
    char s[32];
    fee_fen_format(fen, s);
    return sh_arena_printf(a, "¥%s", s);
}

/* One row: item, quantity × price, amount. */
static void line_cells(const struct qp *u, const struct quote_line_row *l, const char **c)
{
    char q[32];
    fee_fen_format(l->qty_centi, q);
    const char *kind = L(u, sh_arena_printf(u->a, "quote.kind.%s", l->kind), l->kind);
    c[0] = kind;
    /* a catalogue part by its code and name; a fee line's code is its rule set's, internal
     * (at_cost: review 71 #5), so the rest by name (views/common.js quoteLineItem) */
    c[1] = !strcmp(l->kind, "part") && *l->code ? sh_arena_printf(u->a, "%s %s", l->code, l->name)
                                                : l->name;
    if (!strcmp(l->kind, "fee"))
        c[2] = L(u, "quote.pdf.by_rule", "by the fee rules");
    else if (!strcmp(l->kind, "travel"))
        c[2] = sh_arena_printf(u->a, "%s × %s + %s", q, yuan(u->a, l->rate_fen),
                               yuan(u->a, l->extra_fen));
    else
        c[2] = sh_arena_printf(u->a, "%s × %s", q, yuan(u->a, l->rate_fen));
    c[3] = yuan(u->a, l->amount_fen);
}

/* RULE WF-20, R-106 (docs/quotes.md "The PDF"): a decided quote's 客户确认 box records the
 * decision: what (the box's text), how (the channel), when (Beijing time), who recorded it (a
 * portal user or the agent who was told; a link has nobody signed in) and the customer's words.
 * An undecided one keeps the request to confirm. */
static void decision_box(const struct qp *u, const struct quote_pdf *p, const char **note,
                         struct rpdf_field *f, int *n)
{
    const struct quote_row *q = p->q;
    bool acc = !strcmp(q->status, "accepted");
    *n = 0;
    *note = L(u, "quote.pdf.sign_note", "Accept on the link or tell us");
    if (!q->decided_at || !*q->decided_at || (!acc && strcmp(q->status, "rejected")))
        return;
    *note = acc ? L(u, "quote.pdf.decided.accepted", "The customer accepted this quote")
                : L(u, "quote.pdf.decided.rejected", "The customer declined this quote");
    const char *ch = q->decision_channel ? q->decision_channel : "";
    f[(*n)++] = (struct rpdf_field){L(u, "quote.pdf.decided.channel", "How"),
                                    L(u, sh_arena_printf(u->a, "quote.channel.%s", ch), ch)};
    f[(*n)++] = (struct rpdf_field){L(u, "quote.pdf.decided.at", "When"),
                                    report_local_time(u->a, q->decided_at)};
    if (p->decided_by_name)
        f[(*n)++] =
            (struct rpdf_field){L(u, "quote.pdf.decided.by", "Recorded by"), p->decided_by_name};
    if (q->decision_note && *q->decision_note)
        f[(*n)++] = (struct rpdf_field){L(u, "quote.pdf.decided.note", "The customer's words"),
                                        q->decision_note};
}

/* RULE review 69 L6: a quote's PDF is made once per version (and the names it shows); the
 * link's anonymous readers and the staff get the kept copy (docs/doc_gate.h) */
enum sh_code quote_pdf_load(const struct uc *u, const struct quote_row *q, struct quote_pdf *out,
                            struct sh_err *e)
{
    *out = (struct quote_pdf){.q = q};
    out->cache_key = sh_arena_printf(u->a, "quote:%" PRId64 ":%" PRId64 ":%s:%s", q->id, q->version,
                                     q->customer_name ? q->customer_name : "",
                                     q->ticket_number ? q->ticket_number : "");
    if (!q->decided_by)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT COALESCE(NULLIF(display_name, ''), username) AS name "
                               "FROM users WHERE id = $1",
                               DB_P(DB_INT(q->decided_by)), &r, e);
    if (!rc && r.nrows)
        out->decided_by_name = db_get(&r, 0, "name");
    return rc;
}

void quote_pdf_doc(const struct app *app, struct sh_arena *a, const struct quote_pdf *p,
                   struct rpdf_doc *d)
{
    const struct qp qp = {app, a}, *u = &qp;
    const struct quote_row *q = p->q;
    const char **cells =
        sh_arena_alloc(a, sizeof(char *) * 4 * (size_t)(q->nlines ? q->nlines : 1));
    for (int i = 0; i < q->nlines; i++)
        line_cells(u, &q->lines[i], &cells[i * 4]);
    struct rpdf_table *t = sh_arena_alloc(a, sizeof *t);
    *t = (struct rpdf_table){
        .title = L(u, "quote.pdf.lines", "Lines"),
        .ncols = 4,
        .head = {L(u, "quote.pdf.col.kind", "Kind"), L(u, "quote.pdf.col.item", "Item"),
                 L(u, "quote.pdf.col.calc", "Quantity × price"),
                 L(u, "quote.pdf.col.amount", "Amount")},
        .width = {1, 3.5, 2.5, 1.5},
        .cells = cells,
        .nrows = q->nlines,
        .empty = "-",
        .foot = {L(u, "quote.pdf.total", "Total"), "", "", yuan(a, q->total_fen)},
    };
    struct rpdf_field *f = sh_arena_alloc(a, sizeof(*f) * 5);
    f[0] = (struct rpdf_field){L(u, "quote.pdf.customer", "Customer"), q->customer_name};
    f[1] = (struct rpdf_field){L(u, "quote.pdf.ticket", "Ticket"), q->ticket_number};
    f[2] = (struct rpdf_field){L(u, "quote.pdf.valid_until", "Valid until"), q->valid_until};
    f[3] = (struct rpdf_field){L(u, "quote.pdf.total", "Total"), yuan(a, q->total_fen)};
    f[4] = (struct rpdf_field){L(u, "quote.pdf.status", "Status"),
                               L(u, sh_arena_printf(a, "quote.status.%s", q->status), q->status)};
    struct rpdf_text *x = sh_arena_alloc(a, sizeof(*x) * 2);
    int nx = 0;
    if (q->note && *q->note)
        x[nx++] = (struct rpdf_text){L(u, "quote.pdf.note", "Note"), q->note};
    x[nx++] = (struct rpdf_text){L(u, "quote.pdf.terms_title", "Terms"),
                                 L(u, "quote.pdf.terms", "Prices from the unified price list.")};
    struct rpdf_field *sf = sh_arena_alloc(a, sizeof(*sf) * 4);
    const char *sign_note;
    int nsf;
    decision_box(u, p, &sign_note, sf, &nsf);
    *d = (struct rpdf_doc){
        .company = L(u, "report.pdf.company", "After-sales service"),
        .title = L(u, "quote.pdf.title", "Quote"),
        .subtitle = sh_arena_printf(a, "%s · %s %" PRId64, q->number,
                                    L(u, "quote.pdf.revision", "revision"), q->revision),
        .fields = f,
        .nfields = 5,
        .texts = x,
        .ntexts = nx,
        .tables = t,
        .ntables = 1,
        .sign_title = L(u, "quote.pdf.sign", "Customer's confirmation"),
        .unsigned_note = sign_note,
        .sign_fields = sf,
        .nsign_fields = nsf,
        .page_label = L(u, "report.pdf.page", "Page {page} of {pages}"),
    };
}
