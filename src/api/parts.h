/* SPDX-License-Identifier: MIT */
/* The stock routes (issue 14 item 1; docs/parts.md): the stock on hand, the reorder alerts,
 * the ledger's movements. The catalogue, locations, minimums and faulty parts are entities. */
#ifndef SH_API_PARTS_H
#define SH_API_PARTS_H

#include "api/api.h"

void h_stock_list(struct api_ctx *c);
void h_stock_alerts(struct api_ctx *c);
void h_movements_list(struct api_ctx *c);
void h_movement_create(struct api_ctx *c);

#endif
