/* SPDX-License-Identifier: MIT */
/* Who may do what: role sets used by the route table (routes.c). */
#ifndef SH_POLICY_H
#define SH_POLICY_H

#include "domain/roles.h"

/* maintain customer master data */
#define P_MASTER_WRITE  (RB(ADMIN) | RB(DEPT_HEAD) | RB(AGENT) | RB(SALES))
#define P_MASTER_DELETE (RB(ADMIN) | RB(DEPT_HEAD))
/* product catalogue */
#define P_MODEL_WRITE (RB(ADMIN) | RB(DEPT_HEAD) | RB(QC))
/* contracts: commercial staff and the customer itself */
#define P_CONTRACT_READ                                                                            \
    ((ROLES_STAFF & ~(RB(LOGISTICS) | RB(WAREHOUSE) | RB(PURCHASING))) | ROLES_EXTERNAL)
#define P_CONTRACT_WRITE (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(SALES))
/* units: also those who ship, stock, install and repair them */
#define P_UNIT_WRITE (P_MASTER_WRITE | RB(LOGISTICS) | RB(WAREHOUSE) | RB(TECHNICIAN) | RB(QC))
/* software versions (issue 18 item 3): who installs, repairs and inspects units records
 * their versions; the catalogue's keepers set the version rules; the department plans and
 * launches upgrade campaigns */
#define P_VERSION_WRITE                                                                            \
    (RB(ADMIN) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER) | RB(TECHNICIAN) | RB(QC))
#define P_VERSION_RULES P_MODEL_WRITE
#define P_CAMPAIGN      (RB(ADMIN) | RB(DEPT_HEAD) | RB(AGENT))
/* accounts and the audit trail */
#define P_USER_READ  (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD))
#define P_AUDIT_READ (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD))

/* service requests: who registers calls and letters (customers report their own) */
#define P_TICKET_CREATE                                                                            \
    (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(AGENT) | RB(SALES) | RB(DISPATCHER) |                 \
     RB(TECHNICIAN) | RB(QC) | ROLES_EXTERNAL)
/* change priority, fault category, policy; merge duplicates */
#define P_TICKET_EDIT (RB(ADMIN) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER))
/* record a warranty exclusion (人为因素, 不可抗力, third-party part) */
#define P_TICKET_EXCLUSION (RB(ADMIN) | RB(DEPT_HEAD) | RB(TECHNICIAN) | RB(QC))
/* fees (issue 13): admin and finance keep the rule sets; after-sales staff calculate and
 * record secondments and waiting on site */
#define P_FEE_EDIT (RB(ADMIN) | RB(FINANCE))
#define P_FEE_CALC                                                                                 \
    (P_FEE_EDIT | RB(GM) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER) | RB(TECHNICIAN) | RB(SALES))
#define P_FEE_RECORD (P_FEE_EDIT | RB(GM) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER))
/* bill a computed fee as a charge (review 68 M1): those who write charges */
#define P_FEE_BILL P_CHARGE_WRITE
/* charges, payments and costs (issue 13 item 6, docs/charges.md): finance, gm and admin keep
 * them; agents and dispatchers read charges, a technician those of their own trips (scoped),
 * a customer their own (scoped) */
#define P_CHARGE_WRITE (RB(ADMIN) | RB(GM) | RB(FINANCE))
#define P_CHARGE_READ                                                                              \
    (P_CHARGE_WRITE | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER) | RB(TECHNICIAN) | RB(CUSTOMER))
#define P_CHARGE_PAY_READ                                                                          \
    (P_CHARGE_WRITE | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER) | RB(CUSTOMER))
#define P_COST_READ      (P_CHARGE_WRITE | RB(DEPT_HEAD))
#define P_FINANCE_REPORT (P_CHARGE_WRITE | RB(DEPT_HEAD))
/* quotes (issue 13 item 5): after-sales, sales and finance write them; customers read and
 * decide their own */
#define P_QUOTE_EDIT                                                                               \
    (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(AGENT) | RB(SALES) | RB(FINANCE) | RB(DISPATCHER))
#define P_QUOTE_READ   ROLES_QUOTE_READ
#define P_QUOTE_DECIDE (P_QUOTE_EDIT | ROLES_EXTERNAL)
/* SLA policies, calendars, fault catalogue */
#define P_CONFIG_WRITE (RB(ADMIN) | RB(DEPT_HEAD))
/* reports and KPIs */
#define P_REPORTS (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(QC))
/* periodic visits (issue 11 item 7): planners keep the plans and record findings with the
 * crew; a technician reads the plans they lead; staff performance: a technician their row */
