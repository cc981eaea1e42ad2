/* SPDX-License-Identifier: MIT */
/* What the report handlers share: the period (?from&to, local dates), the answer format
 * (?format=json|csv|xlsx) and a report's table as a file through the list export
 * (api/export.h): the table is declared as columns of a pseudo-entity whose name gives
 * the header labels (field.<name>.<col> in the catalogues) and whose table the file name. */
#ifndef SH_API_REPORTS_H
#define SH_API_REPORTS_H

#include "api/api.h"
#include "app/report_filter.h"

struct report_period {
    char from[11], to[11]; /* "YYYY-MM-DD", inclusive */
};

/* ?from and ?to (default: the first of this month to today, local); replies 400 naming the
 * field (reason invalid_format or date_order) and returns false when bad. */
bool report_period_parse(struct api_ctx *c, struct report_period *p);
/* ?format: NULL for JSON, "csv" or "xlsx"; replies 400 and returns false when unknown. */
bool report_format_parse(struct api_ctx *c, const char **format);
/* Sends rows (cells named by ent's columns) as a csv or xlsx file. */
void report_export(struct api_ctx *c, const struct entity *ent, const char *format,
                   const struct db_rows *rows);
/* A rows table of n rows over ent's columns, cells to be filled with report_cell. */
void report_rows_init(struct api_ctx *c, const struct entity *ent, int n, struct db_rows *rows);
void report_cell(struct db_rows *rows, int row, int col, const char *text);
/* A percentage or average cell: one decimal, NULL (empty) when v < 0. */
const char *report_num(struct api_ctx *c, double v);

/* The same as JSON: null when v < 0. */
void report_knum(struct jw *w, const char *key, double v);

/* A report's answer: the file of nfile rows when a format was asked, else the JSON
 * {"from", "to", "items": [n items], "total"?}. */
struct report_answer {
    const struct report_period *p;
    const char *format;       /* NULL: JSON */
    const struct entity *ent; /* the file's columns */
    int n, nfile;             /* items; rows of the file (n, or n + 1 with a totals line) */
    void (*cells)(struct api_ctx *c, struct db_rows *rows, int i, const void *arg);
    void (*item)(struct jw *w, int i, const void *arg);
    void (*total)(struct jw *w, const void *arg); /* NULL: no "total" */
    const void *arg;
};
void report_answer(struct api_ctx *c, const struct report_answer *r);

/* What a report handler asks: the period, the R-192 filters (all "any" unless the spec asks
 * for them) and the format (NULL: JSON). */
struct report_query {
    struct report_period p;
    struct report_filter f;
    const char *format;
};

/* A report handler in one declaration: parse → call → answer. */
struct report_spec {
    bool filters; /* department_id, staff_id, customer_id, model_id, region */
    /* the use case, in a read transaction; arg is the handler's */
    enum sh_code (*run)(const struct uc *u, const struct report_query *q, void *arg,
                        struct sh_err *e);
    int (*count)(const void *arg, bool file); /* JSON items, or the file's rows */
    const struct entity *ent;                 /* the file's columns */
    void (*cells)(struct api_ctx *c, struct db_rows *rows, int i, const void *arg);
    void (*item)(struct jw *w, int i, const void *arg);
    void (*total)(struct jw *w, const void *arg); /* NULL: no "total" */
};

/* Parses the query (400 on a bad one), runs s->run and answers through report_answer. */
void report_serve(struct api_ctx *c, const struct report_spec *s, void *arg);

void h_report_visits(struct api_ctx *c);
void h_report_receivables(struct api_ctx *c);
void h_report_costs(struct api_ctx *c);
void h_report_fee_revenue(struct api_ctx *c);
void h_report_staff(struct api_ctx *c);
void h_visit_findings_get(struct api_ctx *c);
void h_visit_findings_post(struct api_ctx *c);
void h_visit_plans_run(struct api_ctx *c);
void h_visit_plan_visits(struct api_ctx *c);

#endif
