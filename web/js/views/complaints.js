// Customer complaint / return notices (客户抱怨(退货)通知单, F-11; issue 14 item 4;
// docs/complaints.md): the list (#/complaints), the notice form (#/complaints/new), the notice
// page (#/complaints/{id}) with its routes and their acknowledgements, the analysis, the
// decision, QA's verification and the timeline, and its printable form (the print stylesheet
// hides the rest). Material samples (WF-21, #/material-samples) and the two quality reports
// (R-186 #/reports/quality-issues, R-179 #/reports/complaints). Every enum comes from
// GET /api/v1/meta; the page's allowed_actions say what the caller may do.
import { h, clear } from '../dom.js';
import { api, apiUrl } from '../api.js';
import { t, has, fmtTime, fmtMoney, fmtNumber, roleLabel } from '../i18n.js';
import { columnMeta } from '../meta.js';
import { detailList, yuanToFen } from './common.js';
import { errorText, go, state } from '../app.js';
import { kpiPage, table } from './kpi.js';
import { chargesPanel } from './charges.js';
import { may, P, staffRoles } from '../policy.js';

export function cl(group, v) {
  if (v === null || v === undefined || v === '') return '';
  const k = `cmpl.${group}.${v}`;
  return has(k) ? t(k) : String(v);
}

const enumOf = (ent, col) => columnMeta(ent, col)?.enum || [];
const badge = (s) => h('span', { class: `badge badge-cmpl badge-cmpl-${s}`, 'data-state': s }, cl('state', s));
const seriousBadge = () => h('span', { class: 'badge badge-late', 'data-serious': '1' }, t('cmpl.serious'));
const alertBox = (id) => h('p', { class: 'alert alert-error', role: 'alert', id, hidden: true });

function cmplError(e) {
  if (e?.reason === 'guard' && has(`cmpl.guard.${e.params?.guard}`)) return t(`cmpl.guard.${e.params.guard}`, e.params);
  if (e?.reason === 'illegal_action' && Array.isArray(e.params?.allowed)) {
    return t('cmpl.illegal', { allowed: e.params.allowed.map((a) => cl('act', a)).join('、') || '—' });
  }
  return errorText(e);
}
function showErr(box, e) { box.hidden = false; box.textContent = cmplError(e); }
function field(label, input) {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}
function select(id, name, group, values, opts = {}) {
  return h('select', { id, name, required: !!opts.required },
    opts.required ? null : h('option', { value: '' }, '—'),
    values.map((v) => h('option', { value: v, selected: opts.value === v }, cl(group, v))));
}

// ---- the list ----

export async function complaintsView(main) {
  const p = main.params;
  const st = h('select', { id: 'cmpl-f-state', name: 'state' }, h('option', { value: '' }, t('cmpl.f.open')),
    enumOf('complaint', 'state').map((s) => h('option', { value: s, selected: p.get('state') === s }, cl('state', s))));
  const ser = h('input', { type: 'checkbox', id: 'cmpl-f-serious', checked: p.get('serious') === 'true' });
  const staff = !state.user.roles.every((x) => x === 'customer' || x === 'dealer');
  const form = h('form', { class: 'filters', id: 'cmpl-filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    go('/complaints', { state: st.value, serious: ser.checked ? 'true' : '' });
  } }, field(t('cmpl.f.state'), st), staff ? field(t('cmpl.f.serious'), ser) : null,
  h('button', { type: 'submit', class: 'btn' }, t('cmpl.f.apply')));
  const body = h('div', { id: 'cmpl-list' });
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('cmpl.title')),
    staff ? h('a', { href: '#/complaints/new', class: 'btn btn-primary', id: 'cmpl-new' }, t('cmpl.new')) : null), form, body);
  const query = { expand: 'customer_id', limit: 200, sort: '-id' };
  if (p.get('state')) query.state = p.get('state'); else query.open = 'true';
  if (p.get('serious') === 'true') query.serious = 'true';
  let data;
  try {
    ({ data } = await api('GET', '/complaints', { query }));
  } catch (e) {
    body.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  body.append(table('cmpl-table', t('cmpl.title'), [
    ['field.complaint.number', (r) => h('a', { href: `#/complaints/${r.id}` }, r.number)],
    ['field.complaint.received_on', (r) => r.received_on],
    ['field.complaint.customer_id', (r) => r.customer_name || r.customer_id],
    ['field.complaint.channel', (r) => cl('channel', r.channel)],
    ['field.complaint.request', (r) => cl('request', r.request)],
    ['field.complaint.state', (r) => h('span', null, badge(r.state), r.serious ? [' ', seriousBadge()] : null)],
  ], data.items));
}

