/* SPDX-License-Identifier: MIT */
/* Warranty end of a unit (R-130, R-136, §2.1): the start event is the install
 * date, or the ship date while the unit was never installed; the term is the
 * contract's months when the contract overrides, else the model's; an explicit
 * end date overrides everything. The warranty covers start .. start+months-1 day. */
#ifndef SH_WARRANTY_H
#define SH_WARRANTY_H

#include <stdbool.h>

#include "base/date.h"

enum warranty_basis { WB_NONE, WB_INSTALL, WB_SHIP, WB_OVERRIDE };

struct warranty_in {
    bool has_install, has_ship, has_override;
    struct sh_date install, ship, override_end;
    int contract_months; /* < 0: the contract does not override */
    int model_months;
};

struct warranty_out {
    bool known; /* false: no start event and no override */
    enum warranty_basis basis;
    struct sh_date start, end;
    int months;
    bool months_from_contract;
};

struct warranty_out warranty_compute(const struct warranty_in *in);
const char *warranty_basis_name(enum warranty_basis b);
/* In warranty when the report date is on or before the end date. */
bool warranty_covers(const struct warranty_out *w, struct sh_date report);

#endif
