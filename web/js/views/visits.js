// Periodic visits (issue 11 item 7, WF-10, R-185) and staff performance (item 9, R-181):
// the visit plans (list and form built from the server's declaration), the findings of a
// visit work order, and two report tables with their Excel export.
import { h, nextId } from '../dom.js';
import { api, apiUrl } from '../api.js';
import { t, has, fieldLabel, enumLabel, fmtNumber, fmtDate, fmtTime, today } from '../i18n.js';
import { go, errorText, state } from '../app.js';
import { may, P } from '../policy.js';
import { listView } from './list.js';
import { entityForm, fieldsOf } from './forms.js';
import { columnMeta } from '../meta.js';
import { reasonText, detailList } from './common.js';

const PLAN_FORM = ['name', 'purpose',
  ['customer_id', { label: (r) => `${r.name} (${r.code})`, title: 'visit.customer' }],
  ['site_id', { title: 'visit.site' }],
  ['region', { hint: 'visit.region_hint' }], 'every_n', 'period', 'start_date', 'end_date',
  ['visit_time', { hint: 'visit.time_hint' }],
  // the technician picker: whoever may plan visits may read it (the user list is the admin's)
  ['lead_id', { label: (r) => r.name || r.username, title: 'visit.lead', source: '/dispatch/technicians',
    map: (r) => ({ ...r, id: r.user_id }) }],
  ['lead_days', { hint: 'visit.lead_days_hint' }], 'active', 'notes'];

export async function visitPlansView(main) {
  return listView(main, {
    title: t('visit.plans'),
    path: '/visit-plans',
    hashPath: '/visit-plans',
    expand: 'all',
    searchHint: t('visit.search_hint'),
    filters: [
      { name: 'purpose', label: fieldLabel('visit_plan', 'purpose'), options: (columnMeta('visit_plan', 'purpose')?.enum || []).map((v) => [v, enumLabel('purpose', v)]) },
      { name: 'active', label: fieldLabel('visit_plan', 'active'), options: [['true', t('visit.active_yes')], ['false', t('visit.active_no')]] },
    ],
    // planner-only links only for the roles the server lets plan and report (review 71 #11)
    actions: [
      may(state.user, P.visitPlanWrite) ? h('a', { href: '#/visit-plans/new', class: 'btn btn-primary', id: 'new-plan' }, t('visit.new_plan')) : null,
      may(state.user, P.visitReport) ? h('a', { href: '#/reports/visits', class: 'btn btn-quiet', id: 'visit-report-link' }, t('visit.report')) : null,
    ].filter(Boolean),
    rowLink: (r) => `#/visit-plans/${r.id}`,
    columns: [
      { label: fieldLabel('visit_plan', 'name'), key: 'name', sort: 'name' },
      { label: t('visit.customer'), render: (r) => r.customer_name || '' },
      { label: fieldLabel('visit_plan', 'region'), key: 'region', sort: 'region' },
      { label: t('visit.every'), render: (r) => t(`visit.every_${r.period}`, { n: r.every_n }) },
      { label: fieldLabel('visit_plan', 'purpose'), render: (r) => enumLabel('purpose', r.purpose) },
      { label: t('visit.lead'), render: (r) => r.lead_name || t('visit.no_lead') },
      { label: fieldLabel('visit_plan', 'start_date'), render: (r) => fmtDate(r.start_date), sort: 'start_date' },
      { label: fieldLabel('visit_plan', 'active'), render: (r) => (r.active ? t('visit.active_yes') : t('visit.active_no')) },
    ],
  });
}

export async function visitPlanForm(main, id) {
  if (!may(state.user, P.visitPlanWrite)) return visitPlanDetail(main, id);
  const fields = await fieldsOf('visit_plan', PLAN_FORM);
  await entityForm(main, { ent: 'visit_plan', path: '/visit-plans', fields, id,
    title: id ? 'visit.edit_plan' : 'visit.new_plan', back: '/visit-plans' });
  if (!id || !main.isCurrent()) return;
  // the visit job for this plan, now (it also runs by itself every few minutes)
  const out = h('p', { role: 'status', class: 'hint' });
  const btn = h('button', { type: 'button', class: 'btn', id: 'generate', onclick: async () => {
    btn.disabled = true;
    try {
      const { data } = await api('POST', `/visit-plans/${id}/generate`);
      out.textContent = t('visit.generated', { created: data.created, existing: data.existing });
    } catch (e) {
      if (e.status !== 401) out.textContent = errorText(e);
    } finally { btn.disabled = false; }
  } }, t('visit.generate'));
  main.append(h('div', { class: 'card' }, h('p', null, t('visit.generate_hint')), btn, out));
  await visitsOfPlan(main, id);
}

