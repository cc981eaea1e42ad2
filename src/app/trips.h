/* SPDX-License-Identifier: MIT */
/* Business trips (出差, issue 12 item 4; WF-02 S5-S10, F-06, F-07; ):
 * after-sales plans a trip for a lead technician and others with the destination and the
 * estimated days; the technicians depart, report progress with photos, record expenses in
 * fen and hand in the feedback form; after-sales closes the trip (never without the form).
 * A technician's trips never overlap (409 trip_overlap), and a technician away on a trip is
 * left out of the slot ranking (uc_trips_away_users). */
#ifndef SH_APP_TRIPS_H
#define SH_APP_TRIPS_H

#include "app/ticket_attach.h"
#include "app/uc.h"
#include "store/trips.h"

#define TRIP_OTHERS_MAX     10
#define TRIP_WOS_MAX        20
#define TRIP_PHOTOS_LIMIT   60
#define TRIP_EST_DAYS_MAX   365
#define SETTING_TRIP_REPORT "trip_report_interval_h"

/* Everything about one trip the caller may see. */
struct trip_view {
    struct trip_row row;
    struct trip_member *members;
    int nmembers;
    int64_t *wo_ids;
    int nwo;
    struct trip_report_row *reports;
    int nreports;
    struct trip_photo_row *photos;
    int nphotos;
    bool member;         /* the caller is one of its technicians */
    bool report_overdue; /* */
    int actual_days;     /* -1 until returned */
    enum trip_action actions[TRIP_ACTION_COUNT];
    int nactions;
};

/* Create (all) and update (the present ones: has_* / non-NULL). */
struct trip_in {
    int64_t lead_id;
    const int64_t *others;
    int nothers;
    bool has_others;
    const char *purpose, *address, *contact_name, *contact_phone, *site_details, *note;
    int64_t customer_id, site_id, ticket_id, project_id;
    bool has_customer, has_site, has_ticket, has_project;
    int est_days; /* 0: unchanged */
    const char *planned_departure_at;
    const int64_t *wo_ids;
    int nwo;
    bool has_expense[TRIP_EXPENSE_COUNT];
    int64_t expense[TRIP_EXPENSE_COUNT];
    int64_t if_match; /* update: -1 no check */
};

/* The feedback form F-07 (售后服务信息反馈单). */
struct trip_feedback_in {
    const char *work_done, *result, *problems, *customer_opinion;
};

SH_WUR enum sh_code uc_trip_create(const struct uc *u, const struct trip_in *in,
                                   struct trip_view *out, struct sh_err *e);
/* One trip in the caller's scope (a technician only: their own trips; SH_NOT_FOUND). */
SH_WUR enum sh_code uc_trip_load(const struct uc *u, int64_t id, struct trip_view *out,
                                 struct sh_err *e);
struct trip_list_in {
    const char *status;
    int64_t technician, ticket_id, project_id;
    bool overdue; /* only trips flagged for want of a report */
    int limit;
};
struct trip_list_item {
    struct trip_row row;
    bool report_overdue;
};
SH_WUR enum sh_code uc_trip_list(const struct uc *u, const struct trip_list_in *in,
                                 struct trip_list_item **out, int *n, struct sh_err *e);
SH_WUR enum sh_code uc_trip_update(const struct uc *u, int64_t id, const struct trip_in *in,
                                   struct trip_view *out, struct sh_err *e);
SH_WUR enum sh_code uc_trip_action(const struct uc *u, int64_t id, enum trip_action act,
                                   const char *reason, int64_t if_match, struct trip_view *out,
                                   struct sh_err *e);
SH_WUR enum sh_code uc_trip_feedback(const struct uc *u, int64_t id,
                                     const struct trip_feedback_in *in, struct trip_view *out,
                                     struct sh_err *e);
/* A progress report by a technician of the departed trip (or after-sales who was phoned). */
SH_WUR enum sh_code uc_trip_report_add(const struct uc *u, int64_t id, const char *body,
                                       struct trip_report_row *out, struct sh_err *e);
/* A photo of a report (blob checked with wo_photo_check and stored by the caller). */
SH_WUR enum sh_code uc_trip_photo_add(const struct uc *u, int64_t id, int64_t report_id,
                                      const struct ticket_blob *blob, struct trip_photo_row *out,
                                      struct sh_err *e);
SH_WUR enum sh_code uc_trip_photo_get(const struct uc *u, int64_t id, int64_t photo_id,
                                      struct trip_photo_row *out, struct sh_err *e);

/* The users away on a trip some time in [from, to) (unix seconds); *n of them in *out. */
SH_WUR enum sh_code uc_trips_away_users(const struct uc *u, int64_t from, int64_t to, int64_t **out,
                                        int *n, struct sh_err *e);
/* The report interval in seconds (setting trip_report_interval_h, default 24 h). */
SH_WUR enum sh_code trip_report_interval(const struct uc *u, int64_t *out, struct sh_err *e);

/* The trip as JSON (the API's answer and the audit's before/after). */
const char *trip_json(struct sh_arena *a, const struct trip_view *v);
/* The members of one trip's list item, one report and one photo (inside an object). */
struct jw;
void trip_row_members(struct jw *w, const struct trip_row *r, bool overdue);
void trip_report_members(struct jw *w, const struct trip_report_row *r);
void trip_photo_members(struct jw *w, struct sh_arena *a, const struct trip_photo_row *p);

#endif
