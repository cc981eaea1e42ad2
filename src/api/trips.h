/* SPDX-License-Identifier: MIT */
/* The trip routes (/api/v1/trips, issue 12 item 4) and the trip report. */
#ifndef SH_API_TRIPS_H
#define SH_API_TRIPS_H

#include "api/api.h"

void h_trips_list(struct api_ctx *c);
void h_trip_create(struct api_ctx *c);
void h_trip_get(struct api_ctx *c);
void h_trip_update(struct api_ctx *c);
void h_trip_action(struct api_ctx *c);
void h_trip_feedback(struct api_ctx *c);
void h_trip_report_add(struct api_ctx *c);
void h_trip_photo_add(struct api_ctx *c);
void h_trip_photo_get(struct api_ctx *c);
void h_report_trips(struct api_ctx *c);

#endif
