/* SPDX-License-Identifier: MIT */
/* The route table: every API route, with the roles that may call it. The
 * OpenAPI description (docs/openapi.yaml) must list each one: a test checks. */
#include "api/api.h"
#include "api/handlers.h"
#include "api/meta.h"
#include "api/policy.h"

#include "api/report_kpi.h"
#include "api/reports.h"
#include "api/tel.h"
#include "api/checklists.h"
#include "api/dealer_apps.h"
#include "api/discipline.h"
#include "api/install_projects.h"
#include "api/parts.h"
#include "api/fees.h"
#include "api/quotes.h"
#include "api/technicians.h"
#include "api/tickets.h"
#include "api/trips.h"
#include "api/work_orders.h"
#include "app/approvals.h"
#include "app/charges.h"
#include "app/checklist_entities.h"
#include "app/complaints.h"
#include "app/coordination.h"
#include "app/dealer_apps.h"
#include "app/kb.h"
#include "app/discipline.h"
#include "app/diagnosis.h"
#include "app/recommendations.h"
#include "app/parts.h"
#include "app/phone_records.h"
#include "app/resources.h"
#include "app/rmas.h"
#include "app/shipments.h"
#include "app/suppliers.h"
#include "app/technicians.h"
#include "app/ticket_entities.h"
#include "app/versions.h"
#include "app/visit_plan_entities.h"

extern const struct entity ent_departments, ent_customers, ent_contacts, ent_sites, ent_models,
    ent_contracts, ent_units, ent_users, ent_visit_plans, ent_secondments, ent_waiting_records;

/* The query parameters of a GET (route.query): the report period, a report's file, the
 * registers' and KPI reports' filters, the stock lists' */
#define Q_PERIOD "from to"
#define Q_FILE   "format lang"
#define Q_KPI    Q_PERIOD " department_id staff_id customer_id model_id region " Q_FILE
#define Q_STOCK  "part_id location_id mine limit offset"

/* list, create, get, update, delete with the roles for reading, writing and deleting */
#define CRUD(path, ent, rd, wr, del)                                                               \
    {"GET", "/api/v1/" path, ent_list, (rd), 0, &(ent)},                                           \
        {"POST", "/api/v1/" path, ent_create, (wr), ROUTE_FORESEE, &(ent)},                        \
        {"GET", "/api/v1/" path "/{id}", ent_get, (rd), 0, &(ent), "expand"},                      \
        {"PATCH", "/api/v1/" path "/{id}", ent_update, (wr), 0, &(ent)},                           \
    {                                                                                              \
        "DELETE", "/api/v1/" path "/{id}", ent_delete, (del), 0, &(ent)                            \
    }

