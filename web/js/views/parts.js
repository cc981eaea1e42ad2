// Spare parts (issue 14 item 1; docs/parts.md): the catalogue (#/parts) and the stock by
// location with the reorder alerts and a movement form (#/stock) for the office; on the
// phone the technician's van (#/van: what I carry, what I used today) and, on the visit
// page, "use a part on this work order" (partsUseCard). Kinds and price bases come from
// /meta (enums.stock_kind, enums.part_basis).
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, fmtMoney, fmtTime } from '../i18n.js';
import { errorText, state } from '../app.js';
import { P, may } from '../policy.js';
import { meta, columnMeta } from '../meta.js';
import { listView } from './list.js';
import { entityForm, fieldsOf } from './forms.js';

const PART_FORM = ['code', 'name', 'models', 'unit', 'price_fen', 'cost_fen', 'active', 'notes'];

export async function partsView(main) {
  const actions = [h('a', { href: '#/stock', class: 'btn', id: 'to-stock' }, t('parts.stock.title'))];
  if (may(state.user, P.partsWrite)) actions.unshift(h('a', { href: '#/parts/new', class: 'btn btn-primary', id: 'new-part' }, t('parts.new')));
  return listView(main, {
    title: t('parts.title'),
    path: '/parts',
    hashPath: '/parts',
    defaultSort: 'code',
    actions,
    rowLink: (r) => `#/parts/${r.id}`,
    columns: [
      { label: fieldLabel('part', 'code'), key: 'code', sort: 'code' },
      { label: fieldLabel('part', 'name'), key: 'name', sort: 'name' },
      { label: fieldLabel('part', 'models'), key: 'models' },
      { label: fieldLabel('part', 'unit'), key: 'unit' },
      { label: fieldLabel('part', 'price_fen'), render: (r) => fmtMoney(r.price_fen), sort: 'price_fen' },
      { label: fieldLabel('part', 'cost_fen'), render: (r) => fmtMoney(r.cost_fen) },
    ],
  });
}

export async function partForm(main, id) {
  const fields = await fieldsOf('part', PART_FORM);
  return entityForm(main, { ent: 'part', path: '/parts', fields, id, title: id ? 'parts.edit' : 'parts.new', back: '/parts' });
}

// 旧件: faulty parts removed on site, their status (with the technician → back at the
// factory → received, or scrapped) and the purchasing task of a bought-in part
const FAULTY_FORM = ['part_id', 'work_order_id', 'technician_id', 'qty', 'serial_no', 'status', 'third_party', 'supplier', 'fault', 'notes'];

export async function faultyView(main) {
  return listView(main, {
    title: t('parts.faulty.title'),
    path: '/faulty-parts',
    hashPath: '/faulty-parts',
    expand: 'all',
    defaultSort: '-id',
    filters: [{ name: 'status', label: fieldLabel('faulty_part', 'status'),
      options: (columnMeta('faulty_part', 'status')?.enum || []).map((v) => [v, t(`parts.faulty.${v}`)]) }],
    actions: [h('a', { href: '#/faulty-parts/new', class: 'btn btn-primary', id: 'new-faulty' }, t('parts.faulty.new'))],
    rowLink: (r) => `#/faulty-parts/${r.id}`,
    columns: [
      { label: fieldLabel('faulty_part', 'serial_no'), render: (r) => r.serial_no || `#${r.id}` },
      { label: fieldLabel('faulty_part', 'part_id'), render: (r) => r.part_name || `#${r.part_id}` },
      { label: fieldLabel('faulty_part', 'technician_id'), render: (r) => r.technician_name || '' },
      { label: fieldLabel('faulty_part', 'status'), render: (r) => t(`parts.faulty.${r.status}`), sort: 'status' },
      { label: fieldLabel('faulty_part', 'third_party'), render: (r) => (r.third_party ? (r.supplier || '✓') : '') },
      { label: fieldLabel('faulty_part', 'task_id'), render: (r) => (r.task_id ? `#${r.task_id}` : '') },
    ],
  });
}

export async function faultyForm(main, id) {
  const fields = await fieldsOf('faulty_part', FAULTY_FORM);
  return entityForm(main, { ent: 'faulty_part', path: '/faulty-parts', fields, id, title: id ? 'parts.faulty.title' : 'parts.faulty.new', back: '/faulty-parts' });
}

const qtyText = (r) => `${r.qty} ${r.unit || ''}`.trim();

