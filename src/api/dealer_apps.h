/* SPDX-License-Identifier: MIT */
/* Dealers' installation applications (api/dealer_apps.c; docs/dealer-applications.md). */
#ifndef SH_API_DEALER_APPS_H
#define SH_API_DEALER_APPS_H

#include "api/api.h"

void h_dapp_action(struct api_ctx *c);
void h_dapp_queue(struct api_ctx *c);
void h_dapp_counts(struct api_ctx *c);
void h_dapp_series(struct api_ctx *c);
void h_dapp_agreement_pdf(struct api_ctx *c);

#endif