// ---- the notice form (F-11): phone-friendly, one column ----

export async function complaintNewView(main) {
  const err = alertBox('cmpl-new-error');
  const inp = {};
  const put = (name, el) => { inp[name] = el; return field(t(`field.complaint.${name}`), el); };
  const text = (name, o = {}) => h(o.area ? 'textarea' : 'input', { id: `cmpl-${name}`, name, rows: o.area ? 4 : null, required: !!o.required, maxlength: o.max || null, type: o.type || null, inputmode: o.type === 'number' ? 'numeric' : null });
  const form = h('form', { class: 'card form-narrow', id: 'cmpl-form', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    const body = {};
    for (const [k, el] of Object.entries(inp)) {
      if (el.type === 'checkbox') { if (el.checked) body[k] = true; continue; }
      if (el.value === '') continue;
      body[k] = ['customer_id', 'ticket_id', 'quantity', 'model_id'].includes(k) ? Number(el.value) : el.value;
    }
    try {
      const { data } = await api('POST', '/complaints', { body });
      go(`/complaints/${data.id}`);
    } catch (x) { showErr(err, x); }
  } },
  err,
  put('customer_id', text('customer_id', { required: true, type: 'number' })),
  put('ticket_id', text('ticket_id', { type: 'number' })),
  put('channel', select('cmpl-channel', 'channel', 'channel', enumOf('complaint', 'channel'), { required: true })),
  put('category', select('cmpl-category', 'category', 'category', enumOf('complaint', 'category'), { value: 'quality', required: true })),
  put('source', select('cmpl-source', 'source', 'source', enumOf('complaint', 'source'), { value: 'customer', required: true })),
  put('product', text('product', { max: 200 })),
  put('batch', text('batch', { max: 60 })),
  put('quantity', text('quantity', { type: 'number' })),
  put('description', text('description', { area: true, required: true, max: 4000 })),
  put('request', select('cmpl-request', 'request', 'request', enumOf('complaint', 'request'), { required: true })),
  put('sample_received', h('input', { type: 'checkbox', id: 'cmpl-sample_received' })),
  put('sample_received_on', text('sample_received_on', { type: 'date' })),
  put('defect', select('cmpl-defect', 'defect', 'defect', enumOf('complaint', 'defect'))),
  put('serious', h('input', { type: 'checkbox', id: 'cmpl-serious' })),
  put('bought_in', h('input', { type: 'checkbox', id: 'cmpl-bought_in' })),
  h('button', { type: 'submit', class: 'btn btn-primary', id: 'cmpl-save' }, t('cmpl.save')));
  main.append(h('h1', null, t('cmpl.new')), form);
}

// ---- the notice page ----

