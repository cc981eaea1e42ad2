/* SPDX-License-Identifier: MIT */
#include "domain/warranty.h"

#include <string.h>

struct warranty_out warranty_compute(const struct warranty_in *in)
{
    struct warranty_out w;
    memset(&w, 0, sizeof(w));
    w.months = in->contract_months >= 0 ? in->contract_months : in->model_months;
    w.months_from_contract = in->contract_months >= 0;
    if (in->has_install) {
        w.basis = WB_INSTALL;
        w.start = in->install;
    } else if (in->has_ship) {
        w.basis = WB_SHIP;
        w.start = in->ship;
    }
    if (w.basis != WB_NONE) {
        w.known = true;
        struct sh_date after = sh_date_add_months(w.start, w.months);
        w.end = sh_civil_from_days(sh_days_from_civil(after.y, after.m, after.d) - 1);
    }
    if (in->has_override) {
        w.known = true;
        w.basis = WB_OVERRIDE;
        w.end = in->override_end;
    }
    return w;
}

const char *warranty_basis_name(enum warranty_basis b)
{
    switch (b) {
    case WB_NONE:
        return "none";
    case WB_INSTALL:
        return "install";
    case WB_SHIP:
        return "ship";
    case WB_OVERRIDE:
        return "override";
    }
    return "none";
}

bool warranty_covers(const struct warranty_out *w, struct sh_date report)
{
    return w->known && sh_date_cmp(report, w->end) <= 0;
}
