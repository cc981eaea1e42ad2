/* SPDX-License-Identifier: MIT */
/* The filters of the registers and KPI reports. */
#include <errno.h>
#include <stdlib.h>

#include "api/report_kpi.h"

static bool id_param(struct api_ctx *c, const char *name, int64_t *out)
{
    const char *v = http_query(c->req, name);
    *out = 0;
    if (!v || !*v)
        return true;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (!*end && !errno && n > 0) {
        *out = n;
        return true;
    }
    struct sh_err e;
    sh_err_clear(&e);
    sh_err_field(&e, SH_INVALID, name, "'%s' must be a positive integer id", name);
    sh_err_reason(&e, "invalid_format", "{\"format\":\"id\"}");
    api_reply_err(c, &e);
    return false;
}

bool report_filter_parse(struct api_ctx *c, struct report_period *p, struct report_filter *f)
{
    *f = (struct report_filter){.region = ""};
    if (!report_period_parse(c, p) || !id_param(c, "department_id", &f->department_id) ||
        !id_param(c, "staff_id", &f->staff_id) || !id_param(c, "customer_id", &f->customer_id) ||
        !id_param(c, "model_id", &f->model_id))
        return false;
    const char *region = http_query(c->req, "region");
    f->region = region ? region : "";
    struct sh_err e;
    sh_err_clear(&e);
    if (report_filter_period(p->from, p->to, f, &e)) {
        api_reply_err(c, &e);
        return false;
    }
    return true;
}

const char *report_int(struct api_ctx *c, int64_t v)
{
    return sh_arena_printf(c->a, "%lld", (long long)v);
}
