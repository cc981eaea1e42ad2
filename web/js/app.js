// The application shell: session, navigation by role, language switch and a
// hash router (#/customers, #/units/7 …) over the views in views/.
import { h, clear } from './dom.js';
import { api, setCsrf, setUnauthorizedHandler } from './api.js';
import { t, initLocale, setLocale, currentLocale, LOCALES, roleLabel } from './i18n.js';
import { isExternal, isStaff, may, P, refreshPolicy } from './policy.js';
import { loadMeta } from './meta.js';
import { reasonText } from './views/common.js';
import { signinView } from './views/signin.js';
import { homeView } from './views/home.js';
import { customersView, customerView } from './views/customers.js';
import { unitsView, unitView } from './views/units.js';
import { customerForm, unitForm } from './views/forms.js';
import { labelsView } from './views/labels.js';

export const state = { user: null, notice: null };

// a technician's first screen is their day (views/tech.js), not the tiles
const isTech = (u) => !!u && u.roles.includes('technician');
const dayView = lazy('./views/tech.js', 'dayView');
// the department head's and general manager's first screen is the dashboard (issue 15)
const isHead = (u) => !!u && (u.roles.includes('gm') || u.roles.includes('dept_head')) && may(u, P.kpiReports);
const dashboardView = lazy('./views/dashboard.js', 'dashboardView');

