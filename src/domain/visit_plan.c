/* SPDX-License-Identifier: MIT */
#include "domain/visit_plan.h"

#include <string.h>

bool visit_period_parse(const char *s, enum visit_period *out)
{
    if (s && !strcmp(s, "week")) {
        *out = VISIT_WEEK;
        return true;
    }
    if (s && !strcmp(s, "month")) {
        *out = VISIT_MONTH;
        return true;
    }
    return false;
}

const char *visit_period_name(enum visit_period p)
{
    return p == VISIT_WEEK ? "week" : "month";
}

bool visit_occurrence(const struct visit_rule *r, int k, struct sh_date *out)
{
    if (k < 0 || r->every < 1)
        return false;
    struct sh_date d;
    if (r->period == VISIT_WEEK)
        d = sh_civil_from_days(sh_days_from_civil(r->start.y, r->start.m, r->start.d) +
                               (int64_t)k * r->every * 7);
    else
        d = sh_date_add_months(r->start, k * r->every);
    if (r->has_end && sh_date_cmp(d, r->end) > 0)
        return false;
    *out = d;
    return true;
}

/* The smallest k whose occurrence is not before `from` (an estimate, then corrected). */
static int first_k(const struct visit_rule *r, struct sh_date from)
{
    if (sh_date_cmp(from, r->start) <= 0)
        return 0;
    int k;
    if (r->period == VISIT_WEEK) {
        int64_t days = sh_days_from_civil(from.y, from.m, from.d) -
                       sh_days_from_civil(r->start.y, r->start.m, r->start.d);
        k = (int)(days / (7 * (int64_t)r->every));
    } else {
        int months = (from.y - r->start.y) * 12 + (from.m - r->start.m);
        k = months / r->every;
    }
    if (k > 0)
        k--; /* month-end clamping can put occurrence k before `from` */
    struct sh_date d;
    /* occurrences grow with k, so step forward from the estimate */
    while (k < 1000000) {
        struct visit_rule open = *r;
        open.has_end = false;
        if (!visit_occurrence(&open, k, &d) || sh_date_cmp(d, from) >= 0)
            break;
        k++;
    }
    return k;
}

int visit_due_dates(const struct visit_rule *r, struct sh_date from, struct sh_date to,
                    struct sh_date *out, int max)
{
    if (r->every < 1 || max <= 0 || sh_date_cmp(from, to) > 0)
        return 0;
    int n = 0;
    struct sh_date d;
    for (int k = first_k(r, from); n < max && visit_occurrence(r, k, &d); k++) {
        if (sh_date_cmp(d, to) > 0)
            break;
        out[n++] = d;
    }
    return n;
}

bool visit_next_due(const struct visit_rule *r, struct sh_date from, struct sh_date *out)
{
    if (r->every < 1)
        return false;
    return visit_occurrence(r, first_k(r, from), out);
}

int visit_count_due(const struct visit_rule *r, struct sh_date from, struct sh_date to)
{
    if (r->every < 1 || sh_date_cmp(from, to) > 0)
        return 0;
    int n = 0;
    struct sh_date d;
    for (int k = first_k(r, from); visit_occurrence(r, k, &d) && sh_date_cmp(d, to) <= 0; k++)
        n++;
    return n;
}

bool visit_time_parse(const char *s, int *minutes)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return false;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return false;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return false;
    *minutes = h * 60 + m;
    return true;
}
