// Business trips (出差, issue 12 item 4; F-06, F-07): the list (#/trips) with the trips overdue
// for a progress report, a new trip for after-sales (#/trips/new) and the trip page
// (#/trips/:id), phone-first: the destination, the actions, progress reports with photos, the
// expenses and the feedback form (售后服务信息反馈单) handed in on return. Statuses and
// actions come from GET /api/v1/meta (enums trip_*).
import { h, clear } from '../dom.js';
import { api, apiUpload } from '../api.js';
import { t, has, fmtTime, fmtMoney, fmtNumber } from '../i18n.js';
import { meta, routeRoles } from '../meta.js';
import { errorText, go, state } from '../app.js';
import { downscale } from './tech_photo.js';

const tripEnum = (name) => meta()?.enums?.[`trip_${name}`] || [];
const label = (group, v) => (has(`trip.${group}.${v}`) ? t(`trip.${group}.${v}`) : String(v ?? ''));
const mayPlan = () => state.user?.roles.some((r) => routeRoles('POST', '/api/v1/trips').has(r));

function badge(s) {
  return h('span', { class: `badge badge-trip badge-trip-${s}`, 'data-trip-status': s }, label('status', s));
}
function overdueBadge(tr) {
  return tr.report_overdue ? h('span', { class: 'badge badge-late-late', 'data-overdue': '1' }, t('trip.overdue')) : '';
}

// The message of an error: the guards and the overlap in words of their own.
function tripError(e) {
  if (e?.reason === 'guard' && has(`trip.guard.${e.params?.guard}`)) return t(`trip.guard.${e.params.guard}`);
  if (e?.reason === 'trip_overlap') return t('trip.err.overlap', { trip: e.params?.trip_id ?? '' });
  return errorText(e);
}

// "123.45" (yuan, at most two decimals) -> 12345 fen, without floating point; null when bad.
export function yuanToFen(s) {
  const m = /^\s*(\d{1,8})(?:\.(\d{1,2}))?\s*$/.exec(String(s ?? ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}
const fenToYuan = (f) => `${Math.trunc(f / 100)}.${String(f % 100).padStart(2, '0')}`;

export async function tripsView(main) {
  const p = main.params;
  const st = h('select', { id: 'trip-f-status', name: 'status' }, h('option', { value: '' }, t('trip.f.all')),
    tripEnum('status').map((s) => h('option', { value: s, selected: p.get('status') === s }, label('status', s))));
  const overdue = h('input', { type: 'checkbox', id: 'trip-f-overdue', checked: p.get('overdue') === 'true' });
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    go('/trips', { status: st.value, overdue: overdue.checked ? 'true' : '' });
  } },
  h('div', { class: 'field' }, h('label', { for: st.id }, t('trip.f.status')), st),
  h('div', { class: 'field field-check' }, overdue, h('label', { for: overdue.id }, t('trip.f.overdue'))),
  h('button', { type: 'submit', class: 'btn btn-primary' }, t('trip.f.apply')));
  const body = h('div', { id: 'trip-list' });
  main.append(...[h('h1', null, t('trip.title')),
    mayPlan() ? h('p', null, h('a', { href: '#/trips/new', class: 'btn', id: 'trip-new' }, t('trip.new'))) : null,
    form, body].filter(Boolean));
  let data;
  try {
    ({ data } = await api('GET', '/trips', { query: { status: p.get('status') || '', overdue: p.get('overdue') || '' } }));
  } catch (e) {
    body.append(h('p', { class: 'alert alert-error', role: 'alert' }, tripError(e)));
    return;
  }
  if (!main.isCurrent()) return;
  const cols = ['purpose', 'customer', 'lead', 'departure', 'days', 'status'];
  body.append(h('p', { class: 'count' }, t('ui.list.count', { n: fmtNumber(data.total) })),
    data.items.length === 0 ? h('p', { class: 'empty' }, t('ui.list.empty')) : h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, t(`trip.f.${c}`))))),
      h('tbody', null, data.items.map((tr) => h('tr', { 'data-trip-id': tr.id },
        h('td', { 'data-label': t('trip.f.purpose') }, h('a', { href: `#/trips/${tr.id}` }, tr.purpose)),
        h('td', { 'data-label': t('trip.f.customer') }, tr.customer_name || ''),
        h('td', { 'data-label': t('trip.f.lead') }, tr.lead_name || ''),
        h('td', { 'data-label': t('trip.f.departure') }, fmtTime(tr.departed_at || tr.planned_departure_at)),
        h('td', { 'data-label': t('trip.f.days') }, String(tr.est_days)),
        h('td', { 'data-label': t('trip.f.status') }, badge(tr.status), ' ', overdueBadge(tr))))))));
}

