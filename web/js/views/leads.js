// Recommendations made to the customer during a visit and the sales leads they hand over
// (issue 18 item 8, R-098, R-170): the list on a work order with the form the crew records one
// with, the customer's history (customer page and portal; a customer sees its own), and the
// sales list of leads with their status. Kinds and statuses come from /meta.
import { h, append, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, enumLabel, fmtTime, fmtNumber } from '../i18n.js';
import { columnMeta, routeRoles } from '../meta.js';
import { state, render, errorText } from '../app.js';
import { section, missingText } from './common.js';
import { listView } from './list.js';

const mayRoute = (m, p) => state.user.roles.some((r) => routeRoles(m, p).has(r));
const R = (col) => fieldLabel('recommendation', col);
const L = (col) => fieldLabel('lead', col);
const itemText = (r) => `${r.code ? r.code + ' ' : ''}${r.description} × ${fmtNumber(r.quantity)}`;

function recForm(w) {
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const ctl = {};
  const field = (name, control, required) => {
    const id = nextId('rec');
    Object.assign(control, { id, name, required: !!required });
    ctl[name] = control;
    return h('div', { class: 'field' }, h('label', { for: id }, R(name), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), control);
  };
  const kinds = columnMeta('recommendation', 'item_kind')?.enum || [];
  const f = h('form', { class: 'rec-form', 'data-wo': String(w.id), novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const body = { work_order_id: w.id };
    for (const [name, c] of Object.entries(ctl)) {
      const v = c.value.trim();
      if (c.required && !v) {
        err.hidden = false;
        err.textContent = missingText(R(name), c);
        c.focus();
        return;
      }
      if (v) body[name] = name === 'quantity' ? Number(v) : v;
    }
    try {
      await api('POST', '/recommendations', { body });
      state.flash = { kind: 'info', text: t('lead.rec.saved') };
      render();
    } catch (x) {
      err.hidden = false;
      err.textContent = errorText(x);
    }
  } });
  append(f, [err,
    field('item_kind', h('select', null, kinds.map((k) => h('option', { value: k }, enumLabel('item_kind', k)))), true),
    field('code', h('input', { type: 'text', maxlength: '60' })),
    field('description', h('input', { type: 'text', maxlength: '500' }), true),
    field('quantity', h('input', { type: 'number', min: '1', value: '1', inputmode: 'numeric' })),
    field('note', h('textarea', { rows: '2', maxlength: '1000' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('lead.rec.add')))]);
  return h('details', null, h('summary', null, t('lead.rec.add')), f);
}

// On a work order's card: what was recommended during the visit, and the form.
export async function recommendSection(w) {
  let items = [];
  try {
    items = (await api('GET', '/recommendations', { query: { work_order_id: w.id, limit: 50 } })).data.items;
  } catch { return null; }
  const canAdd = mayRoute('POST', '/api/v1/recommendations');
  if (!items.length && !canAdd) return null;
  return h('div', { class: 'wo-recs', 'data-wo': String(w.id) },
    h('h4', null, t('lead.rec.title')),
    items.length ? h('ul', null, items.map((r) => h('li', null, enumLabel('item_kind', r.item_kind), ' · ', itemText(r), r.note ? h('span', { class: 'muted' }, ` — ${r.note}`) : null))) : null,
    canAdd ? recForm(w) : null);
}

// The customer's history of recommendations (customer page, portal).
export async function recommendationHistory(query) {
  let data;
  try {
    data = (await api('GET', '/recommendations', { query: { limit: 20, ...query } })).data;
  } catch { return null; }
  return section(t('lead.rec.history'), data, [
    [fieldLabel('recommendation', 'created_at'), (r) => fmtTime(r.created_at)],
    [R('item_kind'), (r) => enumLabel('item_kind', r.item_kind)],
    [R('description'), (r) => itemText(r)],
    [R('ticket_id'), (r) => (r.ticket_id ? h('a', { href: `#/tickets/${r.ticket_id}` }, `#${r.ticket_id}`) : '')],
  ]);
}

function statusPicker(r) {
  const sel = h('select', { 'aria-label': L('status'), 'data-lead': String(r.id), onchange: async () => {
    try {
      await api('PATCH', `/leads/${r.id}`, { body: { status: sel.value } });
      state.flash = { kind: 'info', text: t('lead.saved') };
      render();
    } catch (e) {
      sel.after(h('span', { class: 'field-error', role: 'alert' }, errorText(e)));
    }
  } }, (columnMeta('lead', 'status')?.enum || []).map((s) => h('option', { value: s, selected: s === r.status }, enumLabel('status', s))));
  return sel;
}

// Sales: the leads, newest first, filtered by status; the status is changed in the row.
export async function leadsView(main) {
  return listView(main, {
    title: t('lead.title'),
    path: '/leads',
    hashPath: '/leads',
    expand: 'all',
    defaultSort: '-id',
    filters: [{ name: 'status', label: L('status'), options: (columnMeta('lead', 'status')?.enum || []).map((v) => [v, enumLabel('status', v)]) }],
    columns: [
      { label: fieldLabel('lead', 'created_at'), render: (r) => fmtTime(r.created_at), sort: 'created_at' },
      { label: L('title'), key: 'title' },
      { label: L('customer_id'), render: (r) => (r.customer_id ? h('a', { href: `#/customers/${r.customer_id}` }, r.customer_name || `#${r.customer_id}`) : '') },
      { label: L('ticket_id'), render: (r) => (r.ticket_id ? h('a', { href: `#/tickets/${r.ticket_id}` }, r.ticket_name || `#${r.ticket_id}`) : '') },
      { label: L('status'), render: (r) => statusPicker(r) },
    ],
  });
}
