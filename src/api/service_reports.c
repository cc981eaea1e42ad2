/* SPDX-License-Identifier: MIT */
/* The service report of a work order (issue 11 item 5, F-09): the customer's signature
 * (POST /work-orders/{id}/signature), the versions (GET /work-orders/{id}/reports) and the PDF
 * (GET /work-orders/{id}/report.pdf[?version=n][&lang=en]). Parse, call the use cases of
 * app/service_reports.c, render. */
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/export.h"
#include "api/pdf.h"
#include "api/handlers.h"
#include "api/work_orders.h"
#include "app/service_reports.h"

/* the body's limit (1 MiB): a larger PNG is refused by its size in bytes (413), not by the
 * length of its base64 */
#define IMAGE_B64_MAX (1 << 20)

static const struct col sign_cols[] = {
    {"signer_name", F_STR, COL_REQUIRED, REPORT_SIGNER_MAX, NULL, 0, 0, NULL},
    {"image_png_base64", F_TEXT, COL_REQUIRED, IMAGE_B64_MAX, NULL, 0, 0, NULL},
    {"comment", F_TEXT, 0, REPORT_COMMENT_MAX, NULL, 0, 0, NULL},
    {"content_sha256", F_STR, 0, 64, NULL, 0, 0, NULL},
};
enum { S_SIGNER, S_IMAGE, S_COMMENT, S_CONTENT, S_COUNT };

struct sign_ctx {
    struct api_ctx *c;
    struct report_sign_in in;
    struct sr_row out;
};

static enum sh_code sign_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct sign_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    return uc_report_sign(&u, &x->in, &x->out, e);
}

/* The PNG from base64, with or without a data:image/png;base64, prefix (what a canvas's
 * toDataURL gives). */
static bool decode_image(struct api_ctx *c, const char *b64, struct report_sign_in *in,
                         struct sh_err *e)
{
    const char *comma = strncmp(b64, "data:", 5) ? NULL : strchr(b64, ',');
    if (comma)
        b64 = comma + 1;
    size_t n = strlen(b64), len = 0;
    unsigned char *bin = sh_arena_alloc(c->a, n / 4 * 3 + 3);
    if (!bin || sodium_base642bin(bin, n / 4 * 3 + 3, b64, n, " \r\n", &len, NULL,
                                  sodium_base64_VARIANT_ORIGINAL)) {
        sh_err_field(e, SH_INVALID, "image_png_base64", "'image_png_base64' is not base64");
        sh_err_reason(e, "invalid_format", "{\"format\":\"base64\"}");
        return false;
    }
    in->png = bin;
    in->png_len = len;
    return true;
}

static void sign_reply(struct api_ctx *c, const struct sr_row *r)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "work_order_id", r->work_order_id);
    jw_kint(&w, "ticket_id", r->ticket_id);
    jw_kint(&w, "version", r->version);
    jw_kbool(&w, "signed", true);
    jw_kstr(&w, "signer_name", r->signer_name);
    jw_kstr(&w, "signed_at", r->signed_at);
    jw_kstr(&w, "customer_comment", r->customer_comment);
    jw_kstr(&w, "signature_sha256", r->signature_sha256);
    jw_kstr(&w, "pdf_url",
            sh_arena_printf(c->a, "/api/v1/work-orders/%" PRId64 "/report.pdf?version=%d",
                            r->work_order_id, r->version));
    jw_obj_end(&w);
    api_reply_jw(c, 201, &b, &w);
}

void h_wo_signature(struct api_ctx *c)
{
    struct sign_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.in.work_order_id))
        return;
    struct fval v[S_COUNT];
    struct sh_err e;
    sh_err_clear(&e);
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, sign_cols, S_COUNT, false, v,
                         NULL, &e) ||
        !decode_image(c, v[S_IMAGE].text, &x.in, &e)) {
        api_reply_err(c, &e);
        return;
    }
    x.in.signer_name = v[S_SIGNER].text;
    x.in.comment = v[S_COMMENT].present && !v[S_COMMENT].is_null ? v[S_COMMENT].text : NULL;
    x.in.content_sha256 = v[S_CONTENT].present && !v[S_CONTENT].is_null ? v[S_CONTENT].text : NULL;
    if (db_write(c->app->db, sign_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    sign_reply(c, &x.out);
}

/* ---- the versions ---- */

struct list_ctx {
    struct api_ctx *c;
    int64_t id;
    struct report_versions out;
};

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    return uc_report_list(&u, x->id, &x->out, e);
}