// ---- a new trip (F-06), by after-sales ----

function field(id, key, input, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, t(key)), input, hint ? h('small', { class: 'hint' }, hint) : null);
}

export async function tripForm(main) {
  let techs = [], custs = [];
  try {
    techs = (await api('GET', '/technicians', { query: { limit: 200 } })).data.items;
    custs = (await api('GET', '/customers', { query: { limit: 200, sort: 'name' } })).data.items;
  } catch (e) {
    main.append(h('p', { class: 'alert alert-error', role: 'alert' }, tripError(e)));
    return;
  }
  const opt = (v, text) => h('option', { value: v }, text);
  const lead = h('select', { id: 'trip-lead', required: true }, opt('', ''), techs.map((x) => opt(x.user_id, x.name)));
  const others = h('select', { id: 'trip-others', multiple: true, size: 4 }, techs.map((x) => opt(x.user_id, x.name)));
  const cust = h('select', { id: 'trip-customer' }, opt('', ''), custs.map((c) => opt(c.id, c.name)));
  const inp = (id, type = 'text', extra = {}) => h('input', { id, type, ...extra });
  const purpose = h('textarea', { id: 'trip-purpose', rows: 2, maxlength: 500, required: true });
  const address = inp('trip-address', 'text', { maxlength: 300 });
  const contact = inp('trip-contact', 'text', { maxlength: 100 });
  const phone = inp('trip-phone', 'tel', { maxlength: 40 });
  const details = h('textarea', { id: 'trip-details', rows: 2, maxlength: 2000 });
  const days = inp('trip-days', 'number', { min: 1, max: 365, value: 2, required: true });
  const dep = inp('trip-departure', 'datetime-local', { required: true });
  const err = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'form', id: 'trip-form', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    const body = {
      lead_id: Number(lead.value) || 0, other_ids: [...others.selectedOptions].map((o) => Number(o.value)),
      purpose: purpose.value.trim(), address: address.value.trim(), contact_name: contact.value.trim(),
      contact_phone: phone.value.trim(), site_details: details.value.trim(), est_days: Number(days.value),
      planned_departure_at: dep.value ? new Date(`${dep.value}:00+08:00`).toISOString().replace(/\.\d+Z$/, 'Z') : '',
    };
    if (cust.value) body.customer_id = Number(cust.value);
    try {
      const { data } = await api('POST', '/trips', { body });
      go(`/trips/${data.id}`);
    } catch (x) {
      err.textContent = (x.field ? `${fieldName(x.field)}: ` : '') + tripError(x);
      err.hidden = false;
    }
  } },
  field(lead.id, 'trip.f.lead', lead), field(others.id, 'trip.f.others', others),
  field(purpose.id, 'trip.f.purpose', purpose), field(cust.id, 'trip.f.customer', cust),
  field(address.id, 'trip.f.address', address), field(contact.id, 'trip.f.contact', contact),
  field(phone.id, 'trip.f.phone', phone), field(details.id, 'trip.f.details', details),
  field(days.id, 'trip.f.est_days', days), field(dep.id, 'trip.f.planned', dep, t('trip.f.planned_hint')),
  err, h('button', { type: 'submit', class: 'btn btn-primary', id: 'trip-save' }, t('trip.create')));
  main.append(h('h1', null, t('trip.new')), form);
}

const fieldName = (f) => (has(`trip.field.${f}`) ? t(`trip.field.${f}`) : f);

// ---- the trip page ----

export async function tripView(main, id) {
  const { data: tr } = await api('GET', `/trips/${id}`);
  if (!main.isCurrent()) return;
  const reload = () => go(`/trips/${id}`);
  const open = !['closed', 'cancelled'].includes(tr.status);
  const writer = open && (tr.member || mayPlan());
  const say = h('p', { role: 'status', 'aria-live': 'polite', id: 'trip-say', class: 'hint' });
  const fail = (e) => { clear(say).append(h('span', { class: 'alert alert-error', role: 'alert' }, tripError(e))); };
  main.classList.add('tech');
  main.append(...[
    h('p', { class: 'tech-back' }, h('a', { href: '#/trips', class: 'btn btn-quiet', id: 'trip-back' }, t('trip.back'))),
    head(tr), say, actions(tr, reload, fail),
    tr.status === 'departed' || tr.reports.length ? reports(tr, reload, fail) : null,
    writer ? expenses(tr, reload, fail) : expensesRead(tr),
    feedback(tr, writer && tr.status !== 'planned', reload, fail)].filter(Boolean));
}