// A plan for those who read it only (a technician their own): its fields and visits.
async function visitPlanDetail(main, id) {
  const { data: p } = await api('GET', `/visit-plans/${id}`, { query: { expand: 'all' } });
  if (!main.isCurrent()) return;
  main.append(h('h1', null, p.name), detailList([
    [fieldLabel('visit_plan', 'purpose'), enumLabel('purpose', p.purpose)],
    [t('visit.customer'), p.customer_name || ''],
    [t('visit.site'), p.site_name || '—'],
    [fieldLabel('visit_plan', 'region'), p.region],
    [t('visit.every'), t(`visit.every_${p.period}`, { n: p.every_n })],
    [fieldLabel('visit_plan', 'start_date'), fmtDate(p.start_date)],
    [fieldLabel('visit_plan', 'end_date'), p.end_date ? fmtDate(p.end_date) : '—'],
    [fieldLabel('visit_plan', 'visit_time'), p.visit_time],
    [t('visit.lead'), p.lead_name || t('visit.no_lead')],
    [fieldLabel('visit_plan', 'notes'), p.notes || '—'],
  ]));
  await visitsOfPlan(main, id);
}

// The visits the plan made: due date, ticket, work order and its status, findings.
async function visitsOfPlan(main, id) {
  const { data } = await api('GET', `/visit-plans/${id}/visits`);
  if (!main.isCurrent()) return;
  const status = (s) => (s && has(`visit.status.${s}`) ? t(`visit.status.${s}`) : s || '');
  const rows = data.items.map((v) => h('tr', null,
    h('th', { scope: 'row', 'data-label': t('visit.col.due') }, fmtDate(v.due_date)),
    h('td', { 'data-label': t('visit.col.ticket') }, v.ticket_id ? h('a', { href: `#/tickets/${v.ticket_id}` }, v.ticket_number) : '—'),
    h('td', { 'data-label': t('visit.col.appointment') }, v.appointment_at ? fmtTime(v.appointment_at) : '—'),
    h('td', { 'data-label': t('visit.lead') }, v.lead_name || t('visit.no_lead')),
    h('td', { 'data-label': t('visit.col.status') }, status(v.status)),
    h('td', { 'data-label': t('visit.findings.title') }, v.work_order_id
      ? h('a', { href: `#/work-orders/${v.work_order_id}/findings` }, v.findings ? t('visit.findings.view') : t('visit.findings.record'))
      : '—')));
  main.append(h('h2', null, t('visit.visits')),
    rows.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'plan-visits' },
        h('thead', null, h('tr', null, ['visit.col.due', 'visit.col.ticket', 'visit.col.appointment', 'visit.lead', 'visit.col.status', 'visit.findings.title']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, rows)))
      : h('p', { class: 'empty' }, t('visit.no_visits')));
}

// The findings of a periodic visit: usage and the customer's opinions, sent to R&D.
export async function visitFindingsView(main, woId) {
  const { data } = await api('GET', `/work-orders/${woId}/findings`);
  if (!main.isCurrent()) return;
  const keys = ['usage', 'design', 'assembly', 'process', 'other'];
  const ctl = {};
  const status = h('p', { role: 'status', class: 'hint', id: 'findings-status' },
    data.routed_at ? t('visit.routed_at', { at: data.routed_at }) : '');
  const err = h('p', { role: 'alert', class: 'alert alert-error', hidden: true });
  const form = h('form', { class: 'card form', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    const body = {};
    for (const k of keys) body[k] = ctl[k].value.trim();
    try {
      const r = await api('POST', `/work-orders/${woId}/findings`, { body });
      status.textContent = r.data.routed_now ? t('visit.routed_now') : t('visit.saved');
    } catch (e2) {
      if (e2.status === 401) return;
      err.hidden = false;
      err.textContent = reasonText(e2) || errorText(e2);
    }
  } },
  keys.map((k) => {
    const id = nextId('fnd');
    ctl[k] = h('textarea', { id, name: k, rows: '3', maxlength: '4000' });
    ctl[k].value = data[k] || '';
    return h('div', { class: 'field' }, h('label', { for: id }, t(`visit.findings.${k}`)), ctl[k]);
  }),
  err,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('ui.save'))));
  main.append(h('h1', null, t('visit.findings.title')), h('p', { class: 'hint' }, t('visit.findings.hint')), form, status);
}