const routes = [
  [/^\/$/, (c) => (isTech(state.user) ? dayView(c) : isHead(state.user) ? dashboardView(c) : homeView(c))],
  [/^\/customers$/, customersView, isStaff],
  [/^\/customers\/new$/, (c) => customerForm(c, null), isStaff],
  [/^\/customers\/(\d+)$/, (c, id) => customerView(c, id)],
  [/^\/customers\/(\d+)\/edit$/, (c, id) => customerForm(c, id), isStaff],
  [/^\/units$/, unitsView],
  [/^\/units\/new$/, (c) => unitForm(c, null), isStaff],
  [/^\/units\/(\d+)$/, (c, id) => unitView(c, id)],
  [/^\/units\/(\d+)\/edit$/, (c, id) => unitForm(c, id), isStaff],
  [/^\/labels$/, labelsView, isStaff],
  // ticket screens load on first use: the console's first load stays small
  [/^\/queues$/, lazy('./views/tickets.js', 'queuesView'), (u) => may(u, P.queues)],
  [/^\/tickets\/(\d+)$/, lazy('./views/tickets.js', 'ticketView')],
  [/^\/intake$/, lazy('./views/intake.js', 'intakeView'), (u) => may(u, P.intake)],
  [/^\/work-orders$/, lazy('./views/wo.js', 'workOrdersView'), (u) => may(u, P.woList)],
  // shipments (issue 12 items 1 and 8)
  [/^\/shipments$/, lazy('./views/shipments.js', 'shipmentsView'), (u) => may(u, P.shipments)],
  [/^\/shipments\/new$/, lazy('./views/shipments.js', 'shipmentNewView'), (u) => may(u, P.shipments)],
  [/^\/shipments\/(\d+)$/, lazy('./views/shipments.js', 'shipmentView'), (u) => may(u, P.shipments)],
  // return to factory (issue 14 item 2)
  [/^\/leads$/, lazy('./views/leads.js', 'leadsView'), (u) => may(u, P.leads)],
  [/^\/rmas$/, lazy('./views/rmas.js', 'rmasView'), (u) => may(u, P.rmas)],
  [/^\/rmas\/(\d+)$/, lazy('./views/rmas.js', 'rmaView'), (u) => may(u, P.rmas)],
  // complaint/return notices, material samples, quality reports (issue 14 items 4-6, R-179)
  [/^\/complaints$/, lazy('./views/complaints.js', 'complaintsView'), (u) => may(u, P.complaints)],
  [/^\/complaints\/new$/, lazy('./views/complaints.js', 'complaintNewView'), (u) => may(u, P.complaintFile)],
  [/^\/complaints\/(\d+)$/, lazy('./views/complaints.js', 'complaintView'), (u) => may(u, P.complaints)],
  [/^\/material-samples$/, lazy('./views/complaints.js', 'samplesView'), (u) => may(u, P.samples)],
  [/^\/reports\/quality-issues$/, lazy('./views/complaints.js', 'qualityIssuesView'), (u) => may(u, P.kpiReports)],
  [/^\/reports\/complaints$/, lazy('./views/complaints.js', 'complaintsReportView'), (u) => may(u, P.kpiReports)],
  [/^\/portal$/, lazy('./views/portal.js', 'portalView'), isExternal],
  [/^\/portal\/new$/, lazy('./views/portal.js', 'portalNewView'), isExternal],
  // dealers' installation applications (issue 13 item 2): the dealer's own, the after-sales queue
  [/^\/dealer-apps$/, lazy('./views/dealer_apps.js', 'dealerAppsView'), (u) => may(u, P.dealerFile)],
  [/^\/dealer-apps\/new$/, lazy('./views/dealer_apps.js', 'dealerAppNewView'), (u) => may(u, P.dealerFile)],
  [/^\/dealer-queue$/, lazy('./views/dealer_apps.js', 'dealerQueueView'), (u) => may(u, P.dealerQueue)],
  [/^\/day$/, dayView, isTech],
  [/^\/day\/(\d+)$/, lazy('./views/tech.js', 'visitView'), isTech],
  [/^\/day\/(\d+)\/sign$/, lazy('./views/tech.js', 'signView'), isTech],
  // periodic visits and staff performance (issue 11 items 7 and 9)
  [/^\/visit-plans$/, lazy('./views/visits.js', 'visitPlansView'), (u) => may(u, P.visitPlans)],
  [/^\/visit-plans\/new$/, lazy('./views/visits.js', 'visitPlanForm'), (u) => may(u, P.visitPlanWrite)],
  [/^\/visit-plans\/(\d+)$/, lazy('./views/visits.js', 'visitPlanForm'), (u) => may(u, P.visitPlans)],
  [/^\/work-orders\/(\d+)\/findings$/, lazy('./views/visits.js', 'visitFindingsView'), (u) => may(u, P.visitFindings)],
  [/^\/reports\/visits$/, lazy('./views/visits.js', 'visitReportView'), (u) => may(u, P.visitReport)],
  [/^\/reports\/staff$/, lazy('./views/visits.js', 'staffReportView'), (u) => may(u, P.staffReport)],
  // registers and KPI reports (issue 15 item 3)
  [/^\/reports$/, lazy('./views/kpi.js', 'reportsIndexView'), (u) => may(u, P.kpiReports)],
  [/^\/reports\/calls$/, lazy('./views/kpi.js', 'callsView'), (u) => may(u, P.kpiReports)],
  [/^\/reports\/dispatch$/, lazy('./views/kpi.js', 'dispatchView'), (u) => may(u, P.kpiReports)],
  [/^\/reports\/sla$/, lazy('./views/kpi.js', 'slaView'), (u) => may(u, P.kpiReports)],
  [/^\/reports\/punctuality$/, lazy('./views/kpi.js', 'punctualityView'), (u) => may(u, P.kpiReports)],
  [/^\/reports\/quality$/, lazy('./views/kpi.js', 'qualityView'), (u) => may(u, P.kpiReports)],
  [/^\/reports\/warranty$/, lazy('./views/kpi.js', 'warrantyView'), (u) => may(u, P.kpiReports)],
  [/^\/reports\/shipments$/, lazy('./views/kpi.js', 'shipmentsView'), (u) => may(u, P.kpiReports)],
  [/^\/reports\/training$/, lazy('./views/kpi.js', 'trainingReportView'), (u) => may(u, P.kpiReports)],
  [/^\/dashboard$/, dashboardView, (u) => may(u, P.kpiReports)],
  // market-support approvals and department coordination (issue 12 items 3 and 7)
  [/^\/approvals$/, lazy('./views/approvals.js', 'approvalsView'), (u) => may(u, P.approvals)],
  [/^\/approvals\/all$/, lazy('./views/approvals.js', 'approvalsAllView'), (u) => may(u, P.approvals)],
  [/^\/approvals\/new$/, lazy('./views/approvals.js', 'approvalForm'), (u) => may(u, P.approvalFile)],
  [/^\/approvals\/(\d+)$/, lazy('./views/approvals.js', 'approvalView'), (u) => may(u, P.approvals)],
  [/^\/approval-rules$/, lazy('./views/approvals.js', 'approvalRulesView'), (u) => may(u, P.approvalMatrix)],
  [/^\/approval-rules\/new$/, lazy('./views/approvals.js', 'approvalRuleForm'), (u) => may(u, P.approvalMatrix)],
  [/^\/approval-rules\/(\d+)$/, lazy('./views/approvals.js', 'approvalRuleForm'), (u) => may(u, P.approvalMatrix)],
  [/^\/coordination$/, lazy('./views/approvals.js', 'coordinationView'), (u) => may(u, P.coordination)],
  [/^\/coordination\/new$/, lazy('./views/approvals.js', 'coordinationForm'), (u) => may(u, P.coordRaise)],
  [/^\/coordination\/\d+$/, lazy('./views/approvals.js', 'coordinationView'), (u) => may(u, P.coordination)],
  // telephone records (issue 18 item 2): staff only
  [/^\/phone-records$/, lazy('./views/tel.js', 'phoneRecordsView'), (u) => may(u, P.phoneRecords)],
  [/^\/phone-records\/new$/, lazy('./views/tel.js', 'phoneRecordForm'), (u) => may(u, P.phoneRecords)],
  [/^\/phone-records\/(\d+)$/, lazy('./views/tel.js', 'phoneRecordView'), (u) => may(u, P.phoneRecords)],
  [/^\/suppliers$/, lazy('./views/suppliers.js', 'suppliersView'), (u) => may(u, P.suppliers)],
  [/^\/suppliers\/new$/, lazy('./views/suppliers.js', 'supplierForm'), (u) => may(u, P.suppliers)],
  [/^\/suppliers\/\d+$/, lazy('./views/suppliers.js', 'suppliersView'), (u) => may(u, P.suppliers)],
  [/^\/supplier-commitments\/new$/, lazy('./views/suppliers.js', 'commitmentForm'), (u) => may(u, P.suppliers)],
  [/^\/supplier-commitments\/\d+$/, lazy('./views/suppliers.js', 'suppliersView'), (u) => may(u, P.suppliers)],
  [/^\/phone-records\/(\d+)\/edit$/, lazy('./views/tel.js', 'phoneRecordEdit'), (u) => may(u, P.phoneRecords)],
  // installation projects, acceptance and training on the phone (issue 12 items 2, 5, 8)
  [/^\/projects$/, lazy('./views/projects.js', 'projectsView'), (u) => may(u, P.projects)],
  [/^\/projects\/new$/, lazy('./views/project_new.js', 'projectNewView'), (u) => may(u, P.projectOpen)],
  [/^\/projects\/(\d+)$/, lazy('./views/projects.js', 'projectView'), (u) => may(u, P.projects)],
  [/^\/projects\/(\d+)\/accept$/, lazy('./views/projects.js', 'acceptView'), (u) => may(u, P.projectSign)],
  [/^\/projects\/(\d+)\/training$/, lazy('./views/projects.js', 'trainingView'), (u) => may(u, P.projectSign)],
  // business trips (issue 12 item 4)
  [/^\/trips$/, lazy('./views/trips.js', 'tripsView'), (u) => may(u, P.trips)],
  [/^\/trips\/new$/, lazy('./views/trips.js', 'tripForm'), (u) => may(u, P.tripPlan)],
  [/^\/trips\/(\d+)$/, lazy('./views/trips.js', 'tripView'), (u) => may(u, P.trips)],
  // charges, payments and costs (issue 13 item 6)
  [/^\/receivables$/, lazy('./views/charges.js', 'receivablesView'), (u) => may(u, P.receivables)],
  [/^\/account$/, lazy('./views/account.js', 'accountView'), (u) => may(u, P.account)],
  [/^\/cost-report$/, lazy('./views/charges.js', 'costReportView'), (u) => may(u, P.costReport)],
  // fees (issue 13 items 1, 3, 4, 7): the calculator, secondments, waiting on site
  [/^\/fees$/, lazy('./views/fees.js', 'feeCalculatorView'), (u) => may(u, P.feeCalc)],
  [/^\/secondments$/, lazy('./views/fees.js', 'secondmentsView'), (u) => may(u, P.secondments)],
  [/^\/secondments\/new$/, lazy('./views/fees.js', 'secondmentForm'), (u) => may(u, P.secondments)],
  [/^\/secondments\/(\d+)$/, lazy('./views/fees.js', 'secondmentForm'), (u) => may(u, P.secondments)],
  [/^\/waiting-records$/, lazy('./views/fees.js', 'waitingView'), (u) => may(u, P.waiting)],
  [/^\/waiting-records\/new$/, lazy('./views/fees.js', 'waitingForm'), (u) => may(u, P.waiting)],
  [/^\/waiting-records\/(\d+)$/, lazy('./views/fees.js', 'waitingForm'), (u) => may(u, P.waiting)],
  // knowledge base and improvement input (issue 18 item 4)
  [/^\/kb$/, lazy('./views/know.js', 'knowledgeView'), (u) => may(u, P.kbRead)],
  [/^\/kb\/new$/, lazy('./views/know.js', 'kbForm'), (u) => may(u, P.kbWrite)],
  [/^\/kb\/(\d+)$/, lazy('./views/know.js', 'kbArticle'), (u) => may(u, P.kbRead)],
  [/^\/kb-articles\/(\d+)$/, lazy('./views/know.js', 'kbArticle'), (u) => may(u, P.kbRead)],
  [/^\/kb\/(\d+)\/edit$/, lazy('./views/know.js', 'kbForm'), (u) => may(u, P.kbWrite)],
  [/^\/improvements$/, lazy('./views/know.js', 'improveView'), (u) => may(u, P.improve)],
  [/^\/improvements\/new$/, lazy('./views/know.js', 'improveForm'), (u) => may(u, P.improve)],
  [/^\/(?:improvements|improvement-inputs)\/(\d+)$/, lazy('./views/know.js', 'improveForm'), (u) => may(u, P.improve)],
  // spare parts (issue 14 item 1): the catalogue, stock by location, the technician's van
  [/^\/parts$/, lazy('./views/parts.js', 'partsView'), (u) => may(u, P.stockOffice)],
  [/^\/parts\/new$/, lazy('./views/parts.js', 'partForm'), (u) => may(u, P.partsWrite)],
  [/^\/parts\/(\d+)$/, lazy('./views/parts.js', 'partForm'), (u) => may(u, P.stockOffice)],
  [/^\/stock$/, lazy('./views/parts.js', 'stockView'), (u) => may(u, P.stockOffice)],
  [/^\/van$/, lazy('./views/parts.js', 'vanView'), isTech],
  [/^\/faulty-parts$/, lazy('./views/parts.js', 'faultyView'), (u) => may(u, P.faultyParts)],
  [/^\/faulty-parts\/new$/, lazy('./views/parts.js', 'faultyForm'), (u) => may(u, P.faultyParts)],
  [/^\/faulty-parts\/(\d+)$/, lazy('./views/parts.js', 'faultyForm'), (u) => may(u, P.faultyParts)],
  [/^\/notifications$/, lazy('./views/notifications.js', 'notificationsView'), (u) => may(u, P.notifications)],
  [/^\/technicians\/(\d+|me)$/, lazy('./views/tech_profile.js', 'techProfileView'), (u) => may(u, P.calendarFeed)],
  [/^\/notify-templates$/, lazy('./views/notify_templates.js', 'templatesView'), (u) => may(u, P.notifyTemplates)],
  [/^\/notify-channels$/, lazy('./views/notify_templates.js', 'channelsView'), (u) => may(u, P.notifyChannels)],
  // the department's discipline (issue 18 item 7): spot checks, corrective actions, training,
  // conduct complaints (the heads), suggestions
  [/^\/spot-checks$/, lazy('./views/disc.js', 'spotChecksView'), (u) => may(u, P.discHead)],
  [/^\/spot-checks\/new$/, lazy('./views/disc.js', 'spotCheckForm'), (u) => may(u, P.discHead)],
  [/^\/spot-checks\/(\d+)$/, lazy('./views/disc.js', 'spotCheckView'), (u) => may(u, P.discHead)],
  [/^\/spot-checks\/(\d+)\/edit$/, lazy('./views/disc.js', 'spotCheckForm'), (u) => may(u, P.discHead)],
  [/^\/corrective-actions$/, lazy('./views/disc.js', 'correctiveActionsView'), (u) => may(u, P.discStaff)],
  [/^\/staff-trainings$/, lazy('./views/disc.js', 'trainingsView'), (u) => may(u, P.discStaff)],
  [/^\/staff-trainings\/new$/, lazy('./views/disc.js', 'trainingForm'), (u) => may(u, P.discHead)],
  [/^\/staff-trainings\/(\d+)$/, lazy('./views/disc.js', 'trainingView'), (u) => may(u, P.discStaff)],
  [/^\/my-training$/, lazy('./views/disc.js', 'myTrainingView'), (u) => may(u, P.discStaff)],
  [/^\/conduct-complaints$/, lazy('./views/disc.js', 'conductView'), (u) => may(u, P.conduct)],
  [/^\/conduct-complaints\/new$/, lazy('./views/disc.js', 'conductForm'), (u) => may(u, P.conduct)],
  [/^\/conduct-complaints\/(\d+)$/, lazy('./views/disc.js', 'conductForm'), (u) => may(u, P.conduct)],
  [/^\/suggestions$/, lazy('./views/disc.js', 'suggestionsView'), (u) => may(u, P.discStaff)],
  [/^\/suggestions\/new$/, lazy('./views/disc.js', 'suggestionForm'), (u) => may(u, P.discStaff)],
  [/^\/suggestions\/(\d+)$/, lazy('./views/disc.js', 'suggestionView'), (u) => may(u, P.discStaff)],
  // software versions and upgrade campaigns (issue 18 item 3)
  [/^\/version-rules$/, lazy('./views/versions.js', 'versionRulesView'), (u) => may(u, P.versionRules)],
  [/^\/version-rules\/new$/, lazy('./views/versions.js', 'versionRuleForm'), (u) => may(u, P.versionRuleWrite)],
  [/^\/version-rules\/(\d+)$/, lazy('./views/versions.js', 'versionRuleForm'), (u) => may(u, P.versionRuleWrite)],
  [/^\/upgrade-campaigns$/, lazy('./views/versions.js', 'campaignsView'), (u) => may(u, P.campaigns)],
  [/^\/upgrade-campaigns\/new$/, lazy('./views/versions.js', 'campaignForm'), (u) => may(u, P.campaignWrite)],
  [/^\/upgrade-campaigns\/(\d+)$/, lazy('./views/versions.js', 'campaignView'), (u) => may(u, P.campaigns)],
  [/^\/upgrade-campaigns\/(\d+)\/edit$/, lazy('./views/versions.js', 'campaignForm'), (u) => may(u, P.campaignWrite)],
  [/^\/checklists$/, lazy('./views/checklists.js', 'checklistsView'), (u) => may(u, P.checklistWrite)],
  [/^\/checklists\/new$/, lazy('./views/checklists.js', 'checklistView'), (u) => may(u, P.checklistWrite)],
  [/^\/checklists\/(\d+)$/, lazy('./views/checklists.js', 'checklistView'), (u) => may(u, P.checklistWrite)],
];