#define P_VISIT_PLAN_READ  (P_REPORTS | RB(DISPATCHER) | RB(AGENT) | RB(TECHNICIAN))
#define P_VISIT_PLAN_WRITE (RB(ADMIN) | RB(DEPT_HEAD) | RB(DISPATCHER))
#define P_VISIT_FINDINGS   (P_VISIT_PLAN_WRITE | RB(GM) | RB(AGENT) | RB(TECHNICIAN) | RB(QC))
#define P_STAFF_REPORT     (P_REPORTS | RB(TECHNICIAN))

/* technicians (issue 5): a technician reads their own record (scoped by user_id) */
#define P_TECH_READ                                                                                \
    (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(DISPATCHER) | RB(AGENT) | RB(TECHNICIAN))
#define P_TECH_WRITE (RB(ADMIN) | RB(DEPT_HEAD) | RB(DISPATCHER))
/* a technician's calendar feed: theirs, or their planners' (app/ical_feeds.c checks which) */
#define P_ICAL        (P_TECH_WRITE | RB(TECHNICIAN))
#define P_TECH_DELETE (RB(ADMIN) | RB(DEPT_HEAD))
/* dispatch plans store nothing: the gm may run what-if plans; slots are for the agent */
#define P_DISPATCH_SOLVE (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(DISPATCHER))
#define P_DISPATCH_SLOTS (RB(ADMIN) | RB(DEPT_HEAD) | RB(DISPATCHER) | RB(AGENT))
/* the technician picker: whoever may assign a ticket (R_ROUTE), and the gm who reads */
#define P_TECH_PICK (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER))
/* market-support approvals (issue 12 item 3, F-05, R-051, A-04): sales files a request; who
 * decides is the approval matrix's data (app/approvals.c checks it), which admin and gm keep */
/* issue 18 item 1: the technical department records a diagnosis (equal to domain/diagnosis.h's
 * DIAG_ROLES, checked at compile time in api/diagnosis.c) */
#define P_DIAGNOSE (RB(ADMIN) | RB(DEPT_HEAD) | RB(TECHNICIAN) | RB(QC))
/* issue 18 item 8: recommendations recorded on a work order by the visit's crew and the desk;
 * the leads they hand to sales */
#define P_RECOMMEND       (RB(ADMIN) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER) | RB(TECHNICIAN))
#define P_LEADS           (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(SALES))
#define P_APPROVAL_READ   (ROLES_STAFF & ~RB(TECHNICIAN))
#define P_APPROVAL_FILE   (RB(ADMIN) | RB(DEPT_HEAD) | RB(SALES))
#define P_APPROVAL_DECIDE ROLES_STAFF
#define P_APPROVAL_MATRIX (RB(ADMIN) | RB(GM))
/* dealers' installation applications (issue 13 item 2): a dealer account files and confirms
 * its own; after-sales (安装售服组, 营销总监) answers, sends the agreement and links the trip;
 * finance and sales read */
#define P_DAPP_STAFF  (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER))
#define P_DAPP_READ   (P_DAPP_STAFF | RB(FINANCE) | RB(SALES) | RB(DEALER))
#define P_DAPP_FILE   (P_DAPP_STAFF | RB(DEALER))
#define P_DAPP_ACT    (P_DAPP_STAFF | RB(DEALER))
#define P_DAPP_COUNTS (P_DAPP_STAFF | RB(FINANCE) | RB(SALES))
/* department coordination (issue 12 item 7, F-08, WF-22): after-sales raises, every
 * department reads and replies */
#define P_COORD_RAISE (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER))
/* work orders (issue 11): staff read (a technician their own crew's); planners book and
 * cancel; the crew (technicians) and planners act and record the work */
#define P_WO_READ ROLES_STAFF
#define P_WO_PLAN (RB(ADMIN) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER))
#define P_WO_ACT  (P_WO_PLAN | RB(TECHNICIAN))
/* the service report: also a customer account, the signed reports of its own tickets */
#define P_WO_REPORT_READ (P_WO_READ | RB(CUSTOMER))

/* spare parts (issue 14 item 1; docs/parts.md): the warehouse keeps the catalogue, the
 * locations, the minimums and the stock; a technician consumes and returns from their own
 * van (app/parts.c checks it) and records the faulty parts they remove */
