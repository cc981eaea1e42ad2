/* SPDX-License-Identifier: MIT */
/* Receivables by customer or by dealer with ageing (issue 13 item 6; docs/reports.md
 * "Receivables"): per party, what its parts of the charges dated on or before the day still
 * owe after its payments made on or before that day, in buckets by the charge's age in
 * days (0–30, 31–60, 61–90, over 90). */
#ifndef SH_APP_REPORT_RECEIVABLES_H
#define SH_APP_REPORT_RECEIVABLES_H

#include "app/uc.h"

#define RECV_BUCKETS 4

struct recv_row {
    int64_t party_id;
    const char *name;
    int64_t bucket[RECV_BUCKETS]; /* fen: 0–30, 31–60, 61–90, >90 days */
    int64_t total;
    int64_t charges; /* charges with something open */
};

struct recv_report {
    struct recv_row *rows;
    int n;
    struct recv_row total;
};

/* by: "customer" or "dealer"; as_of: a local date "YYYY-MM-DD". */
SH_WUR enum sh_code uc_report_receivables(const struct uc *u, const char *by, const char *as_of,
                                          struct recv_report *out, struct sh_err *e);
/* The bucket of a charge aged `days` days (pure: 0..3). */
int recv_bucket(int64_t days);

#endif
