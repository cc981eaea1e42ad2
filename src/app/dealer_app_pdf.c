/* SPDX-License-Identifier: MIT */
/* The installation agreement (《工程部安装服务协议》, F-16) of a dealer's application as a
 * Chinese PDF, drawn by the service report's renderer (docs/report_pdf.h): the order, the
 * departure, the fee lines of the cabinet_install rule set with the version, the terms of
 * CAB 3.1.6 and 3.1.7, and the dealer's confirmation. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "app/dealer_apps.h"
#include "app/i18n.h"
#include "app/report_doc.h"
#include "docs/report_pdf.h"
#include "domain/fees.h"

struct bld {
    const struct app *app;
    struct sh_arena *a;
    const char *lang;
    const struct db_rows *r;
};

static const char *L(const struct bld *b, const char *key, const char *fb)
{
    return i18n_label(b->app, b->lang, key, fb);
}

static const char *G(const struct bld *b, const char *col)
{
    const char *s = db_get(b->r, 0, col);
    return s ? s : "";
}

static const char *yuan(const struct bld *b, const char *fen)
{
    char out[32];
    if (!fen || !*fen)
        return "";
    fee_fen_format(strtoll(fen, NULL, 10), out);
    return sh_arena_printf(b->a, "¥%s", out);
}

static void fee_table(const struct bld *b, json_t *calc, struct rpdf_table *t)
{
    json_t *lines = json_object_get(calc, "lines");
    size_t n = json_array_size(lines);
    const char **cells = sh_arena_alloc(b->a, sizeof(*cells) * (n * 3 + 1));
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_array_get(lines, i);
        const char *label = json_string_value(json_object_get(l, "label"));
        const char *formula = json_string_value(json_object_get(l, "formula"));
        json_t *amt = json_object_get(l, "amount_fen");
        bool applied = json_is_true(json_object_get(l, "applied"));
        cells[k * 3] = sh_arena_strdup(b->a, label ? label : "");
        cells[k * 3 + 1] = sh_arena_strdup(b->a, formula ? formula : "");
        cells[k * 3 + 2] =
            applied && json_is_integer(amt)
                ? yuan(b, sh_arena_printf(b->a, "%" JSON_INTEGER_FORMAT, json_integer_value(amt)))
                : L(b, "da.pdf.not_billed", "not billed");
        k++;
    }
    *t = (struct rpdf_table){
        .title = sh_arena_printf(
            b->a, "%s (%s v%" JSON_INTEGER_FORMAT ")", L(b, "da.pdf.fees", "Fees"), DAPP_FEE_SET,
            json_integer_value(json_object_get(json_object_get(calc, "version"), "number"))),
        .ncols = 3,
        .head = {L(b, "da.pdf.rule", "Rule"), L(b, "da.pdf.formula", "Formula"),
                 L(b, "da.pdf.amount", "Amount")},
        .width = {2, 4, 1.3},
        .cells = cells,
        .nrows = k,
        .foot = {L(b, "da.pdf.total", "Total"), "", yuan(b, G(b, "fee_fen"))},
    };
}

static void build(const struct bld *b, json_t *calc, struct rpdf_doc *d)
{
    struct sh_arena *a = b->a;
    static const char *const cols[] = {"project_name",   "project_ref",    "order_no",
                                       "series",         "sets",           "sample_order",
                                       "price_fen",      "appliances",     "accessories",
                                       "departure_date", "confirm_due_at", "site_address"};
    int nc = (int)(sizeof cols / sizeof cols[0]);
    struct rpdf_field *f = sh_arena_alloc(a, sizeof(*f) * (size_t)(nc + 1));
    f[0] = (struct rpdf_field){L(b, "field.dealer_application.dealer_id", "Dealer"),
                               G(b, "dealer_name")};
    for (int i = 0; i < nc; i++) {
        const char *v = G(b, cols[i]);
        if (!strcmp(cols[i], "price_fen"))
            v = yuan(b, v);
        else if (!strcmp(cols[i], "sample_order"))
            v = L(b, !strcmp(v, "1") ? "da.pdf.yes" : "da.pdf.no", v);
        else if (!strcmp(cols[i], "confirm_due_at"))
            v = report_local_time(a, v);
        f[i + 1] = (struct rpdf_field){
            L(b, sh_arena_printf(a, "field.dealer_application.%s", cols[i]), cols[i]), v};
    }
    struct rpdf_table *t = sh_arena_alloc(a, sizeof(*t));
    fee_table(b, calc, t);
    struct rpdf_text *x = sh_arena_alloc(a, sizeof(*x));
    x[0] = (struct rpdf_text){L(b, "da.pdf.terms_title", "Terms"),
                              L(b, "da.pdf.terms", "Confirm one working day before departure.")};
    struct rpdf_field *sf = sh_arena_alloc(a, sizeof(*sf));
    sf[0] = (struct rpdf_field){L(b, "field.dealer_application.confirmed_at", "Confirmed at"),
                                report_local_time(a, G(b, "confirmed_at"))};
    *d = (struct rpdf_doc){
        .company = L(b, "report.pdf.company", "After-sales service"),
        .title = L(b, "da.pdf.title", "Installation service agreement"),
        .subtitle = sh_arena_printf(a, "%s · %s", G(b, "order_no"), G(b, "project_name")),
        .fields = f,
        .nfields = nc + 1,
        .texts = x,
        .ntexts = 1,
        .tables = t,
        .ntables = 1,
        .sign_title = L(b, "da.pdf.sign", "The dealer's confirmation"),
        .sign_fields = sf,
        .nsign_fields = 1,
        .unsigned_note = L(b, "da.pdf.unconfirmed", "Not confirmed yet"),
        .page_label = L(b, "report.pdf.page", "Page {page} of {pages}"),
    };
}

enum sh_code uc_dealer_app_agreement(const struct uc *u, int64_t id, struct db_rows *out,
                                     struct sh_err *e)
{
    enum sh_code rc = uc_ent_get(u, &ent_dealer_applications, id, "dealer", out, e);
    if (rc)
        return rc;
    const char *sent = db_get(out, 0, "agreement_sent_at");
    if (!sent || !*sent) {
        sh_err_set(e, SH_NOT_FOUND, "application %" PRId64 " has no agreement yet", id);
        return sh_err_reason(e, "unknown_reference", NULL);
    }
    return SH_OK;
}

void dealer_app_agreement_doc(const struct app *app, struct sh_arena *a, const char *lang,
                              const struct db_rows *r, struct rpdf_doc *d)
{
    json_t *calc = json_loads(db_get(r, 0, "fee_lines"), 0, NULL);
    struct bld b = {app, a, lang, r};
    build(&b, calc, d);
    json_decref(calc);
}