export async function complaintView(main, id) {
  let view;
  try {
    ({ data: view } = await api('GET', `/complaints/${id}`));
  } catch (e) {
    main.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  const box = h('div', { id: 'cmpl-page' });
  main.append(box);
  // DOM append writes a null child as the text "null" (review 71 #24: "nullnull" on the page)
  const redraw = (v) => { view = v; clear(box).append(...page(v, redraw, main).filter(Boolean)); };
  redraw(view);
}

function page(v, redraw, main) {
  const c = v.complaint;
  const staff = !state.user.roles.every((x) => x === 'customer' || x === 'dealer');
  const rows = [[t('field.complaint.customer_id'), v.customer_name],
    [t('field.complaint.received_on'), c.received_on], [t('field.complaint.channel'), cl('channel', c.channel)],
    [t('field.complaint.category'), cl('category', c.category)],
    [t('field.complaint.product'), [v.model_name, c.product].filter(Boolean).join(' ')],
    [t('field.complaint.batch'), c.batch], [t('field.complaint.quantity'), String(c.quantity)],
    [t('field.complaint.description'), c.description], [t('field.complaint.request'), cl('request', c.request)],
    [t('field.complaint.sample_received'), c.sample_received ? (c.sample_received_on || '✓') : '—'],
    [t('field.complaint.ticket_id'), c.ticket_id ? (staff ? h('a', { href: `#/tickets/${c.ticket_id}` }, v.ticket_number) : v.ticket_number) : '—'],
    [t('field.complaint.decision'), cl('decision', c.decision)], [t('field.complaint.action_note'), c.action_note]];
  if (c.charge_fen) rows.push([t('field.complaint.charge_fen'), fmtMoney(c.charge_fen)]);
  if (c.credit_fen) rows.push([t('field.complaint.credit_fen'), fmtMoney(c.credit_fen)]);
  if (staff) {
    rows.push([t('field.complaint.source'), cl('source', c.source)], [t('field.complaint.defect'), cl('defect', c.defect)],
      [t('field.complaint.department_id'), v.department_name || ''],
      [t('field.complaint.cause_category'), c.cause_category ? `${cl('cause', c.cause_category)}：${c.cause_analysis}` : ''],
      [t('field.complaint.corrective_action'), c.corrective_action], [t('field.complaint.verification'), c.verification]);
  }
  const head = h('div', { class: 'page-head' }, h('h1', null, t('cmpl.page', { number: c.number }), ' ', badge(c.state),
    c.serious ? [' ', seriousBadge()] : null),
  h('button', { type: 'button', class: 'btn btn-quiet no-print', id: 'cmpl-print', onclick: () => window.print() }, t('cmpl.print')),
  h('a', { class: 'btn btn-quiet no-print', id: 'cmpl-pdf', href: apiUrl(`/complaints/${c.id}/notice.pdf`), target: '_blank', rel: 'noopener' }, t('cmpl.pdf.download')));
  // the credit line of a credit decision (owned by the notice; docs/complaints.md)
  const chgSlot = c.credit_fen && may(state.user, P.charges) ? h('div', { id: 'chg-slot', class: 'no-print' }) : null;
  if (chgSlot) chargesPanel(main, { kind: 'complaint', id: c.id }).then((el) => { if (main.isCurrent() && chgSlot.isConnected) chgSlot.replaceWith(el); });
  return [head,
    staff && c.escalated_at ? h('p', { class: 'alert alert-warn', id: 'cmpl-escalated' }, t('cmpl.escalated', { time: fmtTime(c.escalated_at) })) : null,
    h('section', { class: 'card print-form', id: 'cmpl-detail' }, h('h2', { class: 'cmpl-print-only' }, t('cmpl.print.title')), detailList(rows),
      h('p', { class: 'cmpl-print-only' }, `${t('cmpl.print.sign')}：________________`)),
    chgSlot, staff ? routesCard(v, redraw) : null, staff ? actionsCard(v, redraw) : null, staff ? timeline(v) : null];
}

function routesCard(v, redraw) {
  if (!v.routes.length) return null;
  const err = alertBox('cmpl-ack-error');
  return h('section', { class: 'card no-print', id: 'cmpl-routes' }, h('h2', null, t('cmpl.routes')), err,
    h('ul', { class: 'plain' }, v.routes.map((r) => h('li', { 'data-route': r.id },
      h('strong', null, r.department_name || ''), ' ', r.role ? `(${roleLabel(r.role)})` : '', ' · ',
      r.acknowledged_at ? t('cmpl.acked', { name: r.acknowledged_name || '', time: fmtTime(r.acknowledged_at) })
        : [t('cmpl.not_acked'), ' ', h('button', { type: 'button', class: 'btn', id: `cmpl-ack-${r.id}`, onclick: async () => {
          err.hidden = true;
          try { redraw((await api('POST', `/complaints/${v.complaint.id}/routes/${r.id}/ack`, { body: {} })).data); } catch (x) { showErr(err, x); }
        } }, t('cmpl.ack'))]))));
}

// What each action asks for, nothing more.
const NEEDS = {
  route: ['department_ids', 'roles', 'note'], analyse: ['cause_category', 'cause_analysis', 'corrective_action'],
  act: ['decision', 'charge', 'credit', 'note'], verify: ['verification'], reopen: ['verification'], close: [], refuse: ['note'],
};

// Departments and roles to route to, by name (review 71 #24: ids and English role codes were
// typed by hand); a bought-in part comes with purchasing ticked.
function checkList(id, legend, items) {
  return h('fieldset', { id, class: 'checks' }, h('legend', null, legend),
    items.map(([value, label, on]) => h('label', null, h('input', { type: 'checkbox', value, checked: !!on }), label)));
}

function routeInput(id, f, c) {
  if (f === 'roles') {
    return checkList(id, t('cmpl.in.roles'), staffRoles().map((r) => [r, roleLabel(r), r === 'purchasing' && c.bought_in]));
  }
  const box = checkList(id, t('cmpl.in.department_ids'), []);
  api('GET', '/departments', { query: { limit: 200 } }).then(({ data }) =>
    box.append(...data.items.map((d) => h('label', null, h('input', { type: 'checkbox', value: String(d.id) }), d.name)))).catch(() => {});
  return box;
}

function actionInput(a, f, c) {
  const id = `cmpl-${a}-${f}`;
  if (f === 'cause_category') return select(id, f, 'cause', enumOf('complaint', 'cause_category'), { required: true });
  if (f === 'decision') return select(id, f, 'decision', enumOf('complaint', 'decision').filter((d) => d !== 'refuse'), { required: true });
  if (f === 'charge' || f === 'credit') return h('input', { id, name: f, type: 'number', min: 0.01, step: '0.01', inputmode: 'decimal' });
  if (f === 'department_ids' || f === 'roles') return routeInput(id, f, c);
  return h('textarea', { id, name: f, rows: 3, maxlength: 4000, required: !(a === 'route' && f === 'note') });
}

function actionBody(a, inputs) {
  const body = { action: a };
  for (const [f, el] of inputs) {
    if (f === 'department_ids' || f === 'roles') {
      const on = [...el.querySelectorAll('input:checked')].map((x) => (f === 'roles' ? x.value : Number(x.value)));
      if (on.length) body[f] = on;
      continue;
    }
    const val = el.value.trim();
    if (!val) continue;
    if (f === 'charge' || f === 'credit') body[`${f}_fen`] = yuanToFen(val) ?? val; // exact fen; the server names a bad one
    else body[f] = val;
  }
  return body;
}

function actionsCard(v, redraw) {
  if (!v.allowed_actions.length) return null;
  const err = alertBox('cmpl-act-error');
  const forms = v.allowed_actions.map((a) => {
    const inputs = (NEEDS[a] || []).map((f) => [f, actionInput(a, f, v.complaint)]);
    return h('form', { class: 'card cmpl-action', 'data-action': a, onsubmit: async (e) => {
      e.preventDefault();
      err.hidden = true;
      try {
        const { data } = await api('POST', `/complaints/${v.complaint.id}/actions`, { body: actionBody(a, inputs), ifMatch: `"${v.complaint.version}"` });
        redraw(data);
      } catch (x) { showErr(err, x); }
    } }, h('h3', null, cl('act', a)),
    inputs.map(([f, el]) => (el.tagName === 'FIELDSET' ? el : field(t(`cmpl.in.${f}`), el))),
    h('button', { type: 'submit', class: `btn ${a === 'refuse' || a === 'reopen' ? '' : 'btn-primary'}`, id: `cmpl-do-${a}` }, cl('act', a)));
  });
  return h('section', { id: 'cmpl-actions', class: 'no-print' }, h('h2', null, t('cmpl.actions')), err, forms);
}

function timeline(v) {
  return h('section', { class: 'card no-print', id: 'cmpl-timeline' }, h('h2', null, t('cmpl.timeline')),
    h('ol', { class: 'timeline' }, v.events.map((e) => h('li', { 'data-ev': e.action },
      h('time', null, fmtTime(e.at)), ' ', e.actor_name || '', ' ', cl('act', e.action),
      e.to_state && e.from_state !== e.to_state ? ['→', cl('state', e.to_state)] : null, e.note ? `：${e.note}` : null))));
}

// ---- material samples (WF-21) ----

export async function samplesView(main) {
  const p = main.params;
  const err = alertBox('smp-error');
  const body = h('div', { id: 'smp-list' });
  const inp = {};
  const put = (name, el) => { inp[name] = el; return field(t(`field.material_sample.${name}`), el); };
  const newForm = h('form', { class: 'card form-narrow', id: 'smp-form', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    const b = {};
    for (const [k, el] of Object.entries(inp)) if (el.value !== '') b[k] = ['owner_id', 'customer_id', 'complaint_id', 'quantity'].includes(k) ? Number(el.value) : el.value;
    try { await api('POST', '/material-samples', { body: b }); go('/material-samples', {}); } catch (x) { showErr(err, x); }
  } }, h('h2', null, t('cmpl.samples.new')),
  put('kind', select('smp-kind', 'kind', 'sample_kind', enumOf('material_sample', 'kind'), { required: true })),
  put('subject', h('input', { id: 'smp-subject', required: true, maxlength: 200 })),
  put('owner_id', h('input', { id: 'smp-owner', type: 'number', required: true, value: state.user.id || '' })),
  put('due_on', h('input', { id: 'smp-due', type: 'date', required: true })),
  put('complaint_id', h('input', { id: 'smp-complaint', type: 'number' })),
  put('details', h('textarea', { id: 'smp-details', rows: 2, maxlength: 4000 })),
  h('button', { type: 'submit', class: 'btn btn-primary', id: 'smp-save' }, t('cmpl.save')));
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('cmpl.samples.title')),
    h('a', { href: p.get('overdue') ? '#/material-samples' : '#/material-samples?overdue=true', class: 'btn btn-quiet', id: 'smp-overdue-toggle' }, t('cmpl.samples.f.overdue'))), err, body, newForm);
  const today = new Date().toISOString().slice(0, 10);
  let data;
  try {
    ({ data } = await api('GET', '/material-samples', { query: { limit: 200, sort: 'due_on', expand: 'owner_id', ...(p.get('overdue') ? { overdue: 'true' } : {}) } }));
  } catch (e) { showErr(err, e); return; }
  if (!main.isCurrent()) return;
  const next = { requested: ['in_progress', 'cancelled'], in_progress: ['done', 'cancelled'] };
  const move = async (r, to) => {
    const b = { status: to };
    if (to === 'done') { const res = window.prompt(t('field.material_sample.result')); if (!res) return; b.result = res; }
    try { await api('PATCH', `/material-samples/${r.id}`, { body: b, ifMatch: `"${r.version}"` }); go('/material-samples', Object.fromEntries(p)); } catch (x) { showErr(err, x); }
  };
  body.append(table('smp-table', t('cmpl.samples.title'), [
    ['field.material_sample.subject', (r) => r.subject],
    ['field.material_sample.kind', (r) => cl('sample_kind', r.kind)],
    ['field.material_sample.owner_id', (r) => r.owner_name || r.owner_id],
    ['field.material_sample.due_on', (r) => h('span', null, r.due_on,
      ['requested', 'in_progress'].includes(r.status) && r.due_on < today ? [' ', h('span', { class: 'badge badge-late', 'data-overdue': '1' }, t('cmpl.samples.overdue'))] : null)],
    ['field.material_sample.status', (r) => h('span', { 'data-status': r.status }, cl('sample_status', r.status))],
    ['field.material_sample.result', (r) => h('span', null, r.result || '', (next[r.status] || []).map((to) =>
      h('button', { type: 'button', class: 'btn btn-quiet', 'data-move': to, onclick: () => move(r, to) }, cl('sample_status', to))))],
  ], data.items));
}

