/* SPDX-License-Identifier: MIT */
/* The dashboard (issue 15 item 4): the department head's and general manager's first screen
 * in one summary — this month's SLA compliance per clock, on-time arrival, first-time fix,
 * repeat repairs and satisfaction, the open tickets by state and age, the breaches that fell
 * due today, and the trend of the rates over the last 12 months. Every figure is one of the
 * reports' own (report_sla, report_punctuality, report_quality) over a month, so a drill-down
 * to that report with the same month and filters lists the records behind it. */
#ifndef SH_APP_REPORT_DASHBOARD_H
#define SH_APP_REPORT_DASHBOARD_H

#include "app/report_punctuality.h"
#include "app/report_quality.h"
#include "app/report_sla.h"

#define DASH_STATES 7 /* the open ticket states */
#define DASH_AGES   5 /* < 1 day, 1–3, 3–7, 7–30, ≥ 30 days */
#define DASH_MONTHS 12

extern const char *const dash_states[DASH_STATES];
extern const char *const dash_ages[DASH_AGES];

struct dash_month {
    char month[8];         /* YYYY-MM */
    char from[11], to[11]; /* its local days */
    double sla_pct[SLA_REPORT_CLOCKS];
    double on_time_pct, first_time_pct, repeat_pct, score_avg; /* -1: no base */
};

struct dashboard {
    struct dash_month month; /* this month (to today) */
    struct sla_report sla;
    struct punct_row punct;
    struct quality_row quality;
    int64_t open[DASH_STATES][DASH_AGES];
    int64_t open_total, breaches_today;
    struct dash_month trend[DASH_MONTHS]; /* oldest first; the last is this month */
    bool cached;                          /* the past months came from the cache */
    bool computed[DASH_MONTHS]; /* not read from dashboard_months (computed now or cached) */
    bool pending[DASH_MONTHS];  /* not stored yet (unfiltered only): its rates are null */
};

/* f: the filters (its period is ignored: this month and the 11 before, local). Unfiltered, a
 * past month is read from the process cache or dashboard_months, never computed here: one the
 * jobs have not stored yet is pending (null rates), so the first paint costs this month only. */
SH_WUR enum sh_code uc_dashboard(const struct uc *u, const struct report_filter *f,
                                 struct dashboard *out, struct sh_err *e);

/* The unfiltered dashboard's past months (only: not this month, not the open tickets) computed
 * in a read transaction of its own, to fill the cache of the past months before anyone asks (the
 * jobs call it every DASH_WARM_S seconds); the past months it had to compute are stored
 * (dashboard_months), so a restarted server reads them. */
#define DASH_WARM_S 300
/* Between two months computed by the warm-up: rest(ctx, ns the month took) pauses, false to
 * stop (the months computed so far are stored). */
struct dash_pace {
    bool (*rest)(void *ctx, int64_t busy_ns);
    void *ctx;
};
SH_WUR enum sh_code app_dashboard_warm(struct app *app, int64_t now, const struct dash_pace *pace,
                                       struct sh_err *e);

#endif