// A report page: the period form, the table and the export links.
async function reportPage(main, cfg) {
  const p = main.params;
  const month = today().slice(0, 8) + '01';
  const from = p.get('from') || month, to = p.get('to') || today();
  const fid = nextId('from'), tid = nextId('to');
  const fIn = h('input', { id: fid, type: 'date', name: 'from', value: from, required: true });
  const tIn = h('input', { id: tid, type: 'date', name: 'to', value: to, required: true });
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); go(cfg.hashPath, { from: fIn.value, to: tIn.value }); } },
    h('div', { class: 'field' }, h('label', { for: fid }, t('visit.from')), fIn),
    h('div', { class: 'field' }, h('label', { for: tid }, t('visit.to')), tIn),
    h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'btn' }, t('ui.list.apply'))));
  const q = { from, to };
  const tools = h('div', { class: 'toolbar' },
    h('a', { href: apiUrl(cfg.path, { ...q, format: 'xlsx' }), class: 'btn btn-quiet', download: '', id: 'export-xlsx' }, t('ui.list.export')),
    h('a', { href: apiUrl(cfg.path, { ...q, format: 'csv' }), class: 'btn btn-quiet', download: '', id: 'export-csv' }, t('visit.export_csv')));
  const wrap = h('div', { class: 'table-wrap' });
  main.append(h('div', { class: 'page-head' }, h('h1', null, t(cfg.title)), tools), h('p', { class: 'hint' }, t(cfg.hint)), form, wrap);
  let data;
  try {
    data = (await api('GET', cfg.path, { query: q })).data;
  } catch (e) {
    if (e.status === 401) return;
    wrap.append(h('p', { role: 'alert', class: 'alert alert-error' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  const rows = cfg.rows(data);
  if (!rows.length) {
    wrap.append(h('p', { class: 'empty' }, t('ui.list.empty')));
    return;
  }
  const cell = (v) => (v === null || v === undefined ? '—' : typeof v === 'number' ? fmtNumber(Math.round(v * 10) / 10) : v);
  wrap.append(h('table', { class: 'list', id: cfg.tableId },
    h('caption', { class: 'sr-only' }, t(cfg.title)),
    h('thead', null, h('tr', null, cfg.columns.map(([k]) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, rows.map((r) => h('tr', { class: r.total ? 'total' : null },
      cfg.columns.map(([k, get], i) => h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, 'data-label': t(k) }, cell(get(r)))))))));
}

export async function visitReportView(main) {
  const pct = (v) => (v === null ? null : `${fmtNumber(Math.round(v * 10) / 10)}%`);
  return reportPage(main, {
    title: 'visit.report', hint: 'visit.report_hint', path: '/reports/visits', hashPath: '/reports/visits', tableId: 'visit-report',
    rows: (d) => (d.items.length ? [...d.items, { ...d.total, region: t('visit.total'), customer: '', total: true }] : []),
    columns: [
      ['visit.col.region', (r) => r.region || t('visit.no_region')],
      ['visit.col.customer', (r) => (r.total ? '' : `${r.customer}${r.is_key ? ' ★' : ''}`)],
      ['visit.col.plans', (r) => r.plans],
      ['visit.col.planned', (r) => r.planned],
      ['visit.col.created', (r) => r.created],
      ['visit.col.done', (r) => r.done],
      ['visit.col.open', (r) => r.open],
      ['visit.col.cancelled', (r) => r.cancelled],
      ['visit.col.opinions', (r) => r.opinions],
      ['visit.col.done_pct', (r) => pct(r.done_pct)],
    ],
  });
}

export async function staffReportView(main) {
  const pct = (v) => (v === null ? null : `${fmtNumber(Math.round(v * 10) / 10)}%`);
  return reportPage(main, {
    title: 'staff.report', hint: 'staff.report_hint', path: '/reports/staff', hashPath: '/reports/staff', tableId: 'staff-report',
    rows: (d) => d.items,
    columns: [
      ['staff.col.name', (r) => r.name],
      ['staff.col.done', (r) => r.done],
      ['staff.col.arrivals', (r) => r.arrivals],
      ['staff.col.on_time_pct', (r) => pct(r.on_time_pct)],
      ['staff.col.avg_lateness', (r) => r.avg_lateness_min],
      ['staff.col.notices_in_time_pct', (r) => pct(r.notices_in_time_pct)],
      ['staff.col.first_time_pct', (r) => pct(r.first_time_pct)],
      ['staff.col.surveys', (r) => r.surveys],
      ['staff.col.overall', (r) => r.survey_avg.overall],
      ['staff.col.attitude', (r) => r.survey_avg.attitude],
      // complaints about conduct: the heads only (the server answers null for anyone else)
      ...(may(state.user, P.conduct) ? [['staff.col.complaints', (r) => r.complaints]] : []),
    ],
  });
}