// ---- the quality reports ----

const cnt = (v) => (v === null || v === undefined ? '—' : fmtNumber(v));

export function qualityIssuesView(main) {
  return kpiPage(main, { title: 'cmpl.qi.title', hint: 'cmpl.qi.hint', path: '/reports/quality-issues', hashPath: '/reports/quality-issues',
    body: (el, d) => {
      const rows = d.items.length ? [...d.items, { ...d.total, source: null, total: true }] : [];
      el.append(h('p', { class: 'no-print' }, h('a', { href: '#/reports/quality', id: 'qi-repeat' }, t('cmpl.qi.repeat'))),
        table('qi-report', t('cmpl.qi.title'), [
          ['field.quality_issue_report.source', (r) => (r.total ? t('kpi.total') : cl('src', r.source))],
          ['field.quality_issue_report.model', (r) => [r.model_code, r.model_name].filter(Boolean).join(' ') || (r.total ? '' : '—')],
          ['field.quality_issue_report.batch', (r) => r.batch || ''],
          ['field.quality_issue_report.cause', (r) => r.cause_name || cl('cause', r.cause)],
          ['field.quality_issue_report.anomalies', (r) => cnt(r.anomalies)],
          ['field.quality_issue_report.open', (r) => cnt(r.open)],
          ['field.quality_issue_report.analysed', (r) => cnt(r.analysed)],
          ['field.quality_issue_report.verified', (r) => cnt(r.verified)],
          ['field.quality_issue_report.closed', (r) => cnt(r.closed)],
          ['field.quality_issue_report.refused', (r) => cnt(r.refused)],
          ['field.quality_issue_report.corrective', (r) => cnt(r.corrective)],
        ], rows));
    } });
}

