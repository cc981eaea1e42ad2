// Registers and KPI reports (issue 15 item 3, R-171…R-192): the call and letter register,
// the dispatch record, SLA compliance with its breaches and appointment punctuality — each
// with the period and the filters by department, staff, customer, product and region,
// the Excel export and a print button (the print stylesheet hides the filters).
import { h, nextId } from '../dom.js';
import { api, apiUrl } from '../api.js';
import { t, enumLabel, fmtNumber, fmtTime, today } from '../i18n.js';
import { go, errorText } from '../app.js';

const FILTERS = ['department_id', 'staff_id', 'customer_id', 'model_id', 'region'];
const pct = (v) => (v === null || v === undefined ? '—' : `${fmtNumber(Math.round(v * 10) / 10)}%`);
const num = (v) => (v === null || v === undefined ? '—' : fmtNumber(Math.round(v * 10) / 10));
const ticketLink = (id, number) => h('a', { href: `#/tickets/${id}` }, number);

// The query of a report page from the hash: the period (this month by default) and filters.
export function reportQuery(params) {
  const q = { from: params.get('from') || today().slice(0, 8) + '01', to: params.get('to') || today() };
  for (const f of FILTERS) if (params.get(f)) q[f] = params.get(f);
  return q;
}

function filterForm(hashPath, q) {
  const inputs = {};
  const field = (name, type) => {
    const id = nextId(name);
    inputs[name] = h('input', { id, name, type, value: q[name] || '', min: type === 'number' ? 1 : null, required: name === 'from' || name === 'to' });
    return h('div', { class: 'field' }, h('label', { for: id }, t(`kpi.filter.${name}`)), inputs[name]);
  };
  return h('form', { class: 'filters no-print', id: 'kpi-filters', onsubmit: (e) => {
    e.preventDefault();
    go(hashPath, Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value])));
  } },
  field('from', 'date'), field('to', 'date'), field('department_id', 'number'), field('staff_id', 'number'),
  field('customer_id', 'number'), field('model_id', 'number'), field('region', 'text'),
  h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'btn' }, t('ui.list.apply'))));
}

export function table(id, caption, columns, rows) {
  if (!rows.length) return h('p', { class: 'empty' }, t('ui.list.empty'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list', id },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, columns.map(([k]) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, rows.map((r) => h('tr', { class: r.total ? 'total' : null },
      columns.map(([k, get]) => h('td', { 'data-label': t(k) }, get(r) ?? '—')))))));
}

