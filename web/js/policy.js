// Who may use what, read from the server's route table (GET /api/v1/meta, loaded
// after sign-in by app.js) so that navigation and buttons show only what the
// server will allow. Nothing here repeats a role list of the server.
import { routeRoles, meta } from './meta.js';

const EXTERNAL = ['customer', 'dealer'];

// Rebuilt by refreshPolicy() once the meta document is loaded.
export const P = {
  masterWrite: new Set(),
  unitWrite: new Set(),
  userRead: new Set(),
  queues: new Set(),
  intake: new Set(),
  calls: new Set(),
  ticketEdit: new Set(),
  woList: new Set(),
  visitPlans: new Set(),
  visitPlanWrite: new Set(),
  visitFindings: new Set(),
  visitReport: new Set(),
  staffReport: new Set(),
  checklistWrite: new Set(),
  approvals: new Set(),
  approvalFile: new Set(),
  approvalMatrix: new Set(),
  coordination: new Set(),
  coordRaise: new Set(),
  phoneRecords: new Set(),
  contractReview: new Set(),
  suppliers: new Set(),
  shipments: new Set(),
  rmas: new Set(),
  leads: new Set(),
  complaints: new Set(),
  complaintFile: new Set(),
  samples: new Set(),
  projects: new Set(),
  projectSign: new Set(),
  projectOpen: new Set(),
  trips: new Set(),
  tripPlan: new Set(),
  feeCalc: new Set(),
  secondments: new Set(),
  waiting: new Set(),
  feeBill: new Set(),
  secondmentBill: new Set(),
  waitingBill: new Set(),
  notifications: new Set(),
  notifyTemplates: new Set(),
  notifyChannels: new Set(),
  calendarFeed: new Set(),
  charges: new Set(),
  chargeWrite: new Set(),
  chargePay: new Set(),
  account: new Set(),
  receivables: new Set(),
  costReport: new Set(),
  dealerFile: new Set(),
  dealerQueue: new Set(),
  partsWrite: new Set(),
  stockMove: new Set(),
  stockAlerts: new Set(),
  stockOffice: new Set(),
  faultyParts: new Set(),
  kbRead: new Set(),
  kbWrite: new Set(),
  kbLink: new Set(),
  improve: new Set(),
  discHead: new Set(),
  discStaff: new Set(),
  conduct: new Set(),
  versionWrite: new Set(),
  versionRules: new Set(),
  versionRuleWrite: new Set(),
  campaigns: new Set(),
  campaignWrite: new Set(),
};