function lazy(mod, name) {
  return async (...args) => (await import(mod))[name](...args);
}

// Navigation entries: [route, catalogue key, who sees it]
function navItems(user) {
  const items = [['#/', 'ui.nav.home']];
  if (isTech(user)) items.splice(0, 1, ['#/day', 'tech.nav.day']);
  if (may(user, P.intake)) items.push(['#/intake', 'ui.nav.intake']);
  if (may(user, P.queues)) items.push(['#/queues', 'ui.nav.queues']);
  if (may(user, P.woList)) items.push(['#/work-orders', 'wo.nav.work_orders']);
  if (may(user, P.shipments)) items.push(['#/shipments', 'shp.nav.shipments']);
  if (may(user, P.stockOffice)) items.push(['#/parts', 'parts.nav.parts']);
  if (isTech(user)) items.push(['#/van', 'parts.nav.van']);
  if (may(user, P.kbRead)) items.push(['#/kb', 'kb.nav.kb']);
  if (may(user, P.rmas)) items.push(['#/rmas', 'rma.nav.rmas']);
  if (may(user, P.leads)) items.push(['#/leads', 'lead.nav.leads']);
  if (may(user, P.complaints) && !isTech(user)) items.push(['#/complaints', 'cmpl.nav.complaints']);
  if (may(user, P.samples) && !isTech(user)) items.push(['#/material-samples', 'cmpl.nav.samples']);
  if (isExternal(user)) items.push(['#/portal', 'ui.nav.portal']);
  if (isExternal(user) && may(user, P.account)) items.push(['#/account', 'account.nav.account']);
  if (isExternal(user) && may(user, P.dealerFile)) items.push(['#/dealer-apps', 'da.nav.mine']);
  if (may(user, P.dealerQueue)) items.push(['#/dealer-queue', 'da.nav.queue']);
  if (isStaff(user)) items.push(['#/customers', 'ui.nav.customers']);
  items.push(['#/units', isExternal(user) ? 'ui.nav.my_units' : 'ui.nav.units']);
  if (isExternal(user) && user.customer_id) items.push([`#/customers/${user.customer_id}`, 'ui.nav.my_company']);
  if (isStaff(user)) items.push(['#/labels', 'ui.nav.labels']);
  if (may(user, P.projects)) items.push(['#/projects', 'install.nav.projects']);
  if (may(user, P.visitPlans)) items.push(['#/visit-plans', 'visit.nav.visits']);
  if (may(user, P.staffReport)) items.push(['#/reports/staff', 'staff.nav.staff']);
  if (may(user, P.kpiReports)) items.push(['#/reports', 'kpi.nav.reports']);
  if (may(user, P.checklistWrite)) items.push(['#/checklists', 'checklist.nav.checklists']);
  if (may(user, P.campaignWrite)) items.push(['#/upgrade-campaigns', 'ver.nav.campaigns']);
  if (may(user, P.versionRuleWrite)) items.push(['#/version-rules', 'ver.nav.rules']);
  if (may(user, P.approvals)) items.push(['#/approvals', 'appr.nav.inbox']);
  if (may(user, P.coordination) && !isTech(user)) items.push(['#/coordination', 'appr.nav.coordination']);
  if (may(user, P.phoneRecords) && !isTech(user)) items.push(['#/phone-records', 'tel.nav.phone_records']);
  if (may(user, P.suppliers)) items.push(['#/suppliers', 'sup.nav.suppliers']);
  if (may(user, P.trips)) items.push(['#/trips', 'trip.nav.trips']);
  if (may(user, P.feeCalc)) items.push(['#/fees', 'fee.nav.calculator']);
  if (may(user, P.secondments)) items.push(['#/secondments', 'fee.nav.secondments']);
  if (may(user, P.waiting)) items.push(['#/waiting-records', 'fee.nav.waiting']);
  if (may(user, P.receivables)) items.push(['#/receivables', 'charge.nav.receivables']);
  if (may(user, P.costReport)) items.push(['#/cost-report', 'charge.nav.costs']);
  if (may(user, P.notifications)) items.push(['#/notifications', 'notify.nav.notifications']);
  if (may(user, P.notifyTemplates)) items.push(['#/notify-templates', 'tpl.nav.templates']);
  if (isTech(user)) items.push(['#/technicians/me', 'ical.nav.calendar']);
  if (may(user, P.discHead)) items.push(['#/spot-checks', 'disc.nav.checks']);
  if (may(user, P.discStaff)) items.push(['#/corrective-actions', 'disc.nav.actions']);
  if (may(user, P.discHead)) items.push(['#/staff-trainings', 'disc.nav.trainings']);
  else if (may(user, P.discStaff)) items.push(['#/my-training', 'disc.nav.my_training']);
  if (may(user, P.conduct)) items.push(['#/conduct-complaints', 'disc.nav.conduct']);
  if (may(user, P.discStaff)) items.push(['#/suggestions', 'disc.nav.suggestions']);
  return items;
}

