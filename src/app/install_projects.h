/* SPDX-License-Identifier: MIT */
/* Installation projects (安装项目, WF-02, R-049; issue 12 item 2) and their signed forms
 * (项目验收单 F-24, 培训确认单 F-25, R-189; item 5). A project is opened for the units of a
 * contract that includes installation — on receipt of a shipment (uc_install_project_open with
 * plain ids) or by after-sales — and gets a ticket of type installation that its visits are
 * booked on: installation work orders linked by work_orders.project_id. Its installation
 * deadline is a clock on the company calendar. States: open → scheduled (date agreed with the
 * customer) → in_progress (a visit booked) → accepted (F-24 signed) → closed. */
#ifndef SH_APP_INSTALL_PROJECTS_H
#define SH_APP_INSTALL_PROJECTS_H

#include <stdbool.h>
#include <stddef.h>

#include "app/uc.h"
#include "app/work_orders.h"

#define IP_UNITS_MAX    200
#define IP_TRAINEES_MAX 100
#define IP_TOPICS_MAX   30
#define IP_NOTE_MAX     2000
#define IP_NAME_MAX     60

struct ip_row {
    int64_t id, customer_id, site_id, contract_id, ticket_id, shipment_id;
    const char *number, *status, *agreed_date, *deadline_at, *note, *accepted_at, *closed_at,
        *created_at, *updated_at, *customer_name, *site_name, *contract_number;
    int deadline_days, free_seats, version;
    bool training_required;
};

struct ip_unit {
    int64_t id;
    const char *serial_no, *model_name, *ship_date, *install_date, *warranty_start, *warranty_end,
        *warranty_basis;
};

struct ip_wo {
    int64_t id;
    const char *number, *kind, *status, *appointment_at, *lead_name;
    bool self_check_passed;
};

struct ip_signoff {
    bool present;
    int64_t id;
    const char *signer_name, *signed_at, *comment, *snapshot, *signature_sha256;
    int trainees, chargeable;
};

struct ip_view {
    struct ip_row row;
    struct ip_unit *units;
    int nunits;
    struct ip_wo *wos;
    int nwos;
    struct ip_signoff acceptance, training;
    const char *sla_state; /* ok, at_risk, breached, met */
    int64_t remaining_s;   /* working seconds left until the deadline (0 when past) */
};

struct ip_open_in {
    int64_t customer_id, site_id, shipment_id; /* site, shipment: 0 when not given */
    const int64_t *unit_ids;
    int nunits;
    const char *agreed_date; /* YYYY-MM-DD; NULL: not agreed yet */
    int deadline_days;       /* working days; 0: the company setting */
    const char *note;
};

/* Opens a project for the units (of the customer; on a contract that includes installation
 * when they are on one, 409 guard installation_not_included otherwise; a unit in another open
 * project: 409 duplicate) and its installation ticket, taken on by the caller. */
SH_WUR enum sh_code uc_install_project_open(const struct uc *u, const struct ip_open_in *in,
                                            struct ip_view *out, struct sh_err *e);
SH_WUR enum sh_code uc_install_project_load(const struct uc *u, int64_t id, struct ip_view *out,
                                            struct sh_err *e);

struct ip_list_in {
    const char *status; /* NULL: all */
    int64_t customer_id;
    int limit;
};
SH_WUR enum sh_code uc_install_project_list(const struct uc *u, const struct ip_list_in *in,
                                            struct ip_view **out, int *n, struct sh_err *e);

/* The date agreed with the customer: open → scheduled. */
SH_WUR enum sh_code uc_install_project_schedule(const struct uc *u, int64_t id,
                                                const char *agreed_date, struct ip_view *out,
                                                struct sh_err *e);

/* A visit: an installation work order on the project's ticket, linked to the project (its kind
 * is installation unless given); open or scheduled → in_progress. */
SH_WUR enum sh_code uc_install_project_book(const struct uc *u, int64_t id,
                                            const struct wo_create_in *in, struct wo_view *out,
                                            struct sh_err *e);
/* Links a work order to a project (the work order's ticket must be the project's). */
SH_WUR enum sh_code uc_install_project_link(const struct uc *u, int64_t project_id,
                                            int64_t work_order_id, struct sh_err *e);

/* accepted → closed; the training record is required when the project requires training
 * (R-054, 409 guard training). */
SH_WUR enum sh_code uc_install_project_close(const struct uc *u, int64_t id, struct ip_view *out,
                                             struct sh_err *e);

/* ---- the signed forms (install_signoff.c) ---- */

struct ip_trainee {
    const char *name, *position;
};

struct ip_sign_in {
    int64_t project_id;
    const char *signer_name, *comment;
    const void *png;
    size_t png_len;
    /* training only */
    const struct ip_trainee *trainees;
    int ntrainees;
    const char *const *topics;
    int ntopics;
    const char *trained_on; /* YYYY-MM-DD; NULL: today */
};

/* F-24: the customer's acceptance of the installed units. Every work order of the project that
 * is not cancelled must have passed its self-check (409 guard self_check) and one must be done
 * (409 guard work_order). Sets each unit's install date and its warranty start from the event
 * the company configures (setting warranty_start_event), audited; the project → accepted. */
SH_WUR enum sh_code uc_install_accept(const struct uc *u, const struct ip_sign_in *in,
                                      struct ip_view *out, struct sh_err *e);
/* F-25: the training record, trainees beyond the contract's free seats flagged chargeable;
 * topics from the configured list (setting training_topics). */
SH_WUR enum sh_code uc_install_training(const struct uc *u, const struct ip_sign_in *in,
                                        struct ip_view *out, struct sh_err *e);
/* The configured training topics, one a line. */
SH_WUR enum sh_code uc_training_topics(const struct uc *u, const char ***topics, int *n,
                                       struct sh_err *e);

/* A signed form to print: prepared in a transaction (audited), rendered outside it. */
struct ip_print {
    const char *kind, *number, *snapshot, *signer_name, *signed_at, *comment, *signature_sha256;
};
SH_WUR enum sh_code uc_install_print(const struct uc *u, int64_t id, const char *kind,
                                     struct ip_print *out, struct sh_err *e);
/* Its document (drawn by api/pdf.h): the signature read from the blob store. */
struct rpdf_doc;
SH_WUR enum sh_code install_pdf_doc(const struct app *app, const char *lang, struct sh_arena *a,
                                    const struct ip_print *p, struct rpdf_doc *d, struct sh_err *e);

/* Sets the units' install date and warranty start after acceptance (install_warranty.c). */
SH_WUR enum sh_code install_warranty_start(const struct uc *u, const struct ip_view *v,
                                           const char *install_date, const char *accept_date,
                                           struct sh_err *e);

#endif
