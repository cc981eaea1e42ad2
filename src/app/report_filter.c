/* SPDX-License-Identifier: MIT */
#include "app/report_filter.h"

#include "base/date.h"

enum sh_code report_filter_period(const char *from, const char *to, struct report_filter *f,
                                  struct sh_err *e)
{
    struct sh_date a, b;
    if (!from || !to || !sh_date_parse(from, &a) || !sh_date_parse(to, &b))
        return sh_err_set(e, SH_INVALID, "bad period");
    /* local days: [from 00:00, to + 1 day 00:00) in Asia/Shanghai (UTC+8) */
    sh_ts_format(sh_days_from_civil(a.y, a.m, a.d) * 86400 - 8 * 3600, f->from);
    sh_date_format(a, f->from_day);
    sh_date_format(b, f->to_day);
    sh_ts_format((sh_days_from_civil(b.y, b.m, b.d) + 1) * 86400 - 8 * 3600, f->to);
    return SH_OK;
}

double report_ratio(int64_t a, int64_t b, double scale)
{
    return b ? scale * (double)a / (double)b : -1;
}
