/* SPDX-License-Identifier: MIT */
/* The dead-on-arrival report (WF-08): units received and DOA tickets by model and by
 * production batch (the production month of the unit). */
#ifndef SH_APP_REPORT_DOA_H
#define SH_APP_REPORT_DOA_H

#include "app/uc.h"

struct doa_row {
    const char *model_id, *model_code, *model_name;
    const char *batch; /* "YYYY-MM" of production; NULL in the by-model rows */
    int64_t delivered, doa;
};

struct doa_report {
    struct doa_row *by_model, *by_batch;
    int n_model, n_batch;
};

/* Units whose shipment was received between from and to (dates, inclusive). */
SH_WUR enum sh_code uc_report_doa(const struct uc *u, const char *from, const char *to,
                                  struct doa_report *out, struct sh_err *e);

#endif
