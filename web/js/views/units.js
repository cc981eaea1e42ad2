// Units (installed equipment): the list, and one unit's page with its warranty
// (status, end, and the basis it was computed from) and its history.
import { h } from '../dom.js';
import { api } from '../api.js';
import { t, has, fieldLabel, enumLabel, fmtDate, fmtTime, fmtNumber } from '../i18n.js';
import { state } from '../app.js';
import { may, P, isStaff } from '../policy.js';
import { listView } from './list.js';
import { columnMeta } from '../meta.js';
import { warrantyBadge, warrantyStatus, detailList, section } from './common.js';
import { statusBadge, tl } from './tk.js';

// the declaration's values, with none (no warranty) offered last
const bases = () => {
  const e = columnMeta('unit', 'warranty_basis')?.enum || [];
  return [...e.filter((v) => v !== 'none'), ...e.filter((v) => v === 'none')];
};
const L = (c) => fieldLabel('unit', c);

export function unitsView(main) {
  const staff = isStaff(state.user);
  const filters = [
    { name: 'status', label: L('status'), options: (columnMeta('unit', 'status')?.enum || []).map((v) => [v, enumLabel('status', v)]) },
    { name: 'warranty_basis', label: L('warranty_basis'), options: bases().map((v) => [v, enumLabel('warranty_basis', v)]) },
  ];
  const cid = main.params.get('customer_id');
  if (cid) filters.push({ name: 'customer_id', label: t('ui.unit.customer'), options: [[cid, `#${cid}`]] });
  return listView(main, {
    title: staff ? t('ui.units.title') : t('ui.nav.my_units'),
    path: '/units',
    hashPath: '/units',
    expand: 'all',
    searchHint: t('ui.units.search_hint'),
    rowLink: (r) => `#/units/${r.id}`,
    actions: may(state.user, P.unitWrite) ? h('a', { href: '#/units/new', class: 'btn btn-primary' }, t('ui.unit.new')) : null,
    extraTools: staff ? (s) => h('a', { href: '#/labels?' + new URLSearchParams(Object.entries(s).filter(([k, v]) => v && k !== 'sort')).toString(), class: 'btn btn-quiet' }, t('ui.labels.print_these')) : null,
    filters,
    columns: [
      { key: 'serial_no', label: L('serial_no'), sort: 'serial_no' },
      { key: 'model_name', label: t('ui.unit.model') },
      { key: 'customer_name', label: t('ui.unit.customer'), render: (r) => r.customer_name || '' },
      { key: 'status', label: L('status'), sort: 'status', render: (r) => enumLabel('status', r.status) },
      { key: 'warranty_end', label: L('warranty_end'), sort: 'warranty_end', render: (r) => fmtDate(r.warranty_end) },
      { key: 'w', label: t('ui.unit.warranty'), render: warrantyBadge },
    ],
  });
}

export function warrantyBasisText(u) {
  const end = fmtDate(u.warranty_end);
  switch (u.warranty_basis) {
    case 'install':
    case 'ship':
      return t(`ui.warranty.basis_${u.warranty_basis}`, { start: fmtDate(u.warranty_start), months: fmtNumber(u.warranty_months ?? 0), end });
    case 'override':
      return t('ui.warranty.basis_override', { end });
    default:
      return t('ui.warranty.basis_none');
  }
}

const HIDDEN = new Set(['updated_at', 'version', 'created_at', 'id']);

function fmtValue(col, v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return enumLabel('bool', String(v));
  if (/_date$|^warranty_end|^warranty_start$/.test(col)) return fmtDate(v);
  if (['status', 'warranty_basis'].includes(col)) return enumLabel(col, v);
  return String(v);
}

function historyItem(ev) {
  const changes = [];
  if (ev.action === 'update' && ev.before && ev.after) {
    for (const k of Object.keys(ev.after)) {
      if (HIDDEN.has(k) || JSON.stringify(ev.before[k]) === JSON.stringify(ev.after[k])) continue;
      changes.push(h('li', null, h('span', { class: 'chg-field' }, L(k)), ': ',
        h('del', null, fmtValue(k, ev.before[k])), ' → ', h('ins', null, fmtValue(k, ev.after[k]))));
    }
  }
  const action = t(`ui.history.${ev.action}`) === `ui.history.${ev.action}` ? ev.action : t(`ui.history.${ev.action}`);
  return h('li', { class: 'event' },
    h('div', { class: 'event-head' }, h('time', { datetime: ev.at }, fmtTime(ev.at)), ' ',
      h('strong', null, action), ' ', h('span', { class: 'muted' }, t('ui.history.by', { user: ev.user_name || (ev.username && has(`ui.actor.${ev.username}`) ? t(`ui.actor.${ev.username}`) : ev.username) || '—' }))),
    changes.length ? h('ul', { class: 'changes' }, changes) : null);
}

