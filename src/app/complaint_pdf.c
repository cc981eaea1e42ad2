/* SPDX-License-Identifier: MIT */
/* The complaint/return notice (客户抱怨(退货)通知单, F-11) as a Chinese PDF, laid out after
 * the form's fields — channel, sample received, the complaint, the return request, the
 * handling departments and the result — on the service report's renderer
 * (docs/report_pdf.h). A customer gets the notice without the internal analysis. */
#include "app/complaint_pdf.h"

#include <inttypes.h>
#include <string.h>

#include "app/i18n.h"
#include "app/report_doc.h"
#include "docs/report_pdf.h"
#include "domain/fees.h"

struct cpdf {
    const struct app *app;
    struct sh_arena *a;
    const char *lang;
    const struct db_rows *r;
};

static const char *L(const struct cpdf *p, const char *key, const char *fb)
{
    return i18n_label(p->app, p->lang, key, fb);
}

static const char *V(const struct cpdf *p, const char *col)
{
    const char *s = db_get(p->r, 0, col);
    return s ? s : "";
}

/* A column's label (field.complaint.<col>). */
static const char *F(const struct cpdf *p, const char *col)
{
    return L(p, sh_arena_printf(p->a, "field.complaint.%s", col), col);
}

/* A code as its label (cmpl.<group>.<code>); "" for none. */
static const char *C(const struct cpdf *p, const char *group, const char *col)
{
    const char *v = V(p, col);
    return *v ? L(p, sh_arena_printf(p->a, "cmpl.%s.%s", group, v), v) : "";
}

static const char *money(const struct cpdf *p, const char *col)
{
    const char *v = db_get(p->r, 0, col);
    if (!v)
        return NULL;
    char s[32];
    fee_fen_format(db_get_int(p->r, 0, col, 0), s);
    return sh_arena_printf(p->a, "¥%s", s);
}

#define NF 13

static int fields(const struct cpdf *p, bool external, struct rpdf_field *f)
{
    struct sh_arena *a = p->a;
    const char *model = V(p, "model_name"), *product = V(p, "product");
    const char *sample = db_get_int(p->r, 0, "sample_received", 0)
                             ? (*V(p, "sample_received_on") ? V(p, "sample_received_on") : "✓")
                             : "—";
    const char *dec = C(p, "decision", "decision");
    const char *credit = money(p, "credit_fen"), *charge = money(p, "charge_fen");
    if (credit || charge)
        dec = sh_arena_printf(a, "%s %s", dec, credit ? credit : charge);
    int n = 0;
    f[n++] = (struct rpdf_field){F(p, "customer_id"), V(p, "customer_name")};
    f[n++] = (struct rpdf_field){F(p, "received_on"), V(p, "received_on")};
    f[n++] = (struct rpdf_field){F(p, "channel"), C(p, "channel", "channel")};
    f[n++] = (struct rpdf_field){F(p, "category"), C(p, "category", "category")};
    if (*model && *product && strcmp(model, product))
        model = sh_arena_printf(a, "%s %s", model, product);
    f[n++] = (struct rpdf_field){F(p, "product"), *model ? model : product};
    f[n++] = (struct rpdf_field){F(p, "batch"), V(p, "batch")};
    f[n++] = (struct rpdf_field){F(p, "quantity"), V(p, "quantity")};
    f[n++] = (struct rpdf_field){F(p, "request"), C(p, "request", "request")};
    f[n++] = (struct rpdf_field){F(p, "sample_received"), sample};
    f[n++] = (struct rpdf_field){F(p, "ticket_id"), V(p, "ticket_number")};
    f[n++] = (struct rpdf_field){F(p, "decision"), dec};
    if (!external) {
        f[n++] = (struct rpdf_field){F(p, "department_id"), V(p, "department_name")};
        f[n++] = (struct rpdf_field){F(p, "serious"), db_get_int(p->r, 0, "serious", 0)
                                                          ? L(p, "cmpl.serious", "serious")
                                                          : "—"};
    }
    return n;
}

