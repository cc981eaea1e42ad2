/* SPDX-License-Identifier: MIT */
#include "app/service_reports.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/checklists.h"
#include "app/i18n.h"
#include "app/report_doc.h"
#include "app/report_snapshot.h"
#include "app/settings.h"
#include "app/ticket_attach.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "app/work_order_int.h"
#include "base/date.h"
#include "base/jw.h"
#include "docs/report_pdf.h"
#include "store/settings.h"

/* The self-check must pass before the customer's acceptance is asked. The same gate
 * stops a visit finishing as done (app/work_order_actions.c), so a work order done has passed
 * it and its report can be signed. */
static enum sh_code self_check(const struct uc *u, int64_t wo, struct sh_err *e)
{
    return uc_checklist_gate(u, wo, e);
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

static enum sh_code check_text(const struct report_sign_in *in, struct sh_err *e)
{
    if (!in->signer_name || blank(in->signer_name)) {
        sh_err_field(e, SH_INVALID, "signer_name", "the signer's name is required");
        return sh_err_reason(e, "required", NULL);
    }
    if (chars(in->signer_name) > REPORT_SIGNER_MAX) {
        sh_err_field(e, SH_INVALID, "signer_name", "at most %d characters", REPORT_SIGNER_MAX);
        return sh_err_reason(e, "too_long", "{\"max\":%d}", REPORT_SIGNER_MAX);
    }
    if (in->comment && chars(in->comment) > REPORT_COMMENT_MAX) {
        sh_err_field(e, SH_INVALID, "comment", "at most %d characters", REPORT_COMMENT_MAX);
        return sh_err_reason(e, "too_long", "{\"max\":%d}", REPORT_COMMENT_MAX);
    }
    return SH_OK;
}

/* A PNG by its signature and header, of a size a signature pad makes, that decodes. */
static enum sh_code check_png(const struct report_sign_in *in, int *w, int *h, struct sh_err *e)
{
    return report_check_png(in->png, in->png_len, w, h, e);
}

enum sh_code report_check_png(const void *png, size_t png_len, int *w, int *h, struct sh_err *e)
{
    if (!png || !png_len) {
        sh_err_field(e, SH_INVALID, "image_png_base64", "the signature image is required");
        return sh_err_reason(e, "required", NULL);
    }
    if (png_len > REPORT_SIGNATURE_MAX) {
        sh_err_field(e, SH_TOO_BIG, "image_png_base64", "the signature is limited to %u KB",
                     REPORT_SIGNATURE_MAX >> 10);
        return sh_err_reason(e, "too_large", "{\"max_bytes\":%u}", REPORT_SIGNATURE_MAX);
    }
    if (!rpdf_png_header(png, png_len, w, h)) {
        sh_err_field(e, SH_INVALID, "image_png_base64", "the signature must be a PNG image");
        return sh_err_reason(e, "invalid_format", "{\"format\":\"png\"}");
    }
    if (*w < REPORT_SIGNATURE_MIN_W || *h < REPORT_SIGNATURE_MIN_H || *w > REPORT_SIGNATURE_MAX_W ||
        *h > REPORT_SIGNATURE_MAX_H) {
        sh_err_field(e, SH_INVALID, "image_png_base64",
                     "the signature must be %d×%d to %d×%d pixels, not %d×%d",
                     REPORT_SIGNATURE_MIN_W, REPORT_SIGNATURE_MIN_H, REPORT_SIGNATURE_MAX_W,
                     REPORT_SIGNATURE_MAX_H, *w, *h);
        return sh_err_reason(e, "out_of_range", "{\"min\":\"%dx%d\",\"max\":\"%dx%d\"}",
                             REPORT_SIGNATURE_MIN_W, REPORT_SIGNATURE_MIN_H, REPORT_SIGNATURE_MAX_W,
                             REPORT_SIGNATURE_MAX_H);
    }
    if (!rpdf_png_decodes(png, png_len)) {
        sh_err_field(e, SH_INVALID, "image_png_base64", "the signature PNG is damaged");
        return sh_err_reason(e, "invalid_format", "{\"format\":\"png\"}");
    }
    return SH_OK;
}

/* The work order of a report as the caller may read it: staff through the work order's own
 * scope; a customer account the work orders of its own customer's tickets (review 2026-12-07
 * M3), 404 for any other. */
static enum sh_code report_wo(const struct uc *u, int64_t id, struct wo_view *v, struct sh_err *e)
{
    if (!principal_external(u->who))
        return uc_work_order_load(u, id, v, e);
    struct wo_row w;
    struct ticket_row t;
    enum sh_code rc = wo_get(u->tx, u->a, id, &w, e);
    if (!rc)
        rc = uc_ticket_load(u, w.ticket_id, &t, e);
    if (rc == SH_NOT_FOUND) {
        sh_err_clear(e);
        return sh_err_set(e, SH_NOT_FOUND, "work order %" PRId64 " not found", id);
    }
    return rc ? rc : wo_view_fill(u, &w, v, e);
}

/* The customer signs once the visit is there: on site, or finished. */
static enum sh_code signable(const struct wo_view *v, struct sh_err *e)
{
    static const char *const ok[] = {"on_site", "done", "not_fixed", "needs_factory", NULL};
    for (int i = 0; ok[i]; i++)
        if (v->row.status && !strcmp(v->row.status, ok[i]))
            return SH_OK;
    sh_err_set(e, SH_CONFLICT,
               "work order %s is %s: the customer signs once the technician is "
               "on site",
               v->row.number, v->row.status ? v->row.status : "?");
    return sh_err_reason_str1(e, "illegal_action", "status", v->row.status ? v->row.status : "");
}

static enum sh_code record(const struct uc *u, const struct wo_view *v, const struct sr_row *r,
                           struct sh_err *e)
{
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kint(&w, "work_order_id", r->work_order_id);
    jw_kint(&w, "version", r->version);
    jw_kstr(&w, "signer_name", r->signer_name);
    jw_kstr(&w, "signature_sha256", r->signature_sha256);
    jw_kstr(&w, "content_sha256", r->content_sha256);
    jw_obj_end(&w);
    enum sh_code rc = jw_finish(&w) ? sh_err_set(e, SH_INTERNAL, "audit record too large") : SH_OK;
    const char *data = sh_arena_strdup(u->a, b.buf);
    sh_buf_release(&b);
    if (!rc)
        rc = uc_ticket_event(u, v->row.ticket_id, "service_report", "customer",
                             sh_arena_printf(u->a, "%s · %s", v->row.number, r->signer_name), data,
                             NULL, e);
    return rc ? rc : uc_audit(u, "work_order", r->work_order_id, "sign", NULL, data, e);
}

static enum sh_code store_signature(const struct uc *u, const struct report_sign_in *in,
                                    const char **sha, struct sh_err *e)
{
    struct ticket_blob blob;
    enum sh_code rc = ticket_blob_check(u->a, in->png, in->png_len, "signature.png",
                                        REPORT_SIGNATURE_MAX, &blob, e);
    if (!rc)
        rc = ticket_blob_store(u->app->data_dir, &blob, e);
    *sha = blob.sha;
    return rc;
}

enum sh_code uc_report_sign(const struct uc *u, const struct report_sign_in *in, struct sr_row *out,
                            struct sh_err *e)
{
    struct wo_view v;
    int w = 0, h = 0;
    enum sh_code rc = uc_work_order_load(u, in->work_order_id, &v, e);
    if (rc || (rc = signable(&v, e)) || (rc = self_check(u, v.row.id, e)) ||
        (rc = check_text(in, e)) || (rc = check_png(in, &w, &h, e)) ||
        (rc = sr_lock_work_order(u->tx, v.row.id, e)))
        return rc;
    struct sr_row *rows;
    int n;
    struct report_snapshot snap;
    const char *sha;
    if ((rc = sr_list(u->tx, u->a, v.row.id, false, &rows, &n, e)) ||
        (rc = report_snapshot_build(u, &v, &snap, e)))
        return rc;
    /* what the customer was shown is what they sign (the signing sheet sends its hash) */
    if (in->content_sha256 && strcmp(in->content_sha256, snap.sha256)) {
        sh_err_field(e, SH_PRECONDITION, "content_sha256",
                     "the report changed since it was shown: show it to the customer again");
        return sh_err_reason(e, "stale", NULL);
    }
    if ((rc = store_signature(u, in, &sha, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    *out = (struct sr_row){
        .work_order_id = v.row.id,
        .ticket_id = v.row.ticket_id,
        .signed_by = u->who->user_id,
        .signature_size = (int64_t)in->png_len,
        .version = n ? rows[n - 1].version + 1 : 1,
        .signature_width = w,
        .signature_height = h,
        .snapshot = snap.json,
        .content_sha256 = snap.sha256,
        .signature_sha256 = sha,
        .signer_name = sh_arena_strdup(u->a, in->signer_name),
        .customer_comment = sh_arena_strdup(u->a, in->comment              ? in->comment
                                                  : v.row.customer_comment ? v.row.customer_comment
                                                                           : ""),
        .signed_at = sh_arena_strdup(u->a, now),
        .signed_by_name = u->who->username,
    };
    if ((rc = sr_insert(u->tx, u->a, out, &out->id, e)))
        return rc;
    return record(u, &v, out, e);
}

enum sh_code uc_report_list(const struct uc *u, int64_t work_order_id, struct report_versions *out,
                            struct sh_err *e)
{
    struct wo_view v;
    struct sr_row *rows;
    int n;
    struct report_snapshot snap;
    enum sh_code rc = report_wo(u, work_order_id, &v, e);
    if (rc || (rc = sr_list(u->tx, u->a, v.row.id, false, &rows, &n, e)) ||
        (rc = report_snapshot_build(u, &v, &snap, e)))
        return rc;
    *out = (struct report_versions){.work_order_id = v.row.id, .ticket_id = v.row.ticket_id};
    out->current_signed = n && !strcmp(rows[n - 1].content_sha256, snap.sha256);
    /* a customer account reads what was signed, never the draft */
    if (!principal_external(u->who)) {
        out->current_json = snap.json;
        out->current_sha256 = snap.sha256;
    }
    out->items = sh_arena_alloc(u->a, sizeof(*out->items) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        out->items[i] = (struct report_version){rows[i].version, true, &rows[i]};
    out->n = n;
    if (!out->current_signed && out->current_json)
        out->items[out->n++] =
            (struct report_version){n ? rows[n - 1].version + 1 : 1, false, NULL};
    return SH_OK;
}

/* The version a print asks for: a signed one, or the draft (the work order now). */
static enum sh_code pick_version(const struct uc *u, const struct wo_view *v, int version,
                                 struct report_print *p, struct sh_err *e)
{
    struct sr_row *rows;
    int n;
    struct report_snapshot snap;
    enum sh_code rc = sr_list(u->tx, u->a, v->row.id, true, &rows, &n, e);
    if (rc || (rc = report_snapshot_build(u, v, &snap, e)))
        return rc;
    bool changed = !n || strcmp(rows[n - 1].content_sha256, snap.sha256);
    int draft = changed ? (n ? rows[n - 1].version + 1 : 1) : 0;
    bool ext = principal_external(u->who); /* a customer: the signed versions only */
    if (version == 0)
        version = draft && (!ext || !n) ? draft : rows[n - 1].version;
    if (version == draft && !ext) {
        p->version = draft;
        p->snapshot = snap.json;
        p->comment = v->row.customer_comment;
        return SH_OK;
    }
    for (int i = 0; i < n; i++)
        if (rows[i].version == version) {
            const struct sr_row *r = &rows[i];
            *p = (struct report_print){.work_order_id = v->row.id,
                                       .version = r->version,
                                       .is_signed = true,
                                       .snapshot = r->snapshot,
                                       .signer_name = r->signer_name,
                                       .signed_at = r->signed_at,
                                       .comment = r->customer_comment,
                                       .signature_sha256 = r->signature_sha256};
            return SH_OK;
        }
    sh_err_field(e, SH_NOT_FOUND, "version", "work order %s has no report version %d",
                 v->row.number, version);
    return sh_err_reason(e, "unknown_reference", NULL);
}

enum sh_code uc_report_print(const struct uc *u, int64_t work_order_id, int version,
                             struct report_print *out, struct sh_err *e)
{
    struct wo_view v;
    enum sh_code rc = report_wo(u, work_order_id, &v, e);
    *out = (struct report_print){.work_order_id = work_order_id};
    if (rc || (rc = pick_version(u, &v, version, out, e)))
        return rc;
    out->work_order_id = v.row.id;
    out->number = v.row.number;
    unsigned char rnd[24];
    char fresh[49];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(fresh, sizeof(fresh), rnd, sizeof(rnd));
    const char *token;
    if ((rc = sr_public_token(u->tx, u->a, v.row.ticket_id, fresh, &token, e)))
        return rc;
    out->status_path = token ? sh_arena_printf(u->a, "/r/s/%s", token) : NULL;
    return uc_audit(u, "work_order", v.row.id, "print", NULL,
                    sh_arena_printf(u->a, "{\"version\":%d,\"signed\":%s}", out->version,
                                    out->is_signed ? "true" : "false"),
                    e);
}

/* The signature image from the blob store (where ticket attachments live). */
enum sh_code report_read_signature(const char *dir, const char *sha, struct sh_arena *a,
                                   void **data, size_t *n, struct sh_err *e)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/attachments/%.2s/%s", dir, sha, sha);
    FILE *f = fopen(path, "rb");
    if (!f)
        return sh_err_set(e, SH_INTERNAL, "the signature image %.12s… is missing", sha);
    unsigned char *buf = sh_arena_alloc(a, REPORT_SIGNATURE_MAX + 1);
    *n = buf ? fread(buf, 1, REPORT_SIGNATURE_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || *n == 0 || *n > REPORT_SIGNATURE_MAX)
        return sh_err_set(e, SH_INTERNAL, "the signature image %.12s… cannot be read", sha);
    *data = buf;
    return SH_OK;
}

struct label_ctx {
    const struct app *app;
    const char *lang;
};

static const char *label(void *ctx, const char *key, const char *fallback)
{
    struct label_ctx *l = ctx;
    return i18n_label(l->app, l->lang, key, fallback);
}

enum sh_code report_pdf_doc(const struct app *app, const char *lang, struct sh_arena *a,
                            const struct report_print *p, struct rpdf_doc *d, struct sh_err *e)
{
    void *png = NULL;
    size_t n = 0;
    enum sh_code rc = SH_OK;
    if (p->is_signed &&
        (rc = report_read_signature(app->data_dir, p->signature_sha256, a, &png, &n, e)))
        return rc;
    struct label_ctx lc = {app, lang};
    struct report_doc_in in = {
        .snapshot = p->snapshot,
        .version = p->version,
        .is_signed = p->is_signed,
        .signer_name = p->signer_name,
        .signed_at = p->signed_at,
        .comment = p->comment,
        .signature = png,
        .signature_len = n,
        .status_url =
            p->status_path
                ? sh_arena_printf(a, "%s%s", app->public_url ? app->public_url : "", p->status_path)
                : NULL,
        .label = label,
        .label_ctx = &lc,
    };
    return report_doc_build(a, &in, d, e);
}

enum sh_code uc_report_guard_facts(const struct uc *u, int64_t ticket_id, bool *required,
                                   bool *is_signed, struct sh_err *e)
{
    *is_signed = false;
    enum sh_code rc = settings_bool(u->tx, u->a, SETTING_REPORT_BEFORE_RESOLVE, true, required, e);
    if (rc || !*required)
        return rc;
    int64_t wo;
    const char *status;
    if ((rc = sr_ticket_current(u->tx, u->a, ticket_id, &wo, &status, is_signed, e)))
        return rc;
    /* a ticket without work orders (before issue 11) has no report to sign; a work order not
     * done yet is refused by the work_order guard, which speaks first: finish, then sign */
    if (!wo || !status || strcmp(status, "done")) {
        *is_signed = true;
        return SH_OK;
    }
    if (!*is_signed)
        return SH_OK;
    /* signed, then changed (labour, parts, findings): the report is a new draft version that
     * the customer signs again (F-09, R-035), not the one they signed */
    struct report_versions rv;
    if ((rc = uc_report_list(u, wo, &rv, e)))
        return rc;
    *is_signed = rv.current_signed;
    return SH_OK;
}