export function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  return { path: path || '/', params: new URLSearchParams(qs || '') };
}

export function go(path, params) {
  const qs = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString() : '';
  const next = '#' + path + (qs ? '?' + qs : '');
  if (location.hash === next) render();
  else location.hash = next;
}

function langSwitch() {
  const id = 'lang-select';
  const sel = h('select', { id, name: 'lang', onchange: async (e) => { await setLocale(e.target.value); render(); } },
    LOCALES.map((l) => h('option', { value: l, selected: l === currentLocale() }, t(`ui.lang.${l}`))));
  return h('div', { class: 'lang' }, h('label', { for: id, class: 'lang-label' }, t('ui.lang.label')), sel);
}

function header(user) {
  const cur = '#' + parseHash().path;
  const nav = user
    ? h('nav', { 'aria-label': t('ui.nav.label'), class: 'nav' },
        h('ul', null, navItems(user).map(([href, key]) => {
          const here = href === cur || (href !== '#/' && cur.startsWith(href + '/'));
          return h('li', null, h('a', { href, 'aria-current': here ? 'page' : null, 'data-nav': key.split('.').pop() }, t(key)));
        })))
    : null;
  const who = user
    ? h('div', { class: 'who' },
        h('span', { class: 'who-name' }, user.display_name || user.username),
        h('span', { class: 'who-role' }, user.roles.map(roleLabel).join(' · ')),
        h('button', { type: 'button', class: 'btn btn-quiet', id: 'signout', onclick: signOut }, t('ui.signout')))
    : null;
  return h('header', { class: 'top' },
    h('div', { class: 'bar' },
      h('a', { href: '#/', class: 'brand' }, t('ui.app.name')),
      langSwitch(), who),
    nav);
}

