/* SPDX-License-Identifier: MIT */
#ifndef SH_CLI_DEMO_CHARGES_H
#define SH_CLI_DEMO_CHARGES_H

#include "app/uc.h"

/* Charges on the first ticket (paid, part-paid, unpaid and aged 120 days), installation and
 * management fees to the first dealer, their payments and a parts cost line, through
 * uc_charge_add and the entity engine; nothing when charges exist already or there is no
 * ticket. *n gets the charges loaded. */
SH_WUR enum sh_code demo_charges(const struct uc *u, int *n, struct sh_err *e);

/* A payment by `payer` (customer, dealer, sales) of `fen` on the charge, received on `on`
 * (YYYY-MM-DD), through the entity engine. */
SH_WUR enum sh_code demo_charge_pay(const struct uc *u, int64_t charge, const char *payer,
                                    int64_t fen, const char *on, struct sh_err *e);

#endif
