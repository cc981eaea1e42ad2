/* SPDX-License-Identifier: MIT */
#include "domain/checklist.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *const cl_kind_names[CL_KIND_COUNT + 1] = {"check", "measure", "photo", "conduct", NULL};
const char *const cl_phase_names[CL_PHASE_COUNT + 1] = {"before", "after", "check", NULL};

static int name_index(const char *const *names, const char *s)
{
    for (int i = 0; s && names[i]; i++)
        if (!strcmp(names[i], s))
            return i;
    return -1;
}

bool cl_kind_parse(const char *s, enum cl_kind *out)
{
    int i = name_index(cl_kind_names, s);
    if (i >= 0)
        *out = (enum cl_kind)i;
    return i >= 0;
}

bool cl_phase_parse(const char *s, enum cl_phase *out)
{
    int i = name_index(cl_phase_names, s);
    if (i >= 0)
        *out = (enum cl_phase)i;
    return i >= 0;
}

bool cl_decimal_parse(const char *s, int64_t *centi)
{
    if (!s)
        return false;
    bool neg = false;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    int64_t whole = 0, frac = 0;
    int nwhole = 0, nfrac = 0;
    for (; *s >= '0' && *s <= '9'; s++, nwhole++) {
        whole = whole * 10 + (*s - '0');
        if (whole > CL_CENTI_MAX / 100)
            return false;
    }
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, nfrac++) {
            if (nfrac >= 2)
                return false; /* more precision than is stored: refused, not rounded */
            frac = frac * 10 + (*s - '0');
        }
    if (*s || (nwhole == 0 && nfrac == 0))
        return false;
    if (nfrac == 1)
        frac *= 10;
    int64_t v = whole * 100 + frac;
    if (v > CL_CENTI_MAX)
        return false;
    *centi = neg ? -v : v;
    return true;
}

void cl_decimal_format(int64_t centi, char out[32])
{
    uint64_t m = centi < 0 ? (uint64_t)0 - (uint64_t)centi : (uint64_t)centi;
    const char *sign = centi < 0 ? "-" : "";
    uint64_t w = m / 100, f = m % 100;
    if (f == 0)
        snprintf(out, 32, "%s%" PRIu64, sign, w);
    else if (f % 10 == 0)
        snprintf(out, 32, "%s%" PRIu64 ".%" PRIu64, sign, w, f / 10);
    else
        snprintf(out, 32, "%s%" PRIu64 ".%02" PRIu64, sign, w, f);
}

bool cl_limit_pass(const struct cl_limit *l, int64_t v)
{
    if (l->has_min && (l->min_incl ? v < l->min : v <= l->min))
        return false;
    if (l->has_max && (l->max_incl ? v > l->max : v >= l->max))
        return false;
    return true;
}

void cl_limit_format(const struct cl_limit *l, const char *unit, char *out, size_t n)
{
    char a[32], b[32];
    const char *u = unit && *unit ? unit : "";
    const char *sp = *u ? " " : "";
    if (l->has_min)
        cl_decimal_format(l->min, a);
    if (l->has_max)
        cl_decimal_format(l->max, b);
    if (l->has_min && l->has_max && l->min_incl && l->max_incl)
        snprintf(out, n, "%s–%s%s%s", a, b, sp, u);
    else if (l->has_min && l->has_max)
        snprintf(out, n, "%s %s, %s %s%s%s", l->min_incl ? "≥" : ">", a, l->max_incl ? "≤" : "<", b,
                 sp, u);
    else if (l->has_min)
        snprintf(out, n, "%s %s%s%s", l->min_incl ? "≥" : ">", a, sp, u);
    else if (l->has_max)
        snprintf(out, n, "%s %s%s%s", l->max_incl ? "≤" : "<", b, sp, u);
    else if (n)
        out[0] = '\0';
}

static enum sh_code bound_err(struct sh_err *e, const char *field, const char *reason,
                              const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

enum sh_code cl_item_check(enum cl_kind k, const struct cl_limit *l, struct sh_err *e)
{
    if (k != CLK_MEASURE) {
        if (l->has_min || l->has_max)
            return bound_err(e, l->has_min ? "min_centi" : "max_centi", "not_allowed",
                             "only a measurement has a limit");
        return SH_OK;
    }
    if (!l->has_min && !l->has_max)
        return bound_err(e, "max_centi", "required",
                         "a measurement needs a limit: min_centi, max_centi or both");
    if (l->has_min && (l->min > CL_CENTI_MAX || l->min < -CL_CENTI_MAX))
        return bound_err(e, "min_centi", "out_of_range", "'min_centi' is out of range");
    if (l->has_max && (l->max > CL_CENTI_MAX || l->max < -CL_CENTI_MAX))
        return bound_err(e, "max_centi", "out_of_range", "'max_centi' is out of range");
    if (l->has_min && l->has_max &&
        (l->min > l->max || (l->min == l->max && !(l->min_incl && l->max_incl))))
        return bound_err(e, "max_centi", "out_of_range",
                         "no value lies between 'min_centi' and 'max_centi'");
    return SH_OK;
}

bool cl_gate_eval(const struct cl_answer *items, int n, int before, int before_min, int after,
                  int after_min, struct cl_gate *out)
{
    out->nfailing = 0;
    for (int i = 0; i < n; i++) {
        const struct cl_answer *it = &items[i];
        if (!it->required)
            continue;
        bool ok = it->kind == CLK_PHOTO ? it->photos > 0 && (!it->answered || it->passed)
                                        : it->answered && it->passed;
        if (!ok)
            out->failing[out->nfailing++] = it->item_id;
    }
    out->before_short = before < before_min;
    out->after_short = after < after_min;
    return out->nfailing == 0 && !out->before_short && !out->after_short;
}