#define P_PARTS_WRITE  (RB(ADMIN) | RB(DEPT_HEAD) | RB(WAREHOUSE) | RB(PURCHASING))
#define P_STOCK_WRITE  (RB(ADMIN) | RB(DEPT_HEAD) | RB(WAREHOUSE) | RB(LOGISTICS))
#define P_STOCK_MOVE   (P_STOCK_WRITE | RB(TECHNICIAN))
#define P_STOCK_ALERTS (P_STOCK_WRITE | RB(PURCHASING) | RB(GM))
#define P_FAULTY_PARTS (P_STOCK_MOVE | RB(QC) | RB(PURCHASING) | RB(DISPATCHER) | RB(AGENT))

/* knowledge base (issue 18 item 4; docs/knowledge.md): every staff member reads and
 * forwards improvement input; the people who solve and take the problems write articles and
 * mark "this helped" on a ticket (technicians, qc, agents and their heads); customers and
 * dealers have no route to either */
#define P_KB_READ   ROLES_STAFF
#define P_KB_WRITE  (RB(ADMIN) | RB(DEPT_HEAD) | RB(TECHNICIAN) | RB(QC) | RB(AGENT))
#define P_KB_DELETE (RB(ADMIN) | RB(DEPT_HEAD))
#define P_IMPROVE   ROLES_STAFF

/* business trips (issue 12 item 4): staff read (a technician their own trips); after-sales
 * plans, cancels and closes; the travelling technicians (and after-sales) depart, return,
 * report, record expenses and hand in the feedback form (the use cases check membership) */
#define P_TRIP_READ   ROLES_STAFF
#define P_TRIP_PLAN   (RB(ADMIN) | RB(DEPT_HEAD) | RB(AGENT) | RB(DISPATCHER))
#define P_TRIP_ACT    (P_TRIP_PLAN | RB(TECHNICIAN))
#define P_TRIP_REPORT (P_REPORTS | RB(DISPATCHER) | RB(AGENT))

/* satisfaction surveys (issue 11 item 6): who reads a ticket's survey (a technician only
 * their own tickets', and only once answered), who records phone answers or a refusal and
 * issues a new link */
#define P_SURVEY_READ   ROLES_STAFF
#define P_SURVEY_RECORD (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(AGENT))
/* follow-up tasks: every staff member has a list (empty for most) */
#define P_TASKS ROLES_STAFF
/* shipments (issue 12 item 1): the departments of the chain read and act (each action's
 * roles are domain/shipment.c's table); sales files, after-sales raises replacements */
#define P_SHIPMENT_READ                                                                            \
    (RB(ADMIN) | RB(GM) | RB(DEPT_HEAD) | RB(AGENT) | RB(SALES) | RB(FINANCE) | RB(LOGISTICS) |    \
     RB(WAREHOUSE) | RB(QC))
/* return to factory (docs/rma.md): staff read and act (the domain table checks each action's
 * roles), QC adds inspection photos, a customer account reads its own RMAs' state */
#define P_RMA_READ  (ROLES_STAFF | RB(CUSTOMER))
#define P_RMA_PHOTO (RB(QC) | RB(ADMIN))
/* the actions: staff (the domain table checks each action's roles) and a customer account,
 * whose only action is the consent to its own RMA's proposed charge (WF-20 S5) */
#define P_RMA_ACT (ROLES_STAFF | RB(CUSTOMER))
/* the department's discipline (issue 18 item 7): the department head, the gm and admin check,
 * verify, record training and read conduct complaints (nobody else, not even the staff member
 * concerned); staff read the corrective actions they own, their own training, and write
 * suggestions (app/discipline_entities.c scopes the rows) */
#define P_DISC_HEAD ROLES_HEADS
/* complaint/return notices (docs/complaints.md): staff read, a customer account its own; the
 * desk, sales, QA and the heads file and edit them (the actions check their own roles) */
#define P_COMPLAINT_READ  (ROLES_STAFF | RB(CUSTOMER))
#define P_COMPLAINT_WRITE (RB(AGENT) | RB(SALES) | RB(DEPT_HEAD) | RB(QC) | RB(GM) | RB(ADMIN))
#define P_SHIPMENT_CREATE (RB(ADMIN) | RB(SALES) | RB(AGENT) | RB(DEPT_HEAD))
#define P_SHIPMENT_LINES  (RB(ADMIN) | RB(WAREHOUSE))
#define P_PAYMENT_WRITE   (RB(ADMIN) | RB(FINANCE))

/* suppliers, their commitments and the supplier cases' steps (issue 18 item 5) */
#define P_SUPPLIER_WRITE (RB(ADMIN) | RB(DEPT_HEAD) | RB(PURCHASING))

#endif
