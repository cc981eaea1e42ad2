/* SPDX-License-Identifier: MIT */
/* The registers and KPI reports of issue 15 (R-171…R-192): their handlers and the filters
 * they share (?department_id, staff_id, customer_id, model_id, region; R-192). */
#ifndef SH_API_REPORT_KPI_H
#define SH_API_REPORT_KPI_H

#include "api/reports.h"
#include "app/report_filter.h"

/* ?from/to and the filters into f; replies 400 naming the field and returns false when bad. */
bool report_filter_parse(struct api_ctx *c, struct report_period *p, struct report_filter *f);
/* "%lld" in c's arena: an integer cell of a file */
const char *report_int(struct api_ctx *c, int64_t v);

void h_report_calls(struct api_ctx *c);
void h_report_dispatch(struct api_ctx *c);
void h_report_sla(struct api_ctx *c);
void h_report_punctuality(struct api_ctx *c);
void h_report_quality(struct api_ctx *c);
void h_report_quality_issues(struct api_ctx *c);
void h_report_complaints(struct api_ctx *c);
void h_dashboard(struct api_ctx *c);
void h_report_warranty(struct api_ctx *c);
void h_report_shipments(struct api_ctx *c);
void h_report_training(struct api_ctx *c);

struct quality_row;
/* one quality row as JSON (total: without user_id and name) */
void report_quality_json(struct jw *w, const struct quality_row *r, bool total);

#endif