function head(tr) {
  const rows = [
    ['trip.f.technicians', tr.technicians.map((m) => m.name + (m.lead ? t('trip.lead_mark') : '')).join('、')],
    ['trip.f.est_days', t('trip.days', { n: tr.est_days })],
    ['trip.f.planned', fmtTime(tr.planned_departure_at)],
    tr.departed_at ? ['trip.f.departed', fmtTime(tr.departed_at)] : null,
    tr.returned_at ? ['trip.f.returned', fmtTime(tr.returned_at)] : null,
    tr.actual_days !== null ? ['trip.f.actual_days', t('trip.days', { n: tr.actual_days })] : null,
    tr.ticket_id ? ['trip.f.ticket', h('a', { href: `#/tickets/${tr.ticket_id}` }, tr.ticket_number || String(tr.ticket_id))] : null,
    tr.project_id ? ['trip.f.project', String(tr.project_id)] : null,
  ].filter(Boolean);
  return h('section', { class: 'card wo-head', id: 'trip-head', 'data-status': tr.status, 'aria-labelledby': 'trip-title' },
    h('div', { class: 'wo-top' }, badge(tr.status), ' ', overdueBadge(tr)),
    h('h1', { id: 'trip-title', class: 'wo-customer' }, tr.customer_name || tr.purpose),
    h('p', { class: 'wo-meta' }, tr.purpose),
    tr.address ? h('p', { class: 'wo-address', id: 'trip-address' }, tr.address) : null,
    tr.contact_name || tr.contact_phone ? h('p', { class: 'wo-meta' }, tr.contact_name, ' ',
      tr.contact_phone ? h('a', { href: `tel:${tr.contact_phone.replace(/[^\d+]/g, '')}`, 'data-reach': 'tel' }, tr.contact_phone) : null) : null,
    tr.site_details ? h('p', { class: 'wo-fault' }, tr.site_details) : null,
    h('dl', { class: 'details tech-times' }, rows.map(([k, v]) => h('div', null, h('dt', null, t(k)), h('dd', null, v)))));
}

function actions(tr, reload, fail) {
  if (!tr.allowed_actions.length) return null;
  const reason = h('input', { id: 'trip-cancel-reason', type: 'text', maxlength: 500 });
  const run = (action) => async (e) => {
    e.target.disabled = true;
    try {
      await api('POST', `/trips/${tr.id}/actions`, { body: action === 'cancel' ? { action, reason: reason.value.trim() } : { action } });
      reload();
    } catch (x) { fail(x); e.target.disabled = false; }
  };
  return h('section', { class: 'card', id: 'trip-actions', 'aria-labelledby': 'trip-act-t' },
    h('h2', { id: 'trip-act-t' }, t('trip.actions')),
    tr.allowed_actions.includes('cancel') ? field(reason.id, 'trip.cancel_reason', reason) : null,
    tr.allowed_actions.map((a) => h('button', { type: 'button', class: `btn btn-wide ${a === 'cancel' ? '' : 'btn-primary'}`, id: `trip-act-${a}`, onclick: run(a) }, label('act', a))));
}

function reports(tr, reload, fail) {
  const list = h('ol', { class: 'trip-reports', id: 'trip-reports' }, tr.reports.map((r) => h('li', { 'data-report': r.id },
    h('p', { class: 'wo-meta' }, `${fmtTime(r.created_at)} · ${r.created_by_name || ''}`),
    h('p', null, r.body),
    r.photos.length ? h('ul', { class: 'tech-thumbs' }, r.photos.map((p) => h('li', null,
      h('img', { src: p.url, alt: t('trip.photo_alt'), class: 'thumb', loading: 'lazy' })))) : null)));
  const box = h('section', { class: 'card', id: 'trip-progress', 'aria-labelledby': 'trip-rep-t' },
    h('h2', { id: 'trip-rep-t' }, t('trip.reports')), list);
  if (tr.status !== 'departed' || !(tr.member || mayPlan())) return box;
  const text = h('textarea', { id: 'trip-report-body', rows: 3, maxlength: 2000, required: true });
  const files = h('input', { id: 'trip-report-photo', type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', multiple: true });
  const chosen = h('span', { class: 'hint', id: 'trip-photo-chosen' });
  files.addEventListener('change', () => { chosen.textContent = files.files.length ? t('trip.photos_chosen', { n: files.files.length }) : ''; });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'trip-report-send' }, t('trip.report_send'));
  box.append(h('form', { id: 'trip-report-form', onsubmit: async (e) => {
    e.preventDefault();
    if (!text.value.trim()) { text.focus(); return; }
    btn.disabled = true;
    try {
      const { data: r } = await api('POST', `/trips/${tr.id}/reports`, { body: { body: text.value.trim() } });
      for (const f of [...files.files]) await apiUpload(`/trips/${tr.id}/reports/${r.id}/photos`, await downscale(f));
      reload();
    } catch (x) { fail(x); btn.disabled = false; }
  } },
  field(text.id, 'trip.report_new', text),
  h('div', { class: 'tech-reach' }, h('label', { for: files.id, class: 'btn' }, t('trip.photo_add')), files, chosen),
  btn));
  return box;
}

