/* SPDX-License-Identifier: MIT */
/* Issue 18 items 2, 5, 6 (docs/telephone.md): the actions of telephone records, supplier
 * cases and contract requirements; the records themselves are entity routes. */
#ifndef SH_API_TEL_H
#define SH_API_TEL_H

#include "api/api.h"

void h_phone_forward(struct api_ctx *c);
void h_phone_reply(struct api_ctx *c);
void h_phone_superiors(struct api_ctx *c);
void h_supplier_case_open(struct api_ctx *c);
void h_supplier_case_act(struct api_ctx *c);
void h_contract_review(struct api_ctx *c);

#endif