// On a phone the navigation is one row that scrolls sideways (app.css): the current page's
// item is brought to the middle of it, so the row shows where the user is.
function showCurrentNav(root) {
  const ul = root.querySelector('.nav ul');
  const li = ul?.querySelector('a[aria-current="page"]')?.parentElement;
  if (!li || ul.scrollWidth <= ul.clientWidth) return;
  ul.scrollLeft = li.offsetLeft - ul.offsetLeft - (ul.clientWidth - li.offsetWidth) / 2;
}

async function signOut() {
  try { await api('DELETE', '/session'); } catch { /* already gone */ }
  state.user = null;
  setCsrf(null);
  state.notice = { kind: 'info', key: 'ui.signin.signed_out' };
  location.hash = '#/';
  render();
}

export function signedIn(session) {
  state.user = session.user;
  setCsrf(session.csrf_token);
  state.notice = null;
}

let seq = 0;
export async function render() {
  const my = ++seq;
  const root = document.getElementById('app');
  document.title = t('ui.app.title');
  if (publicPath()) {
    // the customer's QR fault report: no sign-in, no navigation
    const main = h('main', { id: 'main', tabindex: '-1', class: 'public' });
    clear(root).append(header(null), main);
    const { publicView } = await import('./views/public.js');
    await publicView(Object.assign(main, { isCurrent: () => my === seq }), publicPath());
    return;
  }
  if (state.user) {
    // the entity declarations and route roles: forms and role checks are built from them
    try { await loadMeta(); refreshPolicy(); } catch (e) { if (e.status === 401) return; }
    if (my !== seq) return;
  }
  const main = h('main', { id: 'main', tabindex: '-1' });
  clear(root).append(
    h('a', { href: '#main', class: 'skip', onclick: (e) => { e.preventDefault(); main.focus(); } }, t('ui.skip')),
    header(state.user), main);
  showCurrentNav(root);
  if (!state.user) {
    signinView(main);
    return;
  }
  const { path, params } = parseHash();
  let view = null, args = [];
  for (const [re, fn, allow] of routes) {
    const m = re.exec(path);
    if (m && (!allow || allow(state.user))) { view = fn; args = m.slice(1); break; }
  }
  if (!view) {
    main.append(h('h1', null, t('ui.notfound.title')), h('p', null, t('ui.notfound.text')));
    return;
  }
  try {
    await view(Object.assign(main, { params, isCurrent: () => my === seq }), ...args);
  } catch (e) {
    if (my !== seq) return;
    if (e.status === 401) return; // handled: back to sign-in
    clear(main).append(h('h1', null, t('ui.error.title')),
      h('p', { role: 'alert', class: 'alert alert-error' }, errorText(e)));
  }
}