export async function unitView(main, id) {
  const [{ data: u }, hist, tks] = await Promise.all([
    api('GET', `/units/${id}`, { query: { expand: 'all' } }),
    api('GET', `/units/${id}/history`),
    api('GET', '/tickets', { query: { unit_id: id, limit: 50, sort: '-received_at', expand: 'assignee_id' } }).then((r) => r.data).catch(() => ({ items: [], total: 0 })),
  ]);
  if (!main.isCurrent()) return;
  const s = warrantyStatus(u);
  const actions = [];
  if (may(state.user, P.unitWrite)) actions.push(h('a', { href: `#/units/${id}/edit`, class: 'btn' }, t('ui.edit')));
  if (isStaff(state.user)) actions.push(h('a', { href: `#/labels?ids=${id}`, class: 'btn btn-quiet' }, t('ui.labels.print_one')));
  // software versions (issue 18 item 3): loaded after the page
  const versionsSlot = h('div', { id: 'versions-slot' });
  import('./versions.js').then((m) => m.versionsCard(id)).then((card) => versionsSlot.replaceWith(card));
  main.append(
    h('div', { class: 'page-head' },
      h('h1', null, t('ui.unit.title', { serial: u.serial_no })),
      h('div', { class: 'toolbar' }, actions)),
    h('section', { class: `card warranty warranty-${s}`, 'aria-labelledby': 'w-title', id: 'warranty' },
      h('h2', { id: 'w-title' }, t('ui.unit.warranty'), ' ', warrantyBadge(u)),
      h('p', { class: 'warranty-basis', id: 'warranty-basis' }, warrantyBasisText(u)),
      detailList([
        [L('warranty_end'), fmtDate(u.warranty_end)],
        [L('warranty_basis'), enumLabel('warranty_basis', u.warranty_basis)],
        [L('warranty_start'), fmtDate(u.warranty_start)],
        [L('warranty_months'), u.warranty_months == null ? '' : fmtNumber(u.warranty_months)],
      ])),
    h('section', { class: 'card', 'aria-labelledby': 'u-title' },
      h('h2', { id: 'u-title' }, t('ui.unit.details')),
      detailList([
        [L('serial_no'), u.serial_no],
        [t('ui.unit.model'), u.model_name],
        [t('ui.unit.customer'), u.customer_id ? h('a', { href: `#/customers/${u.customer_id}` }, u.customer_name || `#${u.customer_id}`) : ''],
        [t('ui.unit.site'), u.site_name],
        [t('ui.unit.contract'), u.contract_name],
        [L('status'), enumLabel('status', u.status)],
        [L('production_date'), fmtDate(u.production_date)],
        [L('ship_date'), fmtDate(u.ship_date)],
        [L('install_date'), fmtDate(u.install_date)],
        [L('warranty_end_override'), fmtDate(u.warranty_end_override)],
        [L('notes'), u.notes],
      ])),
    versionsSlot,
    ticketSection(t('ui.unit.service'), tks, 'unit-tickets'),
    visitSection(tks),
    h('section', { class: 'card', 'aria-labelledby': 'h-title' },
      h('h2', { id: 'h-title' }, t('ui.unit.change_log')),
      hist.data.items.length ? h('ol', { class: 'history' }, hist.data.items.map(historyItem)) : h('p', { class: 'empty' }, t('ui.list.empty'))),
  );
}

// The service history of a unit or customer: its tickets, newest first.
export function ticketSection(title, data, id) {
  const el = section(title, data, [
    [t('ui.tk.f.number'), (r) => h('a', { href: `#/tickets/${r.id}` }, r.number)],
    [t('ui.tk.f.status'), (r) => statusBadge(r.status)],
    [t('ui.tk.f.type'), (r) => tl('type', r.type)],
    [t('ui.tk.f.received_at'), (r) => fmtTime(r.received_at)],
    [t('ui.tk.f.description'), (r) => (r.description ? h('span', { class: 'desc-clip', title: r.description }, r.description) : '')],
    [t('ui.tk.f.assignee'), (r) => r.assignee_name || ''],
  ]);
  el.id = id;
  return el;
}

// Visits: tickets with a booked or made visit (arrival, else the appointment).
function visitSection(tks) {
  const items = tks.items.filter((r) => r.arrived_at || r.visit_at);
  const el = section(t('ui.unit.visits'), { items, total: items.length }, [
    [t('ui.tk.f.visit_at'), (r) => fmtTime(r.arrived_at || r.visit_at)],
    [t('ui.tk.f.number'), (r) => h('a', { href: `#/tickets/${r.id}` }, r.number)],
    [t('ui.tk.f.assignee'), (r) => r.assignee_name || ''],
    [t('ui.tk.f.status'), (r) => statusBadge(r.status)],
  ]);
  el.id = 'unit-visits';
  return el;
}