// A report page: title, hint, tools (export, print), filters, then the body cfg.body draws.
export async function kpiPage(main, cfg) {
  const q = reportQuery(main.params);
  const tools = h('div', { class: 'toolbar no-print' },
    h('a', { href: apiUrl(cfg.path, { ...q, format: 'xlsx' }), class: 'btn btn-quiet', download: '', id: 'export-xlsx' }, t('ui.list.export')),
    h('button', { type: 'button', class: 'btn btn-quiet', id: 'kpi-print', onclick: () => window.print() }, t('kpi.print')));
  const body = h('div', { class: 'kpi-body' });
  main.append(h('div', { class: 'page-head' }, h('h1', null, t(cfg.title)), tools),
    h('p', { class: 'hint' }, t(cfg.hint)),
    h('p', { class: 'kpi-period' }, t('kpi.period', { from: q.from, to: q.to })),
    filterForm(cfg.hashPath, q), body);
  let data;
  try {
    data = (await api('GET', cfg.path, { query: q })).data;
  } catch (e) {
    if (e.status === 401) return;
    body.append(h('p', { role: 'alert', class: 'alert alert-error' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  cfg.body(body, data);
}

export function reportsIndexView(main) {
  const links = [['#/dashboard', 'kpi.dashboard'], ['#/reports/calls', 'kpi.calls'], ['#/reports/dispatch', 'kpi.dispatch'],
    ['#/reports/sla', 'kpi.sla'], ['#/reports/punctuality', 'kpi.punctuality'], ['#/reports/quality', 'kpi.quality'],
    ['#/reports/quality-issues', 'cmpl.qi.title'], ['#/reports/complaints', 'cmpl.cr.title'],
    ['#/reports/warranty', 'kpi.warranty'], ['#/reports/shipments', 'kpi.shipments'], ['#/reports/training', 'kpi.training']];
  main.append(h('h1', null, t('kpi.nav.reports')),
    h('ul', { class: 'kpi-index' }, links.map(([href, k]) => h('li', null, h('a', { href }, t(k))))));
}

export function callsView(main) {
  return kpiPage(main, { title: 'kpi.calls', hint: 'kpi.calls_hint', path: '/reports/calls', hashPath: '/reports/calls',
    body: (el, d) => {
      el.append(h('p', { class: 'kpi-sum' }, t('kpi.calls_sum', { total: d.total.total, open: d.total.open }),
        ' ', d.total.channels.map((c) => `${enumLabel('ticket.channel', c.channel)} ${c.count}`).join(' · ')));
      el.append(table('calls-report', t('kpi.calls'), [
        ['field.calls_report.number', (r) => ticketLink(r.id, r.number)],
        ['field.calls_report.received_at', (r) => fmtTime(r.received_at)],
        ['field.calls_report.channel', (r) => enumLabel('ticket.channel', r.channel)],
        ['field.calls_report.customer', (r) => r.customer],
        ['field.calls_report.caller', (r) => `${r.caller} ${r.phone}`],
        ['field.calls_report.taken_by', (r) => r.taken_by],
        ['field.calls_report.assignee', (r) => r.assignee],
        ['field.calls_report.status', (r) => enumLabel('ticket.status', r.status)],
        ['field.calls_report.open', (r) => (r.open ? t('kpi.yes') : '')],
        ['field.calls_report.description', (r) => r.description],
      ], d.items));
    } });
}

export function dispatchView(main) {
  return kpiPage(main, { title: 'kpi.dispatch', hint: 'kpi.dispatch_hint', path: '/reports/dispatch', hashPath: '/reports/dispatch',
    body: (el, d) => {
      el.append(table('dispatch-staff', t('kpi.dispatch'), [
        ['field.dispatch_report.lead', (r) => r.name || '—'],
        ['kpi.col.dispatches', (r) => r.dispatches],
        ['kpi.col.done', (r) => r.done],
        ['field.dispatch_report.trip_days', (r) => r.trip_days],
      ], d.total.staff));
      el.append(table('dispatch-report', t('kpi.dispatch'), [
        ['field.dispatch_report.number', (r) => r.number],
        ['field.dispatch_report.ticket_number', (r) => ticketLink(r.ticket_id, r.ticket_number)],
        ['field.dispatch_report.kind', (r) => enumLabel('kind', r.kind)],
        ['field.dispatch_report.lead', (r) => r.lead],
        ['field.dispatch_report.customer', (r) => r.customer],
        ['field.dispatch_report.appointment_at', (r) => fmtTime(r.appointment_at)],
        ['field.dispatch_report.arrived_at', (r) => fmtTime(r.arrived_at)],
        ['field.dispatch_report.status', (r) => t(`wo.status.${r.status}`)],
        ['field.dispatch_report.trip_days', (r) => r.trip_days],
      ], d.items));
    } });
}

export function slaView(main) {
  return kpiPage(main, { title: 'kpi.sla', hint: 'kpi.sla_hint', path: '/reports/sla', hashPath: '/reports/sla',
    body: (el, d) => {
      el.append(table('sla-clocks', t('kpi.sla'), [
        ['field.sla_report.target', (r) => t(`kpi.clock.${r.target}`)],
        ['field.sla_report.clocks', (r) => r.clocks],
        ['field.sla_report.met', (r) => r.met],
        ['field.sla_report.breached', (r) => r.breached],
        ['field.sla_report.open', (r) => r.open],
        ['field.sla_report.pct', (r) => pct(r.pct)],
      ], d.total.clocks));
      el.append(h('h2', null, t('kpi.breaches')), table('sla-breaches', t('kpi.breaches'), [
        ['field.sla_report.number', (r) => ticketLink(r.ticket_id, r.number)],
        ['field.sla_report.target', (r) => t(`kpi.clock.${r.target}`)],
        ['field.sla_report.customer', (r) => r.customer],
        ['field.sla_report.assignee', (r) => r.assignee],
        ['field.sla_report.due_at', (r) => fmtTime(r.due_at)],
        ['field.sla_report.done_at', (r) => (r.done_at ? fmtTime(r.done_at) : t('kpi.still_open'))],
        ['field.sla_report.over_min', (r) => num(r.over_min)],
      ], d.items));
    } });
}

export function punctualityView(main) {
  return kpiPage(main, { title: 'kpi.punctuality', hint: 'kpi.punctuality_hint', path: '/reports/punctuality', hashPath: '/reports/punctuality',
    body: (el, d) => {
      const rows = d.items.length ? [...d.items, { ...d.total, name: t('kpi.total'), total: true }] : [];
      el.append(table('punctuality-report', t('kpi.punctuality'), [
        ['field.punctuality_report.name', (r) => r.name || '—'],
        ['field.punctuality_report.arrivals', (r) => r.arrivals],
        ['field.punctuality_report.on_time_pct', (r) => pct(r.on_time_pct)],
        ['field.punctuality_report.early_pct', (r) => pct(r.early_pct)],
        ['field.punctuality_report.late_notified', (r) => r.late_notified],
        ['field.punctuality_report.late_unnotified', (r) => r.late_unnotified],
        ['field.punctuality_report.avg_late_min', (r) => num(r.avg_late_min)],
      ], rows));
    } });
}

export function qualityView(main) {
  return kpiPage(main, { title: 'kpi.quality', hint: 'kpi.quality_hint', path: '/reports/quality', hashPath: '/reports/quality',
    body: (el, d) => {
      const rows = d.items.length ? [...d.items, { ...d.total, name: t('kpi.total'), total: true }] : [];
      el.append(table('quality-report', t('kpi.quality'), [
        ['field.quality_report.name', (r) => r.name || '—'],
        ['field.quality_report.resolved', (r) => r.resolved],
        ['field.quality_report.repairs', (r) => r.repairs],
        ['field.quality_report.repeats', (r) => r.repeats],
        ['field.quality_report.repeat_pct', (r) => pct(r.repeat_pct)],
        ['field.quality_report.first_time_pct', (r) => pct(r.first_time_pct)],
        ['field.quality_report.survey_pct', (r) => pct(r.survey_pct)],
        ['field.quality_report.score_avg', (r) => num(r.score_avg)],
      ], rows));
    } });
}

export function warrantyView(main) {
  return kpiPage(main, { title: 'kpi.warranty', hint: 'kpi.warranty_hint', path: '/reports/warranty', hashPath: '/reports/warranty',
    body: (el, d) => {
      el.append(h('p', { class: 'kpi-sum', id: 'warranty-sum' }, t('kpi.warranty_sum', d.total)));
      el.append(table('warranty-report', t('kpi.warranty'), [
        ['field.warranty_report.serial_no', (r) => h('a', { href: `#/units/${r.unit_id}` }, r.serial_no)],
        ['field.warranty_report.model', (r) => r.model],
        ['field.warranty_report.customer', (r) => r.customer],
        ['field.warranty_report.region', (r) => r.region],
        ['field.warranty_report.warranty_start', (r) => r.warranty_start],
        ['field.warranty_report.warranty_end', (r) => r.warranty_end],
        ['field.warranty_report.days_left', (r) => r.days_left],
        ['field.warranty_report.notice', (r) => t(`kpi.warranty.notice.${r.notice}`)],
      ], d.items));
    } });
}

export function shipmentsView(main) {
  return kpiPage(main, { title: 'kpi.shipments', hint: 'kpi.shipments_hint', path: '/reports/shipments', hashPath: '/reports/shipments',
    body: (el, d) => {
      el.append(h('p', { class: 'kpi-sum', id: 'shipments-sum' }, t('kpi.shipments_sum', { ...d.total, avg: num(d.total.avg_transit_days) })));
      el.append(table('shipments-report', t('kpi.shipments'), [
        ['field.shipment_report.number', (r) => h('a', { href: `#/shipments/${r.id}` }, r.number)],
        ['field.shipment_report.customer', (r) => r.customer],
        ['field.shipment_report.state', (r) => t(`shp.state.${r.state}`)],
        ['field.shipment_report.units', (r) => r.units],
        ['field.shipment_report.waybill_no', (r) => [r.carrier, r.waybill_no].filter(Boolean).join(' ')],
        ['field.shipment_report.dispatched_on', (r) => r.dispatched_on],
        ['field.shipment_report.arrival_due_on', (r) => r.arrival_due_on],
        ['field.shipment_report.arrived_on', (r) => r.arrived_on],
        ['field.shipment_report.received_on', (r) => r.received_on],
        ['field.shipment_report.days_in_transit', (r) => r.days_in_transit],
        ['field.shipment_report.overdue', (r) => (r.overdue ? t('kpi.yes') : '')],
      ], d.items));
    } });
}

export function trainingReportView(main) {
  return kpiPage(main, { title: 'kpi.training', hint: 'kpi.training_hint', path: '/reports/training', hashPath: '/reports/training',
    body: (el, d) => {
      el.append(h('p', { class: 'kpi-sum', id: 'training-sum' }, t('kpi.training_sum', d.total),
        d.total.topics.length ? ` ${t('kpi.training.topics')}: ${d.total.topics.map((x) => `${x.topic} ${x.sessions}`).join(' · ')}` : ''));
      el.append(table('training-report', t('kpi.training'), [
        ['field.training_report.at', (r) => fmtTime(r.at)],
        ['field.training_report.source', (r) => t(`kpi.training.source.${r.source}`)],
        ['field.training_report.number', (r) => (r.source === 'project' ? h('a', { href: `#/projects/${r.record_id}` }, r.number) : r.number)],
        ['field.training_report.customer', (r) => r.customer],
        ['field.training_report.staff', (r) => r.staff],
        ['field.training_report.trainees', (r) => r.trainees],
        ['field.training_report.free', (r) => r.free],
        ['field.training_report.chargeable', (r) => r.chargeable],
        ['field.training_report.topics', (r) => r.topics],
        ['field.training_report.signed', (r) => t(r.signed ? 'kpi.training.signed' : 'kpi.training.unsigned')],
      ], d.items));
    } });
}
