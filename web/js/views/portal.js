// Customer portal (customer / dealer accounts): their units, their tickets
// (the ticket page shows only comments visible to them) and a new request.
import { h, clear, append } from '../dom.js';
import { api } from '../api.js';
import { t, fmtTime, currentLocale, fieldLabel } from '../i18n.js';
import { go, errorText, state } from '../app.js';
import { may, P } from '../policy.js';
import { accountTiles } from './account.js';
import { warrantyBadge, section, missingText } from './common.js';
import { tl, statusBadge } from './tk.js';
import { yuan } from './quote.js';
import { recommendationHistory } from './leads.js';

export async function portalView(main) {
  const [units, tickets, quotes, recs, account] = await Promise.all([
    api('GET', '/units', { query: { limit: 20, expand: 'all' } }),
    api('GET', '/tickets', { query: { limit: 20, sort: '-received_at' } }),
    api('GET', '/quotes').catch(() => ({ data: { items: [], total: 0 } })), // its count: total, as the other lists
    recommendationHistory({}), // issue 18 item 8: what was recommended to them
    // review 2026-12-07 #2 M4: what they owe, their credit, what they paid
    may(state.user, P.account) ? api('GET', '/account', { query: { limit: 1 } }).catch(() => null) : null,
  ]);
  if (!main.isCurrent()) return;
  // dom.js append: recs is null when the recommendations cannot be read (no text "null")
  append(main, [
    h('div', { class: 'page-head' }, h('h1', null, t('ui.portal.title')),
      h('div', { class: 'toolbar' }, h('a', { href: '#/portal/new', class: 'btn btn-primary', id: 'portal-new' }, t('ui.portal.new')))),
    section(t('ui.portal.tickets'), tickets.data, [
      [t('ui.tk.f.number'), (r) => h('a', { href: `#/tickets/${r.id}` }, r.number)],
      [t('ui.tk.f.status'), (r) => statusBadge(r.status)],
      [t('ui.tk.f.type'), (r) => tl('type', r.type)],
      [t('ui.tk.f.received_at'), (r) => fmtTime(r.received_at)],
      [t('ui.tk.f.description'), (r) => r.description],
    ]),
    // issue 13 item 5: the customer's own quotes, accepted or rejected on the ticket page
    section(t('quote.ui.portal'), quotes.data, [
      [t('quote.pub.number'), (r) => h('a', { href: `#/tickets/${r.ticket_id}`, class: 'portal-quote', 'data-quote': String(r.id) }, r.number)],
      [t('quote.pdf.status'), (r) => t(`quote.status.${r.status}`)],
      [t('quote.pdf.total'), (r) => `¥${yuan(r.total_fen)}`],
      [t('quote.pdf.valid_until'), (r) => r.valid_until],
    ]),
    account ? h('section', { class: 'card', id: 'portal-account', 'aria-labelledby': 'portal-account-h' },
      h('h2', { id: 'portal-account-h' }, t('account.summary')), accountTiles(account.data),
      h('a', { href: '#/account', class: 'btn', id: 'portal-account-more' }, t('account.more'))) : null,
    recs,
    section(t('ui.portal.units'), units.data, [
      [fieldLabel('unit', 'serial_no'), (r) => h('a', { href: `#/units/${r.id}` }, r.serial_no)],
      [t('ui.unit.model'), (r) => r.model_name || ''],
      [t('ui.unit.warranty'), (r) => warrantyBadge(r)],
      ['', (r) => h('a', { href: `#/portal/new?unit_id=${r.id}`, class: 'btn btn-quiet' }, t('ui.portal.report'))],
    ], units.data.next_cursor ? h('a', { href: '#/units' }, t('ui.list.all')) : null),
  ]);
}

export async function portalNewView(main) {
  const [units, cats] = await Promise.all([
    api('GET', '/units', { query: { limit: 500, expand: 'all' } }), // the model and site name each unit (review 71 #17)
    api('GET', '/fault-categories', { query: { active: 'true', limit: 100, sort: 'code' } }).catch(() => ({ data: { items: [] } })),
  ]);
  if (!main.isCurrent()) return;
  const want = main.params.get('unit_id');
  const F = {};
  const err = h('div', { id: 'form-error' });
  const fld = (name, label, control, required) => {
    control.id = `pf-${name}`; control.name = name; F[name] = control;
    return h('div', { class: 'field', 'data-field': name === 'description' ? 'notes' : name },
      h('label', { for: control.id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), control);
  };
  const form = h('form', { class: 'card form', novalidate: true, onsubmit: submit },
    err,
    h('div', { class: 'grid' },
      fld('unit_id', t('ui.tk.f.unit'), h('select', { required: true }, h('option', { value: '' }, t('ui.form.choose')),
        units.data.items.map((u) => h('option', { value: String(u.id), selected: String(u.id) === want },
          [u.serial_no, u.model_name, u.site_name].filter(Boolean).join(' · ')))), true),
      fld('type', t('ui.tk.f.type'), h('select', null, ['repair', 'installation', 'consultation', 'training', 'complaint'].map((v) => h('option', { value: v }, tl('type', v))))),
      fld('fault_category', t('ui.tk.f.fault_category'), h('select', null, h('option', { value: '' }, t('ui.form.none')),
        cats.data.items.map((c) => h('option', { value: c.code }, currentLocale() === 'en' && c.name_en ? c.name_en : c.name)))),
      fld('caller_name', t('ui.intake.caller_name'), h('input', { maxlength: '60', autocomplete: 'name' })),
      fld('caller_phone', t('ui.intake.caller_phone'), h('input', { type: 'tel', maxlength: '40', autocomplete: 'tel' })),
      fld('description', t('ui.tk.f.description'), h('textarea', { rows: '4', maxlength: '4000', required: true }), true)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('ui.portal.submit')),
      h('a', { href: '#/portal', class: 'btn btn-quiet' }, t('ui.cancel'))));
  main.append(h('h1', null, t('ui.portal.new')), form);

  async function submit(e) {
    e.preventDefault();
    clear(err);
    const missing = ['unit_id', 'description'].find((k) => !F[k].value.trim());
    if (missing) {
      err.append(h('p', { class: 'alert alert-error', role: 'alert' }, missingText(F[missing].labels[0].textContent.replace(/\s*\*$/, ''), F[missing])));
      F[missing].setAttribute('aria-invalid', 'true');
      F[missing].focus();
      return;
    }
    const body = { channel: 'portal', type: F.type.value, unit_id: Number(F.unit_id.value), description: F.description.value.trim() };
    for (const k of ['caller_name', 'caller_phone', 'fault_category']) if (F[k].value.trim()) body[k] = F[k].value.trim();
    try {
      const { data } = await api('POST', '/tickets', { body });
      go(`/tickets/${data.id}`);
    } catch (x) {
      if (x.status !== 401) err.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
    }
  }
}