function stockTable(id, items, withLoc = true) {
  if (!items.length) return h('p', { class: 'empty', id: `${id}-empty` }, t('parts.stock.empty'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list', id },
    h('thead', null, h('tr', null,
      withLoc ? h('th', { scope: 'col' }, t('parts.col.location')) : null,
      h('th', { scope: 'col' }, fieldLabel('part', 'code')),
      h('th', { scope: 'col' }, fieldLabel('part', 'name')),
      h('th', { scope: 'col' }, t('parts.col.qty')),
      h('th', { scope: 'col' }, t('parts.col.min')))),
    h('tbody', null, items.map((r) => h('tr', { 'data-part': String(r.part_id), 'data-location': String(r.location_id), class: r.below_min ? 'row-warn' : null },
      withLoc ? h('td', null, r.location_name) : null,
      h('td', null, r.part_code), h('td', null, r.part_name),
      h('td', { class: 'num' }, qtyText(r)),
      h('td', { class: 'num' }, r.min_qty ?? '—'))))));
}

function say(box, kind, text) {
  clear(box).append(h('p', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : null }, text));
}

// The stock by location, the reorder alerts and the movement form (office).
export async function stockView(main) {
  const loc = main.params.get('location_id') || '';
  const [locs, parts, stock] = await Promise.all([
    api('GET', '/stock-locations', { query: { limit: 200 } }).then((r) => r.data.items),
    api('GET', '/parts', { query: { limit: 200, active: true } }).then((r) => r.data.items),
    api('GET', '/stock', { query: { limit: 200, location_id: loc } }).then((r) => r.data),
  ]);
  const alerts = may(state.user, P.stockAlerts) ? (await api('GET', '/stock/alerts', { query: { limit: 200 } })).data.items : null;
  if (!main.isCurrent()) return;
  const sel = h('select', { id: 'stock-location', onchange: (e) => { location.hash = `#/stock${e.target.value ? `?location_id=${e.target.value}` : ''}`; } },
    h('option', { value: '' }, t('ui.list.any')),
    locs.map((l) => h('option', { value: String(l.id), selected: String(l.id) === loc }, `${l.name} · ${t(`parts.loc.${l.kind}`)}`)));
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, t('parts.stock.title')), h('div', { class: 'toolbar' },
      h('a', { href: '#/parts', class: 'btn btn-quiet' }, t('parts.title')),
      h('a', { href: '#/faulty-parts', class: 'btn btn-quiet', id: 'to-faulty' }, t('parts.faulty.title')))),
    h('div', { class: 'field' }, h('label', { for: 'stock-location' }, t('parts.col.location')), sel),
    stockTable('stock-table', stock.items));
  if (alerts) {
    main.append(h('section', { class: 'card', id: 'stock-alerts', 'aria-labelledby': 'alerts-t' },
      h('h2', { id: 'alerts-t' }, t('parts.alerts.title'), ' ', h('span', { class: 'count' }, String(alerts.length))),
      stockTable('alerts-table', alerts)));
  }
  if (may(state.user, P.stockMove)) main.append(movementForm(locs, parts));
}

function movementForm(locs, parts) {
  const msg = h('div', { id: 'move-msg', role: 'status', 'aria-live': 'polite' });
  const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const locSel = (id) => h('select', { id }, h('option', { value: '' }, '—'),
    locs.map((l) => h('option', { value: String(l.id) }, `${l.name} · ${t(`parts.loc.${l.kind}`)}`)));
  const kind = h('select', { id: 'move-kind' }, (meta()?.enums?.stock_kind || []).filter((k) => k !== 'consume')
    .map((k) => h('option', { value: k }, t(`parts.kind.${k}`))));
  const part = h('select', { id: 'move-part' }, parts.map((p) => h('option', { value: String(p.id) }, `${p.code} ${p.name}`)));
  const qty = h('input', { id: 'move-qty', type: 'number', min: '1', step: '1', value: '1', inputmode: 'numeric' });
  const from = locSel('move-from'), to = locSel('move-to');
  const note = h('input', { id: 'move-note', type: 'text', maxlength: '500' });
  return h('form', { class: 'card', id: 'move-form', onsubmit: async (e) => {
    e.preventDefault();
    const body = { kind: kind.value, part_id: Number(part.value), qty: Number(qty.value) };
    if (from.value) body.from_location_id = Number(from.value);
    if (to.value) body.to_location_id = Number(to.value);
    if (note.value.trim()) body.note = note.value.trim();
    try {
      await api('POST', '/stock-movements', { body });
      say(msg, 'info', t('parts.move.done'));
      setTimeout(() => window.dispatchEvent(new HashChangeEvent('hashchange')), 600);
    } catch (err) { if (err.status !== 401) say(msg, 'error', errorText(err)); }
  } },
  h('h2', null, t('parts.move.title')),
  field('move-kind', t('parts.move.kind'), kind), field('move-part', t('parts.col.part'), part),
  field('move-qty', t('parts.col.qty'), qty), field('move-from', t('parts.move.from'), from),
  field('move-to', t('parts.move.to'), to), field('move-note', t('parts.move.note'), note),
  h('button', { type: 'submit', class: 'btn btn-primary', id: 'move-save' }, t('parts.move.save')), msg);
}

