// A printable sheet of unit labels: model, serial number and a QR code (an SVG
// made by the server) linking to the customer's fault-report page /r/<serial>.
import { h, append } from '../dom.js';
import { api } from '../api.js';
import { t, fmtNumber } from '../i18n.js';

const SHEET = 60; // labels per sheet
const FILTERS = ['q', 'status', 'warranty_basis', 'customer_id', 'model_id'];

export async function labelsView(main) {
  const p = main.params;
  let units = [], total = 0;
  const ids = (p.get('ids') || '').split(',').filter((s) => /^\d+$/.test(s)).slice(0, SHEET);
  if (ids.length) {
    units = (await Promise.all(ids.map((id) => api('GET', `/units/${id}`, { query: { expand: 'all' } })))).map((r) => r.data);
    total = units.length;
  } else {
    const query = { limit: SHEET, expand: 'all', sort: 'serial_no', cursor: p.get('cursor') || '' };
    for (const k of FILTERS) if (p.get(k)) query[k] = p.get(k);
    const { data } = await api('GET', '/units', { query });
    units = data.items;
    total = data.total;
  }
  if (!main.isCurrent()) return;
  const origin = location.origin;
  append(main, [
    h('div', { class: 'page-head no-print' },
      h('h1', null, t('ui.labels.title')),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => window.print(), disabled: units.length === 0 }, t('ui.labels.print')),
        h('a', { href: '#/units', class: 'btn btn-quiet' }, t('ui.labels.choose')))),
    h('p', { class: 'no-print list-status', role: 'status' },
      t('ui.labels.count', { n: fmtNumber(units.length), total: fmtNumber(total) })),
    units.length === 0 ? h('p', { class: 'empty' }, t('ui.list.empty')) : null,
    h('ul', { class: 'label-sheet', 'aria-label': t('ui.labels.sheet') }, units.map((u) => h('li', { class: 'label' },
      h('img', { class: 'qr', src: `/api/v1/units/${u.id}/qr.svg`, width: '96', height: '96', alt: t('ui.labels.qr_alt', { serial: u.serial_no }) }),
      h('div', { class: 'label-text' },
        h('div', { class: 'label-model' }, u.model_name || ''),
        h('div', { class: 'label-serial' }, h('span', { class: 'label-k' }, t('ui.labels.sn')), ' ', u.serial_no),
        h('div', { class: 'label-hint' }, t('ui.labels.scan')),
        h('div', { class: 'label-url' }, `${origin}/r/${encodeURIComponent(u.serial_no)}`)))))]);
}
