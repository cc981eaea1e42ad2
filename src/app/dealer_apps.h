/* SPDX-License-Identifier: MIT */
/* Dealers' installation applications (工程项目安装服务申请, issue 13 item 2; WF-11, F-15,
 * F-16, R-123…; docs/dealer-applications.md): the record on the entity engine
 * (a dealer account files its own; the list, filters, overdue views and export are the
 * engine's), the actions (answer in FIFO order, agreement with the cabinet_install fee,
 * confirmation, the trip), the queue with each application's place, the counts, and the
 * guard a linked trip's departure passes. */
#ifndef SH_APP_DEALER_APPS_H
#define SH_APP_DEALER_APPS_H

#include "app/entity.h"
#include "app/uc.h"
#include "base/jw.h"
#include "base/sh_buf.h"
#include "domain/dealer_app.h"

extern const struct entity ent_dealer_applications;

/* The fee rule set an agreement is computed with, and the keys of its piece table the
 * appliance and accessory counts fill (docs/fees.md). */
#define DAPP_FEE_SET      "cabinet_install"
#define DAPP_PIECE_APPL   "电器"
#define DAPP_PIECE_ACCESS "百货配件"

struct dapp_act_in {
    int64_t id;
    enum dapp_action action;
    const char *note;       /* refuse, not_supported, cancel: required; approve: optional */
    const char *queue_note; /* answering out of order: required (why it jumps the queue) */
    /* send_agreement (F-16) */
    const char *order_no, *departure_date;
    int64_t price_fen;
    bool has_price;
    int64_t appliances, accessories;
    int64_t trip_id;  /* assign_trip */
    int64_t if_match; /* -1: no check */
};

/* One action on an application; *json gets the record after it (audited). */
SH_WUR enum sh_code uc_dealer_app_act(const struct uc *u, const struct dapp_act_in *in,
                                      const char **json, struct sh_err *e);

/* RULE: a trip linked to an application departs only when the dealer confirmed
 * the agreement by the end of the working day before the trip's planned departure (409
 * reason guard, params.guard dealer_confirmation, application_id, late); the applications it
 * serves become dispatched. Called by the trip's depart action. */
SH_WUR enum sh_code uc_dealer_app_depart(const struct uc *u, int64_t trip_id,
                                         const char *planned_departure_at, struct sh_err *e);

/* The open queue: applications waiting for an answer in order of submission with their place
 * (1 = next), then the approved ones awaiting agreement, confirmation or departure; each with
 * the deadline it is overdue on, if any. A dealer account gets its own (places counted over
 * every dealer's). Rendered as a page of {application, place, overdue}. */
struct dapp_queue {
    struct db_rows rows;
    int64_t *place; /* 0: not waiting for an answer */
    const char **overdue;
    int n;
    bool external;
};
SH_WUR enum sh_code uc_dealer_app_queue(const struct uc *u, struct dapp_queue *out,
                                        struct sh_err *e);
void dapp_queue_item(struct jw *w, int i, const void *arg);

/* the counts (queue length, overdue answers, agreements and confirmations now, late
 * ones done, refusals, not supported) as an object. */
SH_WUR enum sh_code uc_dealer_app_counts(const struct uc *u, struct jw *w, struct sh_err *e);

/* The agreement (F-16) of an application, as PDF (api/pdf.h): uc_dealer_app_agreement reads
 * the application into out (404 before the agreement is sent, or outside the caller's scope);
 * dealer_app_agreement_doc builds the document in lang from those rows, without the database. */
SH_WUR enum sh_code uc_dealer_app_agreement(const struct uc *u, int64_t id, struct db_rows *out,
                                            struct sh_err *e);
struct rpdf_doc;
void dealer_app_agreement_doc(const struct app *app, struct sh_arena *a, const char *lang,
                              const struct db_rows *r, struct rpdf_doc *d);

/* The series the cabinet_install rule set in effect today knows (key and label). */
SH_WUR enum sh_code uc_dealer_app_series(const struct uc *u, struct jw *w, struct sh_err *e);

#endif
