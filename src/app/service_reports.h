/* SPDX-License-Identifier: MIT */
/* The service report (售后服务报告单, F-09, R-035; issue 11 item 5): the customer's
 * acceptance signature on a work order freezes a version of the report; a change to the work
 * order after signing makes the next version (shown as a draft until it is signed), the old
 * ones stay readable; every print is audited; the ticket's resolve from on site needs a
 * signed report of its current work order (the `report` guard, setting
 * report_before_resolve, R-198). */
#ifndef SH_APP_SERVICE_REPORTS_H
#define SH_APP_SERVICE_REPORTS_H

#include <stdbool.h>
#include <stddef.h>

#include "app/uc.h"
#include "base/sh_buf.h"
#include "store/service_reports.h"

#define REPORT_SIGNATURE_MAX   (512u << 10) /* bytes of the PNG */
#define REPORT_SIGNATURE_MIN_W 50
#define REPORT_SIGNATURE_MIN_H 20
#define REPORT_SIGNATURE_MAX_W 4096
#define REPORT_SIGNATURE_MAX_H 4096
#define REPORT_SIGNER_MAX      60   /* characters */
#define REPORT_COMMENT_MAX     2000 /* characters */

struct report_sign_in {
    int64_t work_order_id;
    const char *signer_name; /* required */
    const char *comment;     /* NULL: the work order's customer_comment */
    const void *png;
    size_t png_len;
    const char *content_sha256; /* NULL: not checked; else the report shown (412 stale) */
};

/* One version as listed: a signed one, or the current draft (is_signed false, the work
 * order as it is now, when it differs from the last signed version or none is signed). */
struct report_version {
    int version;
    bool is_signed;
    const struct sr_row *row; /* the signed version; NULL for the draft */
};

struct report_versions {
    int64_t work_order_id, ticket_id;
    struct report_version *items;
    int n;
    bool current_signed; /* the work order as it is now is what the customer signed last */
    /* the report as the work order is now (what a signature would freeze); NULL for a
     * customer account, whose list holds the signed versions only */
    const char *current_json, *current_sha256;
};

/* Signs: the work order in the caller's scope (404 outside), on site or finished (409
 * illegal_action otherwise), its self-check passed (the checklist gate, 409 guard
 * self_check), a PNG signature within the bounds (400 naming the field), the signer's
 * name. Freezes the next version, stores the image in the blob store, writes the ticket's
 * timeline event (kind service_report) and the audit. out gets the new version. */
SH_WUR enum sh_code uc_report_sign(const struct uc *u, const struct report_sign_in *in,
                                   struct sr_row *out, struct sh_err *e);

/* The versions of the work order's report, oldest first, the draft last. */
SH_WUR enum sh_code uc_report_list(const struct uc *u, int64_t work_order_id,
                                   struct report_versions *out, struct sh_err *e);

/* The signature checks of a signing (PNG, size in bytes and pixels, decodes), shared with the
 * acceptance and training forms (issue 12 item 5): 400 naming image_png_base64. */
SH_WUR enum sh_code report_check_png(const void *png, size_t png_len, int *w, int *h,
                                     struct sh_err *e);
/* A signature image from the blob store (data_dir/attachments). */
SH_WUR enum sh_code report_read_signature(const char *dir, const char *sha, struct sh_arena *a,
                                          void **data, size_t *n, struct sh_err *e);

/* What a print renders: the version's snapshot and signature, the ticket's status page. */
struct report_print {
    int64_t work_order_id;
    int version;
    bool is_signed;
    const char *snapshot, *signer_name, *signed_at, *comment, *signature_sha256, *number;
    const char *status_path; /* /r/s/<token> */
};

/* Prepares a print of version `version` (0: the current one: the last signed version when
 * the work order has not changed since, else the draft): 404 for a version that does not
 * exist. Gives the ticket its status token when it has none, and writes the audit row (entity
 * work_order, action print) — in the caller's write transaction. */
SH_WUR enum sh_code uc_report_print(const struct uc *u, int64_t work_order_id, int version,
                                    struct report_print *out, struct sh_err *e);

/* The document of a prepared print (drawn by api/pdf.h), outside any transaction: the
 * signature is read from the blob store, the labels from the catalogue of lang ("zh-CN" or
 * "en"). */
struct rpdf_doc;
SH_WUR enum sh_code report_pdf_doc(const struct app *app, const char *lang, struct sh_arena *a,
                                   const struct report_print *p, struct rpdf_doc *d,
                                   struct sh_err *e);

/* The `report` guard's facts for ticket_id: whether the company requires the report
 * (setting report_before_resolve, on by default) and whether the ticket's current work order
 * (the latest one not cancelled) has a signed version. A ticket without work orders counts as
 * signed (the work_order guard lets it pass too), and so does a work order that is not done:
 * the work_order guard refuses that resolve, and its message comes first. */
SH_WUR enum sh_code uc_report_guard_facts(const struct uc *u, int64_t ticket_id, bool *required,
                                          bool *is_signed, struct sh_err *e);

#endif