export function refreshPolicy() {
  P.masterWrite = routeRoles('POST', '/api/v1/customers');
  P.unitWrite = routeRoles('POST', '/api/v1/units');
  P.userRead = routeRoles('GET', '/api/v1/users');
  P.calls = routeRoles('POST', '/api/v1/tickets/{id}/calls');
  P.ticketEdit = routeRoles('PATCH', '/api/v1/tickets/{id}');
  // the dispatcher's work-order list: whoever books work orders (issue 11)
  P.woList = routeRoles('POST', '/api/v1/work-orders');
  P.visitPlans = routeRoles('GET', '/api/v1/visit-plans');
  P.visitPlanWrite = routeRoles('POST', '/api/v1/visit-plans');
  P.visitFindings = routeRoles('POST', '/api/v1/work-orders/{id}/findings');
  P.visitReport = routeRoles('GET', '/api/v1/reports/visits');
  P.staffReport = routeRoles('GET', '/api/v1/reports/staff');
  P.kpiReports = routeRoles('GET', '/api/v1/reports/sla');
  P.checklistWrite = routeRoles('POST', '/api/v1/checklist-templates');
  // market-support approvals and department coordination (issue 12 items 3 and 7)
  P.approvals = routeRoles('GET', '/api/v1/approvals');
  P.leads = routeRoles('GET', '/api/v1/leads'); // issue 18 item 8: sales leads
  P.approvalFile = routeRoles('POST', '/api/v1/approvals');
  P.approvalMatrix = routeRoles('POST', '/api/v1/approval-rules');
  P.coordination = routeRoles('GET', '/api/v1/coordination');
  P.coordRaise = routeRoles('POST', '/api/v1/coordination');
  P.phoneRecords = routeRoles('POST', '/api/v1/phone-records');
  P.contractReview = routeRoles('POST', '/api/v1/contracts/{id}/review');
  P.suppliers = routeRoles('POST', '/api/v1/supplier-cases/{id}/actions');
  // dealers' installation applications (issue 13 item 2): a dealer files; after-sales answers
  P.dealerFile = routeRoles('POST', '/api/v1/dealer-applications');
  P.dealerQueue = routeRoles('GET', '/api/v1/dealer-applications/counts');
  // software versions and upgrade campaigns (issue 18 item 3)
  P.versionWrite = routeRoles('POST', '/api/v1/units/{id}/versions');
  P.versionRules = routeRoles('GET', '/api/v1/version-rules');
  P.versionRuleWrite = routeRoles('POST', '/api/v1/version-rules');
  P.campaigns = routeRoles('GET', '/api/v1/upgrade-campaigns');
  P.campaignWrite = routeRoles('POST', '/api/v1/upgrade-campaigns');
  P.shipments = routeRoles('GET', '/api/v1/shipments');
  P.rmas = routeRoles('GET', '/api/v1/rmas');
  // complaint/return notices and material samples (issue 14 items 4 and 5)
  P.complaints = routeRoles('GET', '/api/v1/complaints');
  P.complaintFile = routeRoles('POST', '/api/v1/complaints');
  P.samples = routeRoles('GET', '/api/v1/material-samples');
  P.projects = routeRoles('GET', '/api/v1/installation-projects');
  P.projectSign = routeRoles('POST', '/api/v1/installation-projects/{id}/acceptance');
  P.projectOpen = routeRoles('POST', '/api/v1/installation-projects');
  // business trips: those who travel or send them, and the readers of the trip report
  P.tripPlan = routeRoles('POST', '/api/v1/trips');
  P.trips = new Set([...routeRoles('POST', '/api/v1/trips/{id}/actions'), ...routeRoles('GET', '/api/v1/reports/trips')]);
  P.feeCalc = routeRoles('POST', '/api/v1/fees/calculate');
  P.secondments = routeRoles('GET', '/api/v1/secondments');
  P.waiting = routeRoles('GET', '/api/v1/waiting-records');
  // billing a computed fee as a charge (review 2026-12-07 M1)
  P.feeBill = routeRoles('POST', '/api/v1/fees/bill');
  P.secondmentBill = routeRoles('POST', '/api/v1/secondments/{id}/bill');
  P.waitingBill = routeRoles('POST', '/api/v1/waiting-records/{id}/bill');
  P.notifications = routeRoles('GET', '/api/v1/notifications');
  P.notifyTemplates = routeRoles('GET', '/api/v1/notification-templates');
  P.notifyChannels = routeRoles('GET', '/api/v1/notification-channels');
  P.calendarFeed = routeRoles('GET', '/api/v1/technicians/{id}/calendar-feed');
  // charges, payments and costs (issue 13 item 6)
  P.charges = routeRoles('GET', '/api/v1/charges');
  P.chargeWrite = routeRoles('POST', '/api/v1/charges');
  P.chargePay = routeRoles('POST', '/api/v1/charge-payments');
  P.receivables = routeRoles('GET', '/api/v1/reports/receivables');
  P.account = routeRoles('GET', '/api/v1/account');
  // knowledge base and improvement input (issue 18 item 4)
  P.kbRead = routeRoles('GET', '/api/v1/kb-articles');
  P.kbWrite = routeRoles('POST', '/api/v1/kb-articles');
  P.kbLink = routeRoles('POST', '/api/v1/tickets/{id}/kb-links');
  P.improve = routeRoles('GET', '/api/v1/improvement-inputs');
  P.costReport = routeRoles('GET', '/api/v1/reports/costs');
  // spare parts (issue 14 item 1): the office pages for those who keep the catalogue or the
  // stock or read the reorder alerts; the technician has the van page instead
  P.partsWrite = routeRoles('POST', '/api/v1/parts');
  P.stockMove = routeRoles('POST', '/api/v1/stock-movements');
  P.stockAlerts = routeRoles('GET', '/api/v1/stock/alerts');
  P.stockOffice = new Set([...P.partsWrite, ...P.stockAlerts]);
  P.faultyParts = routeRoles('POST', '/api/v1/faulty-parts');
  // the department's discipline (issue 18 item 7): the heads check and verify; staff follow
  // their corrective actions, training and suggestions; conduct complaints the heads only
  P.discHead = routeRoles('POST', '/api/v1/spot-checks');
  P.discStaff = routeRoles('POST', '/api/v1/suggestions');
  P.conduct = routeRoles('GET', '/api/v1/conduct-complaints');
  // which staff are shown the service desk's pages is a choice of the UI, not a server rule
  // (the server lets more roles register tickets): the intake desk and the queues
  P.intake = new Set(['admin', 'dept_head', 'agent']);
  P.queues = new Set(['admin', 'gm', 'dept_head', 'agent', 'dispatcher', 'technician', 'qc']);
}

// The staff roles, from /meta's role list (the declaration in domain/roles.c).
export function staffRoles() {
  return (meta()?.roles || []).filter((r) => !EXTERNAL.includes(r));
}
export function isExternal(user) {
  return !!user && user.roles.length > 0 && user.roles.every((r) => EXTERNAL.includes(r));
}
export function isStaff(user) {
  return !!user && user.roles.some((r) => !EXTERNAL.includes(r));
}
export function may(user, perm) {
  return !!user && user.roles.some((r) => perm.has(r));
}