export function errorText(e) {
  const byReason = reasonText(e);
  if (byReason) return byReason;
  if (e?.code && e.code !== 'http_' + e.status) {
    const k = `ui.err.${e.code}`;
    const s = t(k);
    if (s !== k) return s;
  }
  return t('ui.err.generic', { status: e?.status ?? '' });
}

// /r/<serial> (QR label) and /r/s/<token> (status of a report): served as index.html
export function publicPath() {
  return location.pathname.startsWith('/r/') ? location.pathname.slice(3) : null;
}

async function boot() {
  await initLocale();
  if (publicPath()) {
    await render();
    return;
  }
  setUnauthorizedHandler(() => {
    const wasIn = !!state.user;
    state.user = null;
    setCsrf(null);
    state.notice = wasIn ? { kind: 'error', key: 'ui.signin.expired' } : state.notice;
    render();
  });
  try {
    const { data } = await api('GET', '/session', { quiet401: true });
    signedIn(data);
  } catch { state.user = null; }
  // after in-app navigation, focus the new page's content (screen readers announce it)
  // (unless the view put the focus on its first field, as 来电登记 does with its search box)
  window.addEventListener('hashchange', () => render().then(() => {
    const main = document.getElementById('main');
    if (main && !(main.contains(document.activeElement) && document.activeElement !== main)) main.focus({ preventScroll: true });
  }));
  await render();
}

boot();
