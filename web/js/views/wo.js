// Work orders (派工单, issue 11 items 1, 2 and 8): labels, the dispatcher's list screen
// (#/work-orders) and the timeline text of a work-order event. Kinds, statuses, actions,
// results and late-notice flags come from GET /api/v1/meta (enums wo_*), never copied here.
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { t, has, fmtTime, fmtNumber, today } from '../i18n.js';
import { meta } from '../meta.js';
import { errorText, go } from '../app.js';

export const woEnum = (name) => meta()?.enums?.[`wo_${name}`] || [];
// Planned, confirmed, departed or on site: still open (the domain's wo_status_open).
export const woOpen = (status) => woEnum('status_open').includes(status);

// wo.<group>.<value>, the value itself when the catalogue has no label
export function wl(group, v) {
  if (v === null || v === undefined || v === '') return '';
  const k = `wo.${group}.${v}`;
  return has(k) ? t(k) : String(v);
}

export function woBadge(s) {
  return h('span', { class: `badge badge-wo badge-wo-${s}`, 'data-wo-status': s }, wl('status', s));
}

export function lateBadge(n) {
  return n ? h('span', { class: `badge badge-late badge-late-${n}`, 'data-late': n }, wl('late', n)) : '';
}

// "12月8日 09:30–10:30" style: the window told to the customer
export function windowText(w) {
  if (!w.appointment_at) return '';
  const a = new Date(w.appointment_at).getTime();
  const from = new Date(a - w.tolerance_min * 60e3).toISOString();
  const to = new Date(a + w.tolerance_min * 60e3).toISOString();
  return t('wo.window', { from: fmtTime(from), to: hhmm(to), tol: w.tolerance_min });
}

export function hhmm(ts) {
  return new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }).format(new Date(ts));
}

// The heading of a timeline entry of kind work_order.
export function woEventText(d) {
  return t('wo.ev', { number: d.number || '', action: wl('act', d.action), to: wl('status', d.to) });
}

const PAGE = 20;

export async function workOrdersView(main) {
  const p = main.params;
  const statuses = woEnum('status');
  const form = h('form', { class: 'filters', id: 'wo-filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    go('/work-orders', { status: st.value, day: day.value || 'all', mine: mine.checked ? '1' : '' });
  } });
  const st = h('select', { id: 'wo-f-status', name: 'status' }, h('option', { value: '' }, t('wo.f.all')),
    statuses.map((s) => h('option', { value: s, selected: p.get('status') === s }, wl('status', s))));
  const dayParam = p.get('day') ?? today();
  const day = h('input', { type: 'date', id: 'wo-f-day', name: 'day', value: dayParam === 'all' ? '' : dayParam });
  const mine = h('input', { type: 'checkbox', id: 'wo-f-mine', name: 'mine', checked: p.get('mine') === '1' });
  form.append(
    h('div', { class: 'field' }, h('label', { for: st.id }, t('wo.f.status')), st),
    h('div', { class: 'field' }, h('label', { for: day.id }, t('wo.f.day')), day),
    h('div', { class: 'field field-check' }, mine, h('label', { for: mine.id }, t('wo.f.mine'))),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('wo.f.apply')));
  const body = h('div', { id: 'wo-list' });
  main.append(h('h1', null, t('wo.title')), form, body);
  const cursors = [null];
  async function load(page) {
    let data;
    try {
      ({ data } = await api('GET', '/work-orders', { query: {
        status: p.get('status') || '', day: dayParam === 'all' ? '' : dayParam, mine: p.get('mine') || '',
        limit: PAGE, cursor: cursors[page] || '' } }));
    } catch (e) {
      clear(body).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
      return;
    }
    if (!main.isCurrent()) return;
    cursors[page + 1] = data.next_cursor;
    clear(body).append(
      h('p', { class: 'count', id: 'wo-total' }, t('ui.list.count', { n: fmtNumber(data.total) })),
      data.items.length === 0 ? h('p', { class: 'empty' }, t('ui.list.empty')) : h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
        h('thead', null, h('tr', null, ['number', 'appointment', 'customer', 'kind', 'lead', 'status'].map((c) => h('th', { scope: 'col' }, t(`wo.f.${c}`))))),
        h('tbody', null, data.items.map((w) => h('tr', { 'data-wo-id': w.id },
          h('td', { 'data-label': t('wo.f.number') }, h('a', { href: `#/tickets/${w.ticket_id}` }, w.number)),
          h('td', { 'data-label': t('wo.f.appointment') }, windowText(w)),
          h('td', { 'data-label': t('wo.f.customer') }, w.customer_name || ''),
          h('td', { 'data-label': t('wo.f.kind') }, wl('kind', w.kind)),
          h('td', { 'data-label': t('wo.f.lead') }, w.lead_name || ''),
          h('td', { 'data-label': t('wo.f.status') }, woBadge(w.status), ' ', lateBadge(w.late_notice))))))),
      h('div', { class: 'pager' },
        page > 0 ? h('button', { type: 'button', class: 'btn', id: 'wo-prev', onclick: () => load(page - 1) }, t('wo.prev')) : null,
        data.next_cursor ? h('button', { type: 'button', class: 'btn', id: 'wo-next', onclick: () => load(page + 1) }, t('wo.next')) : null));
  }
  await load(0);
}