static void version_json(struct api_ctx *c, struct jw *w, int64_t wo,
                         const struct report_version *v)
{
    jw_obj_begin(w);
    jw_kint(w, "version", v->version);
    jw_kbool(w, "signed", v->is_signed);
    if (v->row) {
        jw_kstr(w, "signer_name", v->row->signer_name);
        jw_kstr(w, "signed_at", v->row->signed_at);
        jw_kstr(w, "customer_comment", v->row->customer_comment);
        if (v->row->signed_by)
            jw_kint(w, "signed_by", v->row->signed_by);
        else
            jw_knull(w, "signed_by");
        jw_kstr(w, "signed_by_name", v->row->signed_by_name);
        jw_kstr(w, "signature_sha256", v->row->signature_sha256);
        jw_kint(w, "signature_width", v->row->signature_width);
        jw_kint(w, "signature_height", v->row->signature_height);
        jw_kstr(w, "content_sha256", v->row->content_sha256);
    }
    jw_kstr(w, "pdf_url",
            sh_arena_printf(c->a, "/api/v1/work-orders/%" PRId64 "/report.pdf?version=%d", wo,
                            v->version));
    jw_obj_end(w);
}

/* What the customer is shown before signing (the signing sheet): the parts and the money of
 * the report as the work order is now, and the hash a signature of it sends back. */
static void current_json(struct jw *w, const struct report_versions *v)
{
    json_error_t je;
    json_t *snap = v->current_json ? json_loads(v->current_json, 0, &je) : NULL;
    if (!json_is_object(snap)) {
        json_decref(snap);
        return;
    }
    jw_key(w, "current");
    jw_obj_begin(w);
    jw_kstr(w, "content_sha256", v->current_sha256);
    static const char *const keys[] = {"parts", "charges", "quote"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
        char *raw = json_dumps(json_object_get(snap, keys[i]), JSON_ENCODE_ANY | JSON_COMPACT);
        jw_key(w, keys[i]);
        if (raw)
            jw_raw(w, raw);
        else
            jw_null(w);
        free(raw);
    }
    jw_obj_end(w);
    json_decref(snap);
}

void h_wo_reports(struct api_ctx *c)
{
    struct list_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, list_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_kint(&w, "work_order_id", x.out.work_order_id);
    jw_kint(&w, "ticket_id", x.out.ticket_id);
    jw_kbool(&w, "current_signed", x.out.current_signed);
    jw_kint(&w, "current_version", x.out.n ? x.out.items[x.out.n - 1].version : 0);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    for (int i = 0; i < x.out.n; i++)
        version_json(c, &w, x.out.work_order_id, &x.out.items[i]);
    jw_arr_end(&w);
    current_json(&w, &x.out);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}

/* ---- the PDF ---- */

struct print_ctx {
    struct api_pdf pdf; /* first: api/pdf.h */
    struct api_ctx *c;
    int64_t id;
    int version;
    struct report_print p;
};

/* a write: the print gives the ticket its status token and is audited */
static enum sh_code print_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct print_ctx *x = arg;
    const struct uc u = wo_uc(x->c, tx);
    enum sh_code rc = uc_report_print(&u, x->id, x->version, &x->p, e);
    if (!rc)
        x->pdf.filename = sh_arena_printf(x->c->a, "report-%s-v%d.pdf",
                                          x->p.number ? x->p.number : "wo", x->p.version);
    return rc;
}

static enum sh_code print_build(struct api_ctx *c, struct api_pdf *pdf, struct sh_err *e)
{
    const struct print_ctx *x = (const struct print_ctx *)pdf;
    return report_pdf_doc(c->app, export_lang(c), c->a, &x->p, &pdf->doc, e);
}

static bool parse_version(struct api_ctx *c, int *out)
{
    const char *s = http_query(c->req, "version");
    *out = 0;
    if (!s)
        return true;
    char *end;
    long v = strtol(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v < 1 || v > 100000) {
        api_reply_error(c, SH_INVALID, "version", "'version' must be a version number (1, 2, …)");
        return false;
    }
    *out = (int)v;
    return true;
}

void h_wo_report_pdf(struct api_ctx *c)
{
    static const struct api_pdf_route route = {
        .write = true, .load = print_run, .build = print_build};
    struct print_ctx x = {.c = c};
    if (api_param_id(c, 0, &x.id) && parse_version(c, &x.version))
        api_pdf_reply(c, &route, &x.pdf);
}