/* A route's query (its last member) is left out where the GET takes no query parameter, or
 * the route is no GET: NULL, none (api/app.c refuses any). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const struct route api_routes[] = {
    {"POST", "/api/v1/session", h_session_create, ROLES_ALL, ROUTE_PUBLIC | ROUTE_NO_CSRF, NULL},
    {"GET", "/api/v1/session", h_session_get, ROLES_ALL, 0, NULL},
    {"DELETE", "/api/v1/session", h_session_delete, ROLES_ALL, 0, NULL},
    {"GET", "/api/v1/tokens", h_tokens_list, ROLES_ALL, 0, NULL},
    {"POST", "/api/v1/tokens", h_tokens_create, ROLES_ALL, 0, NULL},
    {"DELETE", "/api/v1/tokens/{id}", h_tokens_delete, ROLES_ALL, 0, NULL},
    {"GET", "/api/v1/roles", h_roles_list, ROLES_STAFF, 0, NULL},
    {"GET", "/api/v1/meta", h_meta, ROLES_ALL, 0, NULL},
    {"GET", "/api/v1/audit", h_audit_list, P_AUDIT_READ, 0, NULL, "entity id cursor limit"},
    /* the API reference (Redoc) and the description it renders: public documentation */
    {"GET", "/api/docs", h_api_docs, ROLES_ALL, ROUTE_PUBLIC, NULL},
    {"GET", "/api/openapi.yaml", h_openapi_yaml, ROLES_ALL, ROUTE_PUBLIC, NULL},

    {"GET", "/api/v1/users", ent_list, P_USER_READ, 0, &ent_users},
    {"POST", "/api/v1/users", h_users_create, RB(ADMIN), 0, &ent_users},
    {"GET", "/api/v1/users/{id}", ent_get, P_USER_READ, 0, &ent_users, "expand"},
    {"PATCH", "/api/v1/users/{id}", ent_update, RB(ADMIN), 0, &ent_users},
    {"POST", "/api/v1/users/{id}/password", h_users_password, ROLES_ALL, 0, &ent_users},

    CRUD("departments", ent_departments, ROLES_STAFF, RB(ADMIN), RB(ADMIN)),
    CRUD("customers", ent_customers, ROLES_ALL, P_MASTER_WRITE, P_MASTER_DELETE),
    {"GET", "/api/v1/customers/{id}/contacts", ent_list_child, ROLES_ALL, 0, &ent_contacts},
    {"GET", "/api/v1/customers/{id}/sites", ent_list_child, ROLES_ALL, 0, &ent_sites},
    {"GET", "/api/v1/customers/{id}/units", ent_list_child, ROLES_ALL, 0, &ent_units},
    {"GET", "/api/v1/customers/{id}/contracts", ent_list_child, P_CONTRACT_READ, 0, &ent_contracts},
    CRUD("contacts", ent_contacts, ROLES_ALL, P_MASTER_WRITE, P_MASTER_WRITE),
    CRUD("sites", ent_sites, ROLES_ALL, P_MASTER_WRITE, P_MASTER_WRITE),
    CRUD("models", ent_models, ROLES_ALL, P_MODEL_WRITE, RB(ADMIN)),
    CRUD("contracts", ent_contracts, P_CONTRACT_READ, P_CONTRACT_WRITE, RB(ADMIN)),
    {"POST", "/api/v1/contracts/{id}/review", h_contract_review, P_CONTRACT_WRITE, 0,
     &ent_contracts},
    CRUD("units", ent_units, ROLES_ALL, P_UNIT_WRITE, RB(ADMIN)),
    {"GET", "/api/v1/units/{id}/history", h_unit_history, ROLES_ALL, 0, &ent_units},
    /* software versions and upgrades (issue 18 item 3; docs/versions.md) */
    {"GET", "/api/v1/units/{id}/versions", h_unit_versions, ROLES_ALL, 0, NULL},
    {"POST", "/api/v1/units/{id}/versions", h_unit_version_add, P_VERSION_WRITE, 0, NULL},
    {"GET", "/api/v1/units/{id}/upgrade-entitlement", h_unit_upgrade_entitlement, ROLES_STAFF, 0,
     NULL, "kind cost_fen"},
    CRUD("version-rules", ent_version_rules, ROLES_STAFF, P_VERSION_RULES, P_VERSION_RULES),
    /* no DELETE: a launched campaign's tickets refer to it */
    {"GET", "/api/v1/upgrade-campaigns", ent_list, ROLES_STAFF, 0, &ent_upgrade_campaigns},
    {"POST", "/api/v1/upgrade-campaigns", ent_create, P_CAMPAIGN, 0, &ent_upgrade_campaigns},
    {"GET", "/api/v1/upgrade-campaigns/{id}", ent_get, ROLES_STAFF, 0, &ent_upgrade_campaigns,
     "expand"},
    {"PATCH", "/api/v1/upgrade-campaigns/{id}", ent_update, P_CAMPAIGN, 0, &ent_upgrade_campaigns},
    {"GET", "/api/v1/upgrade-campaigns/{id}/candidates", h_campaign_candidates, ROLES_STAFF, 0,
     NULL},
    {"POST", "/api/v1/upgrade-campaigns/{id}/launch", h_campaign_launch, P_CAMPAIGN, 0, NULL},
    {"GET", "/api/v1/upgrade-campaigns/{id}/progress", h_campaign_progress, ROLES_STAFF, 0, NULL},
    {"POST", "/api/v1/upgrade-campaigns/{id}/record", h_campaign_record, P_VERSION_WRITE, 0, NULL},

    /* the customer's QR fault report: no sign-in, abuse-limited */
    {"GET", "/api/v1/public/units/{serial}", h_public_unit, ROLES_ALL, ROUTE_PUBLIC, NULL},
    {"POST", "/api/v1/public/units/{serial}/reports", h_public_report, ROLES_ALL,
     ROUTE_PUBLIC | ROUTE_NO_CSRF, NULL},
    {"GET", "/api/v1/public/reports/{token}", h_public_status, ROLES_ALL, ROUTE_PUBLIC, NULL},
    {"POST", "/api/v1/public/reports/{token}/photos", h_public_photo, ROLES_ALL,
     ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_RAW_BODY, NULL},
    /* the customer's satisfaction survey from its link: no sign-in */
    {"GET", "/api/v1/public/surveys/{token}", h_public_survey_get, ROLES_ALL, ROUTE_PUBLIC, NULL},
    {"GET", "/api/v1/public/calendars/{token}", h_ical_feed_public, ROLES_ALL, ROUTE_PUBLIC, NULL},
    {"POST", "/api/v1/public/surveys/{token}", h_public_survey_submit, ROLES_ALL,
     ROUTE_PUBLIC | ROUTE_NO_CSRF, NULL},

    /* the customer's quote from its link: no sign-in (issue 13 item 5) */
    {"GET", "/api/v1/public/quotes/{token}", h_public_quote_get, ROLES_ALL, ROUTE_PUBLIC, NULL},
    {"GET", "/api/v1/public/quotes/{token}/pdf", h_public_quote_pdf, ROLES_ALL, ROUTE_PUBLIC, NULL},
    {"POST", "/api/v1/public/quotes/{token}", h_public_quote_decide, ROLES_ALL,
     ROUTE_PUBLIC | ROUTE_NO_CSRF, NULL},

    /* service requests */
    {"GET", "/api/v1/tickets", ent_list, ROLES_ALL, 0, &ent_tickets},
    {"POST", "/api/v1/tickets", h_ticket_create, P_TICKET_CREATE, ROUTE_FORESEE | ROUTE_IDEM,
     &ent_tickets},
    {"GET", "/api/v1/tickets/{id}", h_ticket_get, ROLES_ALL, 0, &ent_tickets},
    {"PATCH", "/api/v1/tickets/{id}", ent_update, P_TICKET_EDIT, 0, &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/actions/{action}", h_ticket_action, ROLES_ALL, 0, &ent_tickets},
    {"GET", "/api/v1/tickets/{id}/events", h_ticket_events, ROLES_ALL, 0, &ent_tickets},
    {"GET", "/api/v1/ticket-queues", h_ticket_queues, ROLES_ALL, 0, NULL},
    {"POST", "/api/v1/tickets/{id}/comments", h_ticket_comment, ROLES_ALL, 0, &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/calls", h_ticket_call, ROLES_STAFF, 0, &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/attachments", h_ticket_attach, ROLES_ALL, ROUTE_RAW_BODY,
     &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/merge", h_ticket_merge, P_TICKET_EDIT, 0, &ent_tickets},
    {"GET", "/api/v1/tickets/{id}/warranty", h_ticket_warranty, ROLES_ALL, 0, &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/exclusion", h_ticket_exclusion, P_TICKET_EXCLUSION, 0,
     &ent_tickets},
    /* recommendations made during a visit and the sales leads they hand over (issue 18 item 8) */
    {"GET", "/api/v1/recommendations", ent_list, ROLES_ALL, 0, &ent_recommendations},
    {"POST", "/api/v1/recommendations", ent_create, P_RECOMMEND, 0, &ent_recommendations},
    {"GET", "/api/v1/recommendations/{id}", ent_get, ROLES_ALL, 0, &ent_recommendations, "expand"},
    {"GET", "/api/v1/leads", ent_list, P_LEADS, 0, &ent_leads},
    {"POST", "/api/v1/leads", ent_create, P_LEADS, 0, &ent_leads},
    {"GET", "/api/v1/leads/{id}", ent_get, P_LEADS, 0, &ent_leads, "expand"},
    {"PATCH", "/api/v1/leads/{id}", ent_update, P_LEADS, 0, &ent_leads},
    /* the technical department's phone diagnosis and routing (issue 18 item 1) */
    {"GET", "/api/v1/tickets/{id}/diagnoses", h_diagnosis_list, ROLES_STAFF, 0, &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/diagnoses", h_diagnosis_create, P_DIAGNOSE, 0, &ent_tickets},
    {"GET", "/api/v1/tickets/{id}/survey", h_ticket_survey_get, P_SURVEY_READ, 0, &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/survey", h_ticket_survey_record, P_SURVEY_RECORD, 0,
     &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/survey/link", h_ticket_survey_link, P_SURVEY_RECORD, 0,
     &ent_tickets},
    {"GET", "/api/v1/tasks", h_tasks_list, P_TASKS, 0, NULL, "scope status limit offset"},
    {"POST", "/api/v1/tasks/{id}/done", h_task_done, P_TASKS, 0, NULL},
    {"GET", "/api/v1/attachments/{id}", h_attachment_get, ROLES_ALL, 0, NULL},
    {"GET", "/api/v1/settings", h_settings_get, RB(ADMIN), 0, NULL},
    {"PATCH", "/api/v1/settings", h_settings_patch, RB(ADMIN), 0, NULL},
    /* quotes for chargeable work (issue 13 item 5; docs/quotes.md) */
    {"GET", "/api/v1/tickets/{id}/quotes", h_ticket_quotes, P_QUOTE_READ, 0, &ent_tickets,
     "status"},
    {"POST", "/api/v1/tickets/{id}/quotes", h_ticket_quote_create, P_QUOTE_EDIT, 0, &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/charge-told", h_ticket_charge_told, P_QUOTE_EDIT, 0,
     &ent_tickets},
    {"GET", "/api/v1/quotes", h_quotes_list, P_QUOTE_READ, 0, NULL, "ticket_id status"},
    {"GET", "/api/v1/quotes/{id}", h_quote_get, P_QUOTE_READ, 0, NULL},
    {"PUT", "/api/v1/quotes/{id}", h_quote_put, P_QUOTE_EDIT, 0, NULL},
    {"GET", "/api/v1/quotes/{id}/pdf", h_quote_pdf, P_QUOTE_READ, 0, NULL},
    {"POST", "/api/v1/quotes/{id}/send", h_quote_send, P_QUOTE_EDIT, 0, NULL},
    {"POST", "/api/v1/quotes/{id}/link", h_quote_link, P_QUOTE_EDIT, 0, NULL},
    {"POST", "/api/v1/quotes/{id}/revise", h_quote_revise, P_QUOTE_EDIT, 0, NULL},
    {"POST", "/api/v1/quotes/{id}/decision", h_quote_decision, P_QUOTE_DECIDE, 0, NULL},
    /* fees (issue 13 items 1, 3, 4; docs/fees.md) */
    {"GET", "/api/v1/fee-rule-sets", h_fee_sets_list, P_FEE_CALC, 0, NULL},
    {"POST", "/api/v1/fee-rule-sets", h_fee_set_create, P_FEE_EDIT, 0, NULL},
    {"GET", "/api/v1/fee-rule-sets/{id}", h_fee_set_get, P_FEE_CALC, 0, NULL},
    {"POST", "/api/v1/fee-rule-sets/{id}/versions", h_fee_version_add, P_FEE_EDIT, 0, NULL},
    {"POST", "/api/v1/fees/calculate", h_fee_calculate, P_FEE_CALC, 0, NULL},
    {"POST", "/api/v1/fees/bill", h_fee_calc_bill, P_FEE_BILL, ROUTE_IDEM, NULL},
    CRUD("secondments", ent_secondments, P_FEE_RECORD, P_FEE_RECORD, P_FEE_EDIT),
    {"POST", "/api/v1/secondments/{id}/bill", h_fee_record_bill, P_FEE_BILL, ROUTE_IDEM,
     &ent_secondments},
    CRUD("waiting-records", ent_waiting_records, P_FEE_RECORD | RB(TECHNICIAN),
         P_FEE_RECORD | RB(TECHNICIAN), P_FEE_EDIT),
    {"POST", "/api/v1/waiting-records/{id}/bill", h_fee_record_bill, P_FEE_BILL, ROUTE_IDEM,
     &ent_waiting_records},
    /* charges, payments, costs and their reports (issue 13 item 6; docs/charges.md) */
    CRUD("charges", ent_charges, P_CHARGE_READ, P_CHARGE_WRITE, RB(ADMIN) | RB(FINANCE)),
    {"GET", "/api/v1/charge-payments", ent_list, P_CHARGE_PAY_READ, 0, &ent_charge_payments},
    {"POST", "/api/v1/charge-payments", ent_create, P_CHARGE_WRITE, 0, &ent_charge_payments},
    /* one receipt across open charges; a credit applied or paid back (review 68 M7, M11) */
    {"POST", "/api/v1/charge-payments/allocate", h_charge_allocate, P_CHARGE_WRITE, ROUTE_IDEM,
     NULL},
    {"POST", "/api/v1/charges/{id}/apply-credit", h_credit_apply, P_CHARGE_WRITE, ROUTE_IDEM, NULL},
    {"POST", "/api/v1/charges/{id}/refund", h_credit_refund, P_CHARGE_WRITE, ROUTE_IDEM, NULL},
    {"GET", "/api/v1/charge-payments/{id}", ent_get, P_CHARGE_PAY_READ, 0, &ent_charge_payments,
     "expand"},
    /* a payer's account statement (M4, M6): its own for a customer or dealer account */
    {"GET", "/api/v1/account", h_account, P_CHARGE_PAY_READ | RB(DEALER), 0, NULL,
     "customer_id open limit offset " Q_FILE},
    CRUD("cost-lines", ent_cost_lines, P_COST_READ, P_CHARGE_WRITE, RB(ADMIN) | RB(FINANCE)),
    {"GET", "/api/v1/reports/receivables", h_report_receivables, P_FINANCE_REPORT, 0, NULL,
     "as_of by " Q_FILE},
    {"GET", "/api/v1/reports/costs", h_report_costs, P_FINANCE_REPORT, 0, NULL,
     Q_PERIOD " group " Q_FILE},
    {"GET", "/api/v1/reports/fee-revenue", h_report_fee_revenue, P_FINANCE_REPORT, 0, NULL,
     Q_PERIOD " " Q_FILE},
    {"GET", "/api/v1/notifications", h_notify_list, RB(ADMIN) | RB(DEPT_HEAD), 0, NULL,
     "state channel recipient from to limit cursor"},
    {"POST", "/api/v1/notifications/test", h_notify_test, RB(ADMIN), 0, NULL},
    {"GET", "/api/v1/notification-channels", h_notify_channels, RB(ADMIN), 0, NULL},
    {"PUT", "/api/v1/notification-channels/{channel}", h_notify_channel_put, RB(ADMIN), 0, NULL},
    {"GET", "/api/v1/notification-templates", h_notify_templates, RB(ADMIN), 0, NULL},
    {"PUT", "/api/v1/notification-templates/{kind}/{locale}", h_notify_template_put, RB(ADMIN), 0,
     NULL},
    {"POST", "/api/v1/notifications/{id}/retry", h_notify_retry, RB(ADMIN) | RB(DEPT_HEAD), 0,
     NULL},
    {"POST", "/api/v1/notification-templates/{kind}/{locale}/preview", h_notify_template_preview,
     RB(ADMIN), 0, NULL},
    {"POST", "/api/v1/notifications/reminders", h_notify_reminders, RB(ADMIN), 0, NULL},
    {"GET", "/api/v1/notifications/{id}/letter", h_notify_letter,
     RB(ADMIN) | RB(DEPT_HEAD) | RB(AGENT), 0, NULL},
    {"POST", "/api/v1/notifications/{id}/printed", h_notify_printed,
     RB(ADMIN) | RB(DEPT_HEAD) | RB(AGENT), 0, NULL},
    {"GET", "/api/v1/reports/repeat-repairs", h_report_repeat_repairs, P_REPORTS, 0, NULL,
     Q_PERIOD},
    CRUD("fault-categories", ent_fault_categories, ROLES_ALL, P_CONFIG_WRITE, RB(ADMIN)),
    CRUD("calendars", ent_calendars, ROLES_STAFF, P_CONFIG_WRITE, RB(ADMIN)),
    CRUD("calendar-days", ent_calendar_days, ROLES_STAFF, P_CONFIG_WRITE, RB(ADMIN)),
    CRUD("sla-policies", ent_sla_policies, ROLES_STAFF, P_CONFIG_WRITE, RB(ADMIN)),
    /* checklists (issue 11 item 4): templates and their items, the work order's answers */
    CRUD("checklist-templates", ent_checklist_templates, ROLES_STAFF, P_CONFIG_WRITE, RB(ADMIN)),
    CRUD("checklist-items", ent_checklist_items, ROLES_STAFF, P_CONFIG_WRITE, RB(ADMIN)),
    {"GET", "/api/v1/work-orders/{id}/checklist", h_wo_checklist_get, ROLES_STAFF, 0, NULL},
    {"PUT", "/api/v1/work-orders/{id}/checklist/items/{item}", h_wo_checklist_item, ROLES_STAFF, 0,
     NULL},
    {"POST", "/api/v1/work-orders/{id}/checklist/items/{item}", h_wo_checklist_item, ROLES_STAFF, 0,
     NULL},
    {"POST", "/api/v1/work-orders/{id}/photos", h_wo_photo_add, ROLES_STAFF, ROUTE_RAW_BODY, NULL},
    {"GET", "/api/v1/work-orders/{id}/photos", h_wo_photos, ROLES_STAFF, 0, NULL},
    {"GET", "/api/v1/work-orders/{id}/photos/{photo}", h_wo_photo_get, ROLES_STAFF, 0, NULL},
    {"GET", "/api/v1/units/{id}/qr.svg", h_unit_qr, ROLES_STAFF, 0, &ent_units},
    /* technicians and dispatch (issue 5, docs/dispatch.md "API") */
    CRUD("skills", ent_skills, ROLES_STAFF, P_CONFIG_WRITE, RB(ADMIN)),
    CRUD("technicians", ent_technicians, P_TECH_READ, P_TECH_WRITE, P_TECH_DELETE),
    /* the calendar feed (issue 15 item 5): the technician and their planners */
    {"GET", "/api/v1/technicians/{id}/calendar-feed", h_ical_feed_get, P_ICAL, 0, NULL},
    {"POST", "/api/v1/technicians/{id}/calendar-feed", h_ical_feed_rotate, P_ICAL, 0, NULL},
    {"GET", "/api/v1/technicians/{id}/calendar-feed/qr.svg", h_ical_feed_qr, P_ICAL, 0, NULL, "v"},
    {"POST", "/api/v1/dispatch/solve", h_dispatch_solve, P_DISPATCH_SOLVE, 0, NULL},
    {"POST", "/api/v1/dispatch/slots", h_dispatch_slots, P_DISPATCH_SLOTS, 0, NULL},
    {"GET", "/api/v1/dispatch/technicians", h_technicians_pick, P_TECH_PICK, 0, NULL,
     "q skill limit"},
    /* periodic visits and staff performance (issue 11 items 7 and 9, docs/visits.md) */
    CRUD("visit-plans", ent_visit_plans, P_VISIT_PLAN_READ, P_VISIT_PLAN_WRITE, P_MASTER_DELETE),
    {"POST", "/api/v1/visit-plans/{id}/generate", h_visit_plans_run, P_VISIT_PLAN_WRITE, 0,
     &ent_visit_plans},
    {"GET", "/api/v1/visit-plans/{id}/visits", h_visit_plan_visits, P_VISIT_PLAN_READ, 0,
     &ent_visit_plans},
    {"GET", "/api/v1/work-orders/{id}/findings", h_visit_findings_get, P_VISIT_FINDINGS, 0, NULL},
    {"POST", "/api/v1/work-orders/{id}/findings", h_visit_findings_post, P_VISIT_FINDINGS, 0, NULL},
    {"GET", "/api/v1/reports/visits", h_report_visits, P_REPORTS, 0, NULL, Q_PERIOD " " Q_FILE},
    {"GET", "/api/v1/reports/staff", h_report_staff, P_STAFF_REPORT, 0, NULL, Q_PERIOD " " Q_FILE},
    /* dealers' installation applications (issue 13 item 2; docs/dealer-applications.md) */
    {"GET", "/api/v1/dealer-applications/queue", h_dapp_queue, P_DAPP_READ, 0, NULL},
    {"GET", "/api/v1/dealer-applications/counts", h_dapp_counts, P_DAPP_COUNTS, 0, NULL},
    {"GET", "/api/v1/dealer-applications/series", h_dapp_series, P_DAPP_READ, 0, NULL},
    {"GET", "/api/v1/dealer-applications", ent_list, P_DAPP_READ, 0, &ent_dealer_applications},
    {"POST", "/api/v1/dealer-applications", ent_create, P_DAPP_FILE, 0, &ent_dealer_applications},
    {"GET", "/api/v1/dealer-applications/{id}", ent_get, P_DAPP_READ, 0, &ent_dealer_applications,
     "expand"},
    {"POST", "/api/v1/dealer-applications/{id}/actions", h_dapp_action, P_DAPP_ACT, 0,
     &ent_dealer_applications},
    {"GET", "/api/v1/dealer-applications/{id}/agreement.pdf", h_dapp_agreement_pdf, P_DAPP_READ, 0,
     NULL, "lang"},
    /* the department's discipline (issue 18 item 7; docs/discipline.md): spot checks and
     * patrols with their corrective actions, staff training, conduct complaints (the heads
     * only), suggestions to a superior */
    CRUD("spot-checks", ent_spot_checks, P_DISC_HEAD, P_DISC_HEAD, RB(ADMIN)),
    {"GET", "/api/v1/corrective-actions", ent_list, ROLES_STAFF, 0, &ent_corrective_actions},
    {"POST", "/api/v1/corrective-actions", ent_create, P_DISC_HEAD, 0, &ent_corrective_actions},
    {"GET", "/api/v1/corrective-actions/{id}", ent_get, ROLES_STAFF, 0, &ent_corrective_actions,
     "expand"},
    {"PATCH", "/api/v1/corrective-actions/{id}", ent_update, P_DISC_HEAD, 0,
     &ent_corrective_actions},
    {"POST", "/api/v1/corrective-actions/{id}/actions", h_corrective_step, ROLES_STAFF, 0,
     &ent_corrective_actions},
    CRUD("staff-trainings", ent_staff_trainings, ROLES_STAFF, P_DISC_HEAD, RB(ADMIN)),
    CRUD("training-attendances", ent_training_attendances, ROLES_STAFF, P_DISC_HEAD, P_DISC_HEAD),
    CRUD("conduct-complaints", ent_conduct_complaints, P_DISC_HEAD, P_DISC_HEAD, RB(ADMIN)),
    {"GET", "/api/v1/reports/conduct", h_report_conduct, P_DISC_HEAD, 0, NULL, Q_PERIOD},
    {"GET", "/api/v1/suggestion-addressees", h_suggestion_addressees, ROLES_STAFF, 0, NULL},
    {"GET", "/api/v1/suggestions", ent_list, ROLES_STAFF, 0, &ent_suggestions},
    {"POST", "/api/v1/suggestions", ent_create, ROLES_STAFF, 0, &ent_suggestions},
    {"GET", "/api/v1/suggestions/{id}", ent_get, ROLES_STAFF, 0, &ent_suggestions, "expand"},
    {"POST", "/api/v1/suggestions/{id}/reply", h_suggestion_reply, ROLES_STAFF, 0,
     &ent_suggestions},
    /* market-support approvals and department coordination (issue 12 items 3 and 7) */
    CRUD("approval-rules", ent_approval_rules, P_APPROVAL_READ, P_APPROVAL_MATRIX,
         P_APPROVAL_MATRIX),
    {"GET", "/api/v1/approvals", ent_list, P_APPROVAL_READ, 0, &ent_approvals},
    {"POST", "/api/v1/approvals", ent_create, P_APPROVAL_FILE, 0, &ent_approvals},
    {"GET", "/api/v1/approvals/{id}", ent_get, P_APPROVAL_READ, 0, &ent_approvals, "expand"},
    {"POST", "/api/v1/approvals/{id}/decision", h_approval_decide, P_APPROVAL_DECIDE, 0,
     &ent_approvals},
    {"GET", "/api/v1/coordination", ent_list, ROLES_STAFF, 0, &ent_coordination},
    {"POST", "/api/v1/coordination", ent_create, P_COORD_RAISE, 0, &ent_coordination},
    {"GET", "/api/v1/coordination/{id}", ent_get, ROLES_STAFF, 0, &ent_coordination, "expand"},
    {"PATCH", "/api/v1/coordination/{id}", ent_update, ROLES_STAFF, 0, &ent_coordination},
    /* telephone records (issue 18 item 2; docs/telephone.md): staff only */
    {"GET", "/api/v1/phone-records", ent_list, ROLES_STAFF, 0, &ent_phone_records},
    {"POST", "/api/v1/phone-records", ent_create, ROLES_STAFF, 0, &ent_phone_records},
    {"GET", "/api/v1/phone-records/superiors", h_phone_superiors, ROLES_STAFF, 0, NULL},
    {"GET", "/api/v1/phone-records/{id}", ent_get, ROLES_STAFF, 0, &ent_phone_records, "expand"},
    {"PATCH", "/api/v1/phone-records/{id}", ent_update, ROLES_STAFF, 0, &ent_phone_records},
    {"POST", "/api/v1/phone-records/{id}/forward", h_phone_forward, ROLES_STAFF, 0,
     &ent_phone_records},
    {"POST", "/api/v1/phone-records/{id}/reply", h_phone_reply, ROLES_STAFF, 0, &ent_phone_records},
    /* suppliers' commitments and supplier cases (issue 18 item 5; docs/telephone.md) */
    CRUD("suppliers", ent_suppliers, ROLES_STAFF, P_SUPPLIER_WRITE, RB(ADMIN)),
    CRUD("supplier-commitments", ent_supplier_commitments, ROLES_STAFF, P_SUPPLIER_WRITE,
         P_SUPPLIER_WRITE),
    {"GET", "/api/v1/supplier-cases", ent_list, ROLES_STAFF, 0, &ent_supplier_cases},
    {"POST", "/api/v1/supplier-cases", h_supplier_case_open, ROLES_STAFF, 0, NULL},
    {"GET", "/api/v1/supplier-cases/{id}", ent_get, ROLES_STAFF, 0, &ent_supplier_cases, "expand"},
    {"POST", "/api/v1/supplier-cases/{id}/actions", h_supplier_case_act, P_SUPPLIER_WRITE, 0, NULL},
    /* shipments (issue 12 items 1 and 6; docs/shipments.md) */
    {"GET", "/api/v1/payments", ent_list, P_SHIPMENT_READ, 0, &ent_payments},
    {"POST", "/api/v1/payments", ent_create, P_PAYMENT_WRITE, 0, &ent_payments},
    {"GET", "/api/v1/shipments", ent_list, P_SHIPMENT_READ, 0, &ent_shipments},
    {"POST", "/api/v1/shipments", h_shipment_create, P_SHIPMENT_CREATE, 0, NULL},
    {"GET", "/api/v1/shipments/{id}", h_shipment_get, P_SHIPMENT_READ, 0, NULL},
    {"POST", "/api/v1/shipments/{id}/actions", h_shipment_action, P_SHIPMENT_READ, 0, NULL},
    {"PUT", "/api/v1/shipments/{id}/lines/{line}", h_shipment_line, P_SHIPMENT_LINES, 0, NULL},
    {"GET", "/api/v1/reports/doa", h_report_doa, P_REPORTS, 0, NULL, Q_PERIOD},
    /* return to factory (issue 14 item 2; docs/rma.md) */
    {"GET", "/api/v1/rmas", ent_list, P_RMA_READ, 0, &ent_rmas},
    {"GET", "/api/v1/rmas/{id}", h_rma_get, P_RMA_READ, 0, NULL},
    {"POST", "/api/v1/rmas/{id}/actions", h_rma_action, P_RMA_ACT, 0, NULL},
    {"POST", "/api/v1/rmas/{id}/photos", h_rma_photo_add, P_RMA_PHOTO, ROUTE_RAW_BODY, NULL},
    {"GET", "/api/v1/rmas/{id}/photos/{photo}", h_rma_photo_get, ROLES_STAFF, 0, NULL},
    /* complaint/return notices, material samples, quality reports (issue 14 items 4-6, R-179;
     * docs/complaints.md) */
    {"GET", "/api/v1/complaints", ent_list, P_COMPLAINT_READ, 0, &ent_complaints},
    {"POST", "/api/v1/complaints", ent_create, P_COMPLAINT_WRITE, 0, &ent_complaints},
    {"GET", "/api/v1/complaints/{id}", h_complaint_get, P_COMPLAINT_READ, 0, NULL},
    {"GET", "/api/v1/complaints/{id}/notice.pdf", h_complaint_pdf, P_COMPLAINT_READ, 0, NULL,
     "lang"},
    {"PATCH", "/api/v1/complaints/{id}", ent_update, P_COMPLAINT_WRITE, 0, &ent_complaints},
    {"POST", "/api/v1/complaints/{id}/actions", h_complaint_action, ROLES_STAFF, 0, NULL},
    {"POST", "/api/v1/complaints/{id}/routes/{route}/ack", h_complaint_ack, ROLES_STAFF, 0, NULL},
    CRUD("material-samples", ent_material_samples, ROLES_STAFF, ROLES_STAFF, RB(ADMIN)),
    {"GET", "/api/v1/reports/quality-issues", h_report_quality_issues, P_REPORTS, 0, NULL, Q_KPI},
    {"GET", "/api/v1/reports/complaints", h_report_complaints, P_REPORTS, 0, NULL, Q_KPI},
    /* registers and KPI reports (issue 15 item 3; docs/reports.md) */
    {"GET", "/api/v1/reports/calls", h_report_calls, P_REPORTS, 0, NULL, Q_KPI},
    {"GET", "/api/v1/reports/dispatch", h_report_dispatch, P_REPORTS, 0, NULL, Q_KPI},
    {"GET", "/api/v1/reports/sla", h_report_sla, P_REPORTS, 0, NULL, Q_KPI},
    {"GET", "/api/v1/reports/punctuality", h_report_punctuality, P_REPORTS, 0, NULL, Q_KPI},
    {"GET", "/api/v1/reports/quality", h_report_quality, P_REPORTS, 0, NULL, Q_KPI},
    {"GET", "/api/v1/reports/warranty", h_report_warranty, P_REPORTS, 0, NULL, Q_KPI},
    {"GET", "/api/v1/reports/training", h_report_training, P_REPORTS, 0, NULL, Q_KPI},
    {"GET", "/api/v1/reports/shipments", h_report_shipments, P_REPORTS, 0, NULL, Q_KPI},
    {"GET", "/api/v1/dashboard", h_dashboard, P_REPORTS, 0, NULL,
     "department_id staff_id customer_id model_id region"},
    /* business trips (issue 12 item 4; docs/trips.md) */
    {"GET", "/api/v1/trips", h_trips_list, P_TRIP_READ, 0, NULL,
     "status technician ticket_id project_id overdue limit"},
    {"POST", "/api/v1/trips", h_trip_create, P_TRIP_PLAN, 0, NULL},
    {"GET", "/api/v1/trips/{id}", h_trip_get, P_TRIP_READ, 0, NULL},
    {"PATCH", "/api/v1/trips/{id}", h_trip_update, P_TRIP_ACT, 0, NULL},
    {"POST", "/api/v1/trips/{id}/actions", h_trip_action, P_TRIP_ACT, 0, NULL},
    {"POST", "/api/v1/trips/{id}/feedback", h_trip_feedback, P_TRIP_ACT, 0, NULL},
    {"POST", "/api/v1/trips/{id}/reports", h_trip_report_add, P_TRIP_ACT, 0, NULL},
    {"POST", "/api/v1/trips/{id}/reports/{report}/photos", h_trip_photo_add, P_TRIP_ACT,
     ROUTE_RAW_BODY, NULL},
    {"GET", "/api/v1/trips/{id}/photos/{photo}", h_trip_photo_get, P_TRIP_READ, 0, NULL},
    {"GET", "/api/v1/reports/trips", h_report_trips, P_TRIP_REPORT, 0, NULL, Q_PERIOD},
    /* work orders (issue 11; docs/work-orders.md) */
    {"GET", "/api/v1/work-orders", h_work_orders_list, P_WO_READ, 0, NULL,
     "ticket_id lead_id status day mine limit cursor"},
    {"POST", "/api/v1/work-orders", h_work_order_create, P_WO_PLAN, 0, NULL},
    {"GET", "/api/v1/work-orders/{id}", h_work_order_get, P_WO_READ, 0, NULL},
    {"PATCH", "/api/v1/work-orders/{id}", h_work_order_update, P_WO_ACT, 0, NULL},
    {"POST", "/api/v1/work-orders/{id}/actions", h_work_order_action, P_WO_ACT, 0, NULL},
    /* the service report (issue 11 item 5, F-09; docs/service-report.md) */
    {"POST", "/api/v1/work-orders/{id}/signature", h_wo_signature, P_WO_ACT, 0, NULL},
    {"GET", "/api/v1/work-orders/{id}/reports", h_wo_reports, P_WO_REPORT_READ, 0, NULL},
    {"GET", "/api/v1/work-orders/{id}/report.pdf", h_wo_report_pdf, P_WO_REPORT_READ, 0, NULL,
     "version lang"},
    {"POST", "/api/v1/work-orders/check", h_work_order_check, P_WO_PLAN, 0, NULL},
    {"POST", "/api/v1/work-orders/slots", h_work_order_slots, P_WO_PLAN, 0, NULL},
    /* spare parts and the stock ledger (issue 14 item 1; docs/parts.md) */
    /* knowledge base (issue 18 item 4): the literal paths before the CRUD's {id} */
    {"GET", "/api/v1/kb-articles/suggest", h_kb_suggest, P_KB_READ, 0, &ent_kb_articles,
     "text model limit"},
    {"POST", "/api/v1/kb-articles/from-ticket/{id}", h_kb_from_ticket, P_KB_WRITE, 0,
     &ent_kb_articles},
    CRUD("kb-articles", ent_kb_articles, P_KB_READ, P_KB_WRITE, P_KB_DELETE),
    {"POST", "/api/v1/kb-articles/{id}/attachments", h_kb_attach_add, P_KB_WRITE, ROUTE_RAW_BODY,
     &ent_kb_articles},
    {"GET", "/api/v1/kb-articles/{id}/attachments", h_kb_attachments, P_KB_READ, 0,
     &ent_kb_articles},
    {"GET", "/api/v1/kb-articles/{id}/attachments/{att}", h_kb_attachment_get, P_KB_READ, 0,
     &ent_kb_articles},
    {"DELETE", "/api/v1/kb-articles/{id}/attachments/{att}", h_kb_attachment_delete, P_KB_WRITE, 0,
     &ent_kb_articles},
    {"GET", "/api/v1/tickets/{id}/kb-links", h_kb_links, P_KB_READ, 0, &ent_tickets},
    {"POST", "/api/v1/tickets/{id}/kb-links", h_kb_link, P_KB_WRITE, 0, &ent_tickets},
    CRUD("improvement-inputs", ent_improvement_inputs, P_IMPROVE, P_IMPROVE, P_KB_DELETE),
    CRUD("parts", ent_parts, ROLES_STAFF, P_PARTS_WRITE, RB(ADMIN)),
    CRUD("stock-locations", ent_stock_locations, ROLES_STAFF, P_STOCK_WRITE, RB(ADMIN)),
    CRUD("stock-minimums", ent_stock_minimums, ROLES_STAFF, P_STOCK_WRITE, P_STOCK_WRITE),
    CRUD("faulty-parts", ent_faulty_parts, P_FAULTY_PARTS, P_FAULTY_PARTS, RB(ADMIN)),
    {"GET", "/api/v1/stock", h_stock_list, ROLES_STAFF, 0, NULL, Q_STOCK},
    {"GET", "/api/v1/stock/alerts", h_stock_alerts, P_STOCK_ALERTS, 0, NULL, Q_STOCK},
    {"GET", "/api/v1/stock-movements", h_movements_list, ROLES_STAFF, 0, NULL,
     Q_STOCK " work_order_id kind since"},
    {"POST", "/api/v1/stock-movements", h_movement_create, P_STOCK_MOVE, 0, NULL},
    /* installation projects, acceptance and training (issue 12 items 2 and 5) */
    {"GET", "/api/v1/installation-projects", h_ip_list, P_WO_READ, 0, NULL, "status customer_id"},
    {"POST", "/api/v1/installation-projects", h_ip_open, P_WO_PLAN, 0, NULL},
    {"GET", "/api/v1/installation-projects/{id}", h_ip_get, P_WO_READ, 0, NULL},
    {"POST", "/api/v1/installation-projects/{id}/schedule", h_ip_schedule, P_WO_PLAN, 0, NULL},
    {"POST", "/api/v1/installation-projects/{id}/work-orders", h_ip_book, P_WO_PLAN, 0, NULL},
    {"POST", "/api/v1/installation-projects/{id}/close", h_ip_close, P_WO_PLAN, 0, NULL},
    {"POST", "/api/v1/installation-projects/{id}/acceptance", h_ip_acceptance, P_WO_ACT, 0, NULL},
    {"POST", "/api/v1/installation-projects/{id}/training", h_ip_training, P_WO_ACT, 0, NULL},
    {"GET", "/api/v1/installation-projects/{id}/acceptance.pdf", h_ip_acceptance_pdf, P_WO_READ, 0,
     NULL, "lang"},
    {"GET", "/api/v1/installation-projects/{id}/training.pdf", h_ip_training_pdf, P_WO_READ, 0,
     NULL, "lang"},
    {"GET", "/api/v1/training-topics", h_training_topics, P_WO_READ, 0, NULL},
};
#pragma GCC diagnostic pop

const int api_nroutes = (int)(sizeof(api_routes) / sizeof(api_routes[0]));
