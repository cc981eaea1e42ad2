/* SPDX-License-Identifier: MIT */
/* The repeat-repair report: repeats grouped by model, technician and fault. */
#ifndef SH_APP_REPORT_REPEAT_H
#define SH_APP_REPORT_REPEAT_H

#include "app/uc.h"

struct repeat_row {
    /* ids as decimal text, NULL when the repair has no model or technician */
    const char *model_id, *model_code, *model_name, *technician_id, *technician, *fault_category;
    int64_t repeats;
};

struct repeat_report {
    struct repeat_row *rows;
    int n;
    int64_t total; /* repeats in all rows */
};

/* Repeats received between from and to (UTC times, inclusive), most first (at most 1000). */
SH_WUR enum sh_code uc_report_repeat_repairs(const struct uc *u, const char *from, const char *to,
                                             struct repeat_report *out, struct sh_err *e);

#endif
