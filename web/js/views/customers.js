// Customers: the list and one customer's page with contacts, sites and units.
import { h } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, enumLabel, fmtTime } from '../i18n.js';
import { state } from '../app.js';
import { may, P, isStaff } from '../policy.js';
import { listView } from './list.js';
import { columnMeta } from '../meta.js';
import { warrantyBadge, detailList, section } from './common.js';
import { ticketSection } from './units.js';
import { recommendationHistory } from './leads.js';


export function customersView(main) {
  const L = (c) => fieldLabel('customer', c);
  return listView(main, {
    title: t('ui.customers.title'),
    path: '/customers',
    hashPath: '/customers',
    searchHint: t('ui.customers.search_hint'),
    rowLink: (r) => `#/customers/${r.id}`,
    actions: may(state.user, P.masterWrite) ? h('a', { href: '#/customers/new', class: 'btn btn-primary' }, t('ui.customer.new')) : null,
    filters: [
      { name: 'type', label: L('type'), options: (columnMeta('customer', 'type')?.enum || []).map((v) => [v, enumLabel('type', v)]) },
      { name: 'is_key', label: L('is_key'), options: [['true', enumLabel('bool', 'true')], ['false', enumLabel('bool', 'false')]] },
    ],
    columns: [
      { key: 'name', label: L('name'), sort: 'name' },
      { key: 'code', label: L('code'), sort: 'code' },
      { key: 'type', label: L('type'), sort: 'type', render: (r) => enumLabel('type', r.type) },
      { key: 'province', label: L('province'), sort: 'province', render: (r) => [r.province, r.city].filter(Boolean).join(' ') },
      { key: 'phone', label: L('phone') },
      { key: 'is_key', label: L('is_key'), render: (r) => (r.is_key ? h('span', { class: 'badge badge-key' }, t('ui.customer.key')) : '') },
    ],
  });
}

export async function customerView(main, id) {
  const [{ data: c }, contacts, sites, units, tks, recs] = await Promise.all([
    api('GET', `/customers/${id}`),
    api('GET', `/customers/${id}/contacts`, { query: { limit: 50 } }),
    api('GET', `/customers/${id}/sites`, { query: { limit: 50 } }),
    api('GET', `/customers/${id}/units`, { query: { limit: 50, expand: 'all' } }),
    api('GET', '/tickets', { query: { customer_id: id, limit: 20, sort: '-received_at', expand: 'assignee_id' } }).then((r) => r.data).catch(() => ({ items: [], total: 0 })),
    recommendationHistory({ customer_id: id }), // issue 18 item 8
  ]);
  if (!main.isCurrent()) return;
  const L = (col) => fieldLabel('customer', col);
  const actions = [];
  if (may(state.user, P.masterWrite)) actions.push(h('a', { href: `#/customers/${id}/edit`, class: 'btn' }, t('ui.edit')));
  if (isStaff(state.user)) actions.push(h('a', { href: `#/labels?customer_id=${id}`, class: 'btn btn-quiet' }, t('ui.labels.for_customer')));
  main.append(
    h('div', { class: 'page-head' },
      h('h1', null, c.name, c.is_key ? h('span', { class: 'badge badge-key' }, t('ui.customer.key')) : null),
      h('div', { class: 'toolbar' }, actions)),
    detailList([
      [L('code'), c.code],
      [L('type'), enumLabel('type', c.type)],
      [L('region'), [c.province, c.city, c.region].filter(Boolean).join(' ')],
      [L('address'), c.address],
      [L('phone'), c.phone],
      [L('email'), c.email],
      [L('first_contact_at'), fmtTime(c.first_contact_at)],
      [L('notes'), c.notes],
    ]),
    ticketSection(t('ui.customer.tickets'), tks, 'customer-tickets'),
    recs,
    section(t('ui.customer.contacts'), contacts.data, [
      [fieldLabel('contact', 'name'), (r) => r.name],
      [fieldLabel('contact', 'position'), (r) => r.position],
      [fieldLabel('contact', 'phone'), (r) => r.phone],
      [fieldLabel('contact', 'email'), (r) => r.email],
    ]),
    section(t('ui.customer.sites'), sites.data, [
      [fieldLabel('site', 'name'), (r) => r.name],
      [fieldLabel('site', 'address'), (r) => [r.province, r.city, r.address].filter(Boolean).join(' ')],
    ]),
    section(t('ui.customer.units'), units.data, [
      [fieldLabel('unit', 'serial_no'), (r) => h('a', { href: `#/units/${r.id}` }, r.serial_no)],
      [t('ui.unit.model'), (r) => r.model_name || ''],
      [fieldLabel('unit', 'status'), (r) => enumLabel('status', r.status)],
      [t('ui.unit.warranty'), (r) => warrantyBadge(r)],
    ], units.data.next_cursor ? h('a', { href: `#/units?customer_id=${id}` }, t('ui.list.all')) : null),
  );
}