const EXP = () => meta()?.enums?.trip_expense || [];

function expensesRead(tr) {
  return h('section', { class: 'card', id: 'trip-expenses', 'aria-labelledby': 'trip-exp-t' },
    h('h2', { id: 'trip-exp-t' }, t('trip.expenses')),
    h('dl', { class: 'details' }, [...EXP(), 'total'].map((k) => h('div', null, h('dt', null, label('expense', k)), h('dd', { 'data-expense': k }, fmtMoney(tr.expenses[k]))))));
}

function expenses(tr, reload, fail) {
  const inputs = EXP().map((k) => h('input', { id: `trip-exp-${k}`, type: 'text', inputmode: 'decimal', value: fenToYuan(tr.expenses[k]) }));
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  return h('section', { class: 'card', id: 'trip-expenses', 'aria-labelledby': 'trip-exp-t' },
    h('h2', { id: 'trip-exp-t' }, t('trip.expenses')),
    h('form', { id: 'trip-exp-form', onsubmit: async (e) => {
      e.preventDefault();
      const body = {};
      for (const [i, k] of EXP().entries()) {
        const fen = yuanToFen(inputs[i].value);
        if (fen === null) { err.textContent = `${label('expense', k)}: ${t('err.reason.invalid_format.decimal')}`; err.hidden = false; inputs[i].focus(); return; }
        body[`${k}_fen`] = fen;
      }
      try { await api('PATCH', `/trips/${tr.id}`, { body }); reload(); } catch (x) { fail(x); }
    } },
    EXP().map((k, i) => field(inputs[i].id, `trip.expense.${k}`, inputs[i])),
    h('p', { id: 'trip-exp-total' }, `${label('expense', 'total')}: ${fmtMoney(tr.expenses.total)}`),
    err, h('button', { type: 'submit', class: 'btn btn-wide', id: 'trip-exp-save' }, t('trip.save'))));
}

const FB = [['work_done', 4], ['result', 3], ['problems', 3], ['customer_opinion', 2]];

function feedback(tr, editable, reload, fail) {
  const box = h('section', { class: 'card', id: 'trip-feedback', 'aria-labelledby': 'trip-fb-t' },
    h('h2', { id: 'trip-fb-t' }, t('trip.feedback')));
  const fb = tr.feedback;
  if (fb) {
    box.append(h('p', { class: 'alert alert-info', id: 'trip-fb-done' }, t('trip.fb_done', { time: fmtTime(fb.handed_in_at) })),
      h('dl', { class: 'details' }, FB.map(([k]) => h('div', null, h('dt', null, t(`trip.fb.${k}`)), h('dd', null, fb[k] || '')))));
  } else {
    box.append(h('p', { class: 'hint', id: 'trip-fb-missing' }, t('trip.fb_missing')));
  }
  if (!editable) return box;
  const areas = FB.map(([k, rows]) => h('textarea', { id: `trip-fb-${k}`, rows, maxlength: 4000, required: k === 'work_done' || k === 'result' }, fb?.[k] || ''));
  box.append(h('form', { id: 'trip-fb-form', onsubmit: async (e) => {
    e.preventDefault();
    const body = {};
    FB.forEach(([k], i) => { body[k] = areas[i].value.trim(); });
    try { await api('POST', `/trips/${tr.id}/feedback`, { body }); reload(); } catch (x) { fail(x); }
  } },
  FB.map(([k], i) => field(areas[i].id, `trip.fb.${k}`, areas[i])),
  h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'trip-fb-send' }, fb ? t('trip.fb_update') : t('trip.fb_send'))));
  return box;
}
