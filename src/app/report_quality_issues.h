/* SPDX-License-Identifier: MIT */
/* The quality-issue report (R-186; issue 14 item 6; docs/reports.md): the anomalies of the
 * period by source, product (model), batch and cause, with their analysis status, corrective
 * actions and verification. The anomalies are the records that exist: complaint/return
 * notices (source return, complaint, or installation / visit / picking when the company's
 * own people found the defect), returns to the factory (repair), DOA tickets (doa), the
 * product findings of periodic visits (visit) and the problems found on work orders: on-site
 * repairs (repair), installations and periodic visits with findings or a failed checklist
 * item (installation, visit), their cause the ticket's fault category. */
#ifndef SH_APP_REPORT_QUALITY_ISSUES_H
#define SH_APP_REPORT_QUALITY_ISSUES_H

#include "app/report_filter.h"

/* complaint return installation visit picking repair doa */
extern const char *const quality_issue_source_names[];

struct quality_issue_row {
    const char *source, *model_id, *model_code, *model_name, *batch, *cause; /* NULL: none */
    const char *cause_name; /* a work order's fault category name (its cause is that code) */
    int64_t anomalies;      /* records in the group */
    int64_t open, analysed, verified, closed, refused; /* by analysis status */
    int64_t corrective;                                /* with a corrective action / analysis */
};

struct quality_issue_report {
    struct quality_issue_row *rows;
    int n;
    struct quality_issue_row total;
};

/* customer and model filters apply to every source (the others are not kept by them). */
SH_WUR enum sh_code uc_report_quality_issues(const struct uc *u, const struct report_filter *f,
                                             struct quality_issue_report *out, struct sh_err *e);

#endif