static int texts(const struct cpdf *p, bool external, struct rpdf_text *t)
{
    int n = 0;
    t[n++] = (struct rpdf_text){F(p, "description"), V(p, "description")};
    t[n++] = (struct rpdf_text){F(p, "action_note"), V(p, "action_note")};
    if (external)
        return n;
    const char *cause = C(p, "cause", "cause_category");
    t[n++] = (struct rpdf_text){
        F(p, "cause_analysis"),
        *cause ? sh_arena_printf(p->a, "%s：%s", cause, V(p, "cause_analysis")) : ""};
    t[n++] = (struct rpdf_text){F(p, "corrective_action"), V(p, "corrective_action")};
    t[n++] = (struct rpdf_text){F(p, "verification"), V(p, "verification")};
    return n;
}

/* The handling departments (相关部门) and their acknowledgements. */
static void routes_table(const struct cpdf *p, const struct db_rows *r, struct rpdf_table *t)
{
    struct sh_arena *a = p->a;
    const char **cells = sh_arena_alloc(a, sizeof(char *) * 3 * (size_t)(r->nrows ? r->nrows : 1));
    for (int i = 0; i < r->nrows; i++) {
        const char *dept = db_get(r, i, "department_name"), *role = db_get(r, i, "role");
        const char *who = db_get(r, i, "acknowledged_name");
        cells[i * 3] = dept ? dept : "";
        cells[i * 3 + 1] = role ? L(p, sh_arena_printf(a, "role.%s", role), role) : "";
        cells[i * 3 + 2] =
            db_get(r, i, "acknowledged_at")
                ? sh_arena_printf(a, "%s %s", who ? who : "",
                                  report_local_time(a, db_get(r, i, "acknowledged_at")))
                : L(p, "cmpl.not_acked", "not acknowledged");
    }
    *t = (struct rpdf_table){
        .title = L(p, "cmpl.routes", "Routed to"),
        .ncols = 3,
        .head = {F(p, "department_id"), L(p, "cmpl.pdf.role", "Role"),
                 L(p, "cmpl.pdf.acknowledged", "Acknowledged")},
        .width = {2, 1.5, 3},
        .cells = cells,
        .nrows = r->nrows,
        .empty = L(p, "cmpl.pdf.not_routed", "not routed yet"),
    };
}

void complaint_pdf_doc(const struct app *app, struct sh_arena *a, const char *lang,
                       const struct complaint_view *v, struct rpdf_doc *d)
{
    struct cpdf p = {app, a, lang ? lang : "zh-CN", &v->row};
    const char *number = V(&p, "number");
    struct rpdf_field *f = sh_arena_alloc(a, sizeof(*f) * NF);
    struct rpdf_text *t = sh_arena_alloc(a, sizeof(*t) * 5);
    struct rpdf_table *tb = sh_arena_alloc(a, sizeof(*tb));
    routes_table(&p, &v->routes, tb);
    struct rpdf_field *sign = sh_arena_alloc(a, sizeof(*sign));
    sign[0] = (struct rpdf_field){L(&p, "cmpl.pdf.filed_at", "Filed at"),
                                  report_local_time(a, V(&p, "created_at"))};
    *d = (struct rpdf_doc){
        .company = L(&p, "report.pdf.company", "After-sales service"),
        .title = L(&p, "cmpl.print.title", "Customer complaint (return) notice"),
        .subtitle = sh_arena_printf(a, "%s · %s", number, C(&p, "state", "state")),
        .fields = f,
        .nfields = fields(&p, v->external, f),
        .texts = t,
        .ntexts = texts(&p, v->external, t),
        .tables = tb,
        .ntables = v->external ? 0 : 1,
        .sign_title = L(&p, "cmpl.print.sign", "Filed by / date"),
        .sign_fields = sign,
        .nsign_fields = 1,
        .unsigned_note = " ",
        .page_label = L(&p, "report.pdf.page", "Page {page} of {pages}"),
    };
}
