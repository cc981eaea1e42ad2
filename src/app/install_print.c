/* SPDX-License-Identifier: MIT */
/* The acceptance (F-24) and training record (F-25) as Chinese PDFs, drawn by the service
 * report's renderer (docs/report_pdf.h) from the frozen snapshot and the signature. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/i18n.h"
#include "app/install_projects.h"
#include "app/report_doc.h"
#include "app/service_reports.h"
#include "docs/report_pdf.h"

enum sh_code uc_install_print(const struct uc *u, int64_t id, const char *kind,
                              struct ip_print *out, struct sh_err *e)
{
    struct ip_view v;
    enum sh_code rc = uc_install_project_load(u, id, &v, e);
    if (rc)
        return rc;
    const struct ip_signoff *s = !strcmp(kind, "acceptance") ? &v.acceptance : &v.training;
    if (!s->present) {
        sh_err_set(e, SH_NOT_FOUND, "project %s has no signed %s", v.row.number, kind);
        return sh_err_reason_str1(e, "unknown_reference", "kind", kind);
    }
    *out = (struct ip_print){kind,         v.row.number, s->snapshot,        s->signer_name,
                             s->signed_at, s->comment,   s->signature_sha256};
    return uc_audit(u, "installation_project", id, "print", NULL,
                    sh_arena_printf(u->a, "{\"kind\":\"%s\"}", kind), e);
}

struct bld {
    const struct app *app;
    const char *lang;
    struct sh_arena *a;
};

static const char *L(const struct bld *b, const char *key, const char *fb)
{
    return i18n_label(b->app, b->lang, key, fb);
}

static const char *S(const struct bld *b, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? sh_arena_strdup(b->a, json_string_value(v)) : "";
}

static void units_table(const struct bld *b, json_t *snap, struct rpdf_table *t)
{
    json_t *units = json_object_get(snap, "units");
    size_t n = json_array_size(units);
    const char **cells = sh_arena_alloc(b->a, sizeof(*cells) * (n * 2 + 1));
    for (size_t i = 0; i < n; i++) {
        cells[i * 2] = S(b, json_array_get(units, i), "serial_no");
        cells[i * 2 + 1] = S(b, json_array_get(units, i), "model");
    }
    *t = (struct rpdf_table){
        .title = L(b, "install.pdf.units", "Units installed"),
        .ncols = 2,
        .head = {L(b, "install.pdf.serial", "Serial number"), L(b, "install.pdf.model", "Model")},
        .cells = cells,
        .nrows = (int)n,
        .empty = "—"};
}

static void trainees_table(const struct bld *b, json_t *snap, struct rpdf_table *t)
{
    json_t *tr = json_object_get(snap, "trainees");
    size_t n = json_array_size(tr);
    const char **cells = sh_arena_alloc(b->a, sizeof(*cells) * (n * 3 + 1));
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(tr, i);
        cells[i * 3] = S(b, x, "name");
        cells[i * 3 + 1] = S(b, x, "position");
        cells[i * 3 + 2] = json_is_true(json_object_get(x, "chargeable"))
                               ? L(b, "install.pdf.chargeable", "chargeable")
                               : L(b, "install.pdf.free", "free");
    }
    *t = (struct rpdf_table){.title = L(b, "install.pdf.trainees", "Trainees"),
                             .ncols = 3,
                             .head = {L(b, "install.pdf.trainee", "Name"),
                                      L(b, "install.pdf.position", "Position"),
                                      L(b, "install.pdf.seat", "Seat")},
                             .cells = cells,
                             .nrows = (int)n,
                             .empty = "—"};
}

static const char *topics_text(const struct bld *b, json_t *snap)
{
    json_t *tp = json_object_get(snap, "topics");
    const char *s = "";
    for (size_t i = 0; i < json_array_size(tp); i++)
        s = sh_arena_printf(b->a, "%s%s%zu. %s", s, i ? "\n" : "", i + 1,
                            json_string_value(json_array_get(tp, i))
                                ? json_string_value(json_array_get(tp, i))
                                : "");
    return s;
}

static void build(const struct bld *b, const struct ip_print *p, json_t *snap, struct rpdf_doc *d)
{
    bool acc = !strcmp(p->kind, "acceptance");
    struct rpdf_field *f = sh_arena_alloc(b->a, sizeof(*f) * 6);
    int nf = 0;
    f[nf++] = (struct rpdf_field){L(b, "install.pdf.project", "Project"), p->number};
    f[nf++] = (struct rpdf_field){L(b, "install.pdf.customer", "Customer"), S(b, snap, "customer")};
    f[nf++] = (struct rpdf_field){L(b, "install.pdf.site", "Site"), S(b, snap, "site")};
    f[nf++] = (struct rpdf_field){L(b, "install.pdf.contract", "Contract"), S(b, snap, "contract")};
    f[nf++] = (struct rpdf_field){L(b, "install.pdf.date", "Date"), S(b, snap, "date")};
    if (acc)
        f[nf++] = (struct rpdf_field){L(b, "install.pdf.result", "Result"),
                                      L(b, "install.pdf.passed", "Accepted")};
    struct rpdf_table *t = sh_arena_alloc(b->a, sizeof(*t) * 2);
    units_table(b, snap, &t[0]);
    if (!acc)
        trainees_table(b, snap, &t[1]);
    struct rpdf_text *x = sh_arena_alloc(b->a, sizeof(*x) * 2);
    int nx = 0;
    if (!acc)
        x[nx++] = (struct rpdf_text){L(b, "install.pdf.topics", "Topics"), topics_text(b, snap)};
    if (p->comment && *p->comment)
        x[nx++] = (struct rpdf_text){L(b, "install.pdf.comment", "Customer's comment"), p->comment};
    struct rpdf_field *sf = sh_arena_alloc(b->a, sizeof(*sf) * 2);
    sf[0] = (struct rpdf_field){L(b, "install.pdf.signer", "Signed by"), p->signer_name};
    sf[1] = (struct rpdf_field){L(b, "install.pdf.signed_at", "Signed at"),
                                report_local_time(b->a, p->signed_at)};
    *d = (struct rpdf_doc){
        .company = L(b, "report.pdf.company", "After-sales service"),
        .title = acc ? L(b, "install.pdf.acceptance", "Project acceptance")
                     : L(b, "install.pdf.training", "Training confirmation"),
        .subtitle = p->number,
        .fields = f,
        .nfields = nf,
        .texts = x,
        .ntexts = nx,
        .tables = t,
        .ntables = acc ? 1 : 2,
        .sign_title = L(b, "install.pdf.signature", "Customer project lead's signature"),
        .sign_fields = sf,
        .nsign_fields = 2,
        .page_label = L(b, "report.pdf.page", "Page {page} of {pages}"),
    };
}

enum sh_code install_pdf_doc(const struct app *app, const char *lang, struct sh_arena *a,
                             const struct ip_print *p, struct rpdf_doc *d, struct sh_err *e)
{
    void *png = NULL;
    size_t n = 0;
    enum sh_code rc = report_read_signature(app->data_dir, p->signature_sha256, a, &png, &n, e);
    if (rc)
        return rc;
    json_t *snap = json_loads(p->snapshot, 0, NULL);
    if (!json_is_object(snap)) {
        json_decref(snap);
        return sh_err_set(e, SH_INTERNAL, "the signed form's snapshot is damaged");
    }
    struct bld b = {app, lang, a};
    build(&b, p, snap, d);
    d->signature = png;
    d->signature_len = n;
    json_decref(snap);
    return SH_OK;
}
