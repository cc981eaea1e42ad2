/* SPDX-License-Identifier: MIT */
/* The work-order routes (/api/v1/work-orders, issue 11). Other sub-resources
 * (/work-orders/{id}/checklist, photos, signature, reports) live in their own files. */
#ifndef SH_API_WORK_ORDERS_H
#define SH_API_WORK_ORDERS_H

#include "api/api.h"
#include "app/work_orders.h"
#include "base/date.h"

void h_work_orders_list(struct api_ctx *c);
void h_work_order_create(struct api_ctx *c);
void h_work_order_get(struct api_ctx *c);
void h_work_order_update(struct api_ctx *c);
void h_work_order_action(struct api_ctx *c);

/* The application layer's context for a request. */
static inline struct uc wo_uc(struct api_ctx *c, struct db_tx *tx)
{
    return (struct uc){.tx = tx, .a = c->a, .who = &c->who, .now = sh_now(), .app = c->app};
}

/* Replies the work order v as JSON with its ETag. */
void wo_reply(struct api_ctx *c, int status, const struct wo_view *v);

#endif