export function complaintsReportView(main) {
  return kpiPage(main, { title: 'cmpl.cr.title', hint: 'cmpl.cr.hint', path: '/reports/complaints', hashPath: '/reports/complaints',
    body: (el, d) => {
      const keyLabel = (r) => {
        const g = { channel: 'channel', cause: 'cause', decision: 'decision', category: 'category' }[r.dimension];
        return g && r.key ? cl(g, r.key) : (r.key || '—');
      };
      const rows = d.items.length ? [...d.items, { ...d.total, total: true }] : [];
      el.append(table('cr-report', t('cmpl.cr.title'), [
        ['field.complaint_report.dimension', (r) => (r.total ? t('kpi.total') : cl('dim', r.dimension))],
        ['field.complaint_report.key', (r) => (r.total ? '' : keyLabel(r))],
        ['field.complaint_report.received', (r) => cnt(r.received)],
        ['field.complaint_report.open', (r) => cnt(r.open)],
        ['field.complaint_report.closed', (r) => cnt(r.closed)],
        ['field.complaint_report.refused', (r) => cnt(r.refused)],
        ['field.complaint_report.serious', (r) => cnt(r.serious)],
        ['field.complaint_report.bought_in', (r) => cnt(r.bought_in)],
        ['field.complaint_report.days_to_close', (r) => (r.days_to_close == null ? '—' : fmtNumber(Math.round(r.days_to_close * 10) / 10))],
        ['field.complaint_report.charge_fen', (r) => fmtMoney(r.charge_fen)],
        ['field.complaint_report.credit_fen', (r) => fmtMoney(r.credit_fen)],
      ], rows));
    } });
}