// Midnight today in Asia/Shanghai as a UTC timestamp (what I used today).
function todayStartUtc() {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return new Date(`${day}T00:00:00+08:00`).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function usedList(id, items) {
  if (!items.length) return h('p', { class: 'empty', id: `${id}-empty` }, t('parts.used.empty'));
  return h('ul', { class: 'tech-list', id }, items.map((m) => h('li', { 'data-movement': String(m.id) },
    h('strong', null, `${m.part_name} × ${m.qty}`), ' ',
    h('span', { class: 'hint' }, [m.work_order_number, fmtTime(m.created_at), m.amount_fen ? fmtMoney(m.amount_fen) : t(`parts.basis.${m.price_basis || 'free'}`)].filter(Boolean).join(' · ')))));
}

// The technician's van on the phone (#/van).
export async function vanView(main) {
  main.classList.add('tech');
  let stock, used;
  try {
    [stock, used] = await Promise.all([
      api('GET', '/stock', { query: { mine: true, limit: 200 } }).then((r) => r.data.items),
      api('GET', '/stock-movements', { query: { mine: true, kind: 'consume', since: todayStartUtc(), limit: 200 } }).then((r) => r.data.items),
    ]);
  } catch (e) {
    if (main.isCurrent()) main.append(h('h1', null, t('parts.van.title')), h('p', { class: 'alert alert-error', role: 'alert', id: 'van-error' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, t('parts.van.title'))),
    h('section', { class: 'card', id: 'van-stock', 'aria-labelledby': 'van-t' }, h('h2', { id: 'van-t' }, t('parts.van.carry')),
      stock.length ? h('ul', { class: 'tech-list', id: 'van-list' }, stock.map((r) => h('li', { 'data-part': String(r.part_id) },
        h('strong', null, r.part_name), ' ', h('span', { class: 'hint' }, r.part_code), ' ', h('span', { class: 'van-qty' }, qtyText(r)))))
        : h('p', { class: 'empty', id: 'van-empty' }, t('parts.van.empty'))),
    h('section', { class: 'card', id: 'van-used', 'aria-labelledby': 'used-t' }, h('h2', { id: 'used-t' }, t('parts.van.today')),
      usedList('used-list', used)));
}

// On the visit page: use a part from my van on this work order, and what it used.
export function partsUseCard(woId) {
  const card = h('section', { class: 'card', id: 'visit-parts', 'aria-labelledby': 'vp-t' }, h('h2', { id: 'vp-t' }, t('parts.use.title')));
  const body = h('div');
  card.append(body);
  async function load() {
    const [stock, used] = await Promise.all([
      api('GET', '/stock', { query: { mine: true, limit: 200 } }).then((r) => r.data.items),
      api('GET', '/stock-movements', { query: { work_order_id: woId, kind: 'consume', limit: 200 } }).then((r) => r.data.items),
    ]);
    const msg = h('div', { id: 'use-msg', role: 'status', 'aria-live': 'polite' });
    const sid = nextId('use');
    const part = h('select', { id: 'use-part' }, stock.filter((r) => r.qty > 0).map((r) =>
      h('option', { value: String(r.part_id) }, `${r.part_name} (${qtyText(r)})`)));
    const qty = h('input', { id: 'use-qty', type: 'number', min: '1', step: '1', value: '1', inputmode: 'numeric' });
    const form = h('form', { id: 'use-form', onsubmit: async (e) => {
      e.preventDefault();
      if (!part.value) return;
      try {
        await api('POST', '/stock-movements', { body: { kind: 'consume', part_id: Number(part.value), qty: Number(qty.value), work_order_id: Number(woId) } });
        await load();
        say(card.querySelector('#use-msg'), 'info', t('parts.use.done'));
      } catch (err) { if (err.status !== 401) say(msg, 'error', errorText(err)); }
    } },
    h('div', { class: 'field' }, h('label', { for: 'use-part' }, t('parts.col.part')), part),
    h('div', { class: 'field' }, h('label', { for: 'use-qty', id: sid }, t('parts.col.qty')), qty),
    h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'use-save', disabled: !stock.some((r) => r.qty > 0) }, t('parts.use.save')));
    clear(body).append(stock.some((r) => r.qty > 0) ? form : h('p', { class: 'hint', id: 'use-none' }, t('parts.van.empty')), msg,
      h('h3', null, t('parts.use.used')), usedList('wo-used', used));
  }
  load().catch(() => { /* the visit page works without the parts card */ });
  return card;
}
