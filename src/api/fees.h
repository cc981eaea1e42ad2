/* SPDX-License-Identifier: MIT */
/* Fee rule sets and the fee calculator (issue 13 item 1; api/fees.c). */
#ifndef SH_API_FEES_H
#define SH_API_FEES_H

#include "api/api.h"

void h_fee_sets_list(struct api_ctx *c);
void h_fee_set_create(struct api_ctx *c);
void h_fee_set_get(struct api_ctx *c);
void h_fee_version_add(struct api_ctx *c);
void h_fee_calculate(struct api_ctx *c);
/* billing (api/fee_bill.c): a secondment's or waiting record's fee (route.ent says which),
 * the calculator's result */
void h_fee_record_bill(struct api_ctx *c);
void h_fee_calc_bill(struct api_ctx *c);

#endif
