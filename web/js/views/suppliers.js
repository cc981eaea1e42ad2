// Outside makers and their after-sales commitments, and the supplier cases purchasing
// follows with them (WF-09 S3a, R-068; issue 18 item 5): the open cases first, each with its
// next step (sent to the supplier, the supplier's answer, close) and, once answered, the hours
// it took against the commitment (met / late).
import { h, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, enumLabel, fmtTime } from '../i18n.js';
import { errorText, render } from '../app.js';
import { entityForm, fieldsOf } from './forms.js';
import { reasonText } from './common.js';

const NEXT = { to_purchasing: 'send', sent_to_supplier: 'answer', answered: 'close' };
const L = (c) => fieldLabel('supplier_case', c);

function caseCard(c) {
  const action = NEXT[c.state];
  const out = h('p', { role: 'status', class: 'hint' });
  const aid = nextId('ans');
  const answer = action === 'answer' ? h('textarea', { id: aid, name: 'answer', rows: '2', maxlength: '4000' }) : null;
  const btn = action ? h('button', { type: 'button', class: 'btn btn-primary', 'data-sc-action': action, onclick: async () => {
    btn.disabled = true;
    try {
      const body = { action };
      if (answer) body.answer = answer.value.trim();
      await api('POST', `/supplier-cases/${c.id}/actions`, { body });
      render();
    } catch (x) {
      btn.disabled = false;
      if (x.status !== 401) out.textContent = reasonText(x) || errorText(x);
    }
  } }, t(`sup.action.${action}`)) : null;
  return h('article', { class: 'card sup-case', 'data-id': c.id, 'data-state': c.state },
    h('h3', null, `#${c.id} `, c.supplier_name || '', ' ', h('span', { class: 'badge badge-st' }, enumLabel('state', c.state)),
      c.outcome ? [' ', h('span', { class: `badge ${c.outcome === 'late' ? 'badge-overdue' : 'badge-ok'}` }, enumLabel('outcome', c.outcome))] : null),
    h('p', null, c.problem),
    h('p', { class: 'hint' }, [c.part_name || c.model_name, c.ticket_name, fmtTime(c.created_at)].filter(Boolean).join(' · ')),
    c.answer ? h('p', null, `${L('answer')}: ${c.answer}`) : null,
    c.hours_taken !== null && c.hours_taken !== undefined ? h('p', { class: 'hint' }, t('sup.took', { n: c.hours_taken, c: c.response_hours })) : null,
    answer ? h('div', { class: 'field' }, h('label', { for: aid }, t('sup.answer')), answer) : null,
    btn ? h('div', { class: 'actions' }, btn) : null, out);
}

export async function suppliersView(main) {
  const [cases, sups, coms] = await Promise.all([
    api('GET', '/supplier-cases', { query: { open: 'true', limit: 100, expand: 'all' } }),
    api('GET', '/suppliers', { query: { limit: 200 } }),
    api('GET', '/supplier-commitments', { query: { limit: 200, expand: 'all' } }),
  ]);
  if (!main.isCurrent()) return;
  const bySup = new Map();
  for (const c of coms.data.items) (bySup.get(c.supplier_id) || bySup.set(c.supplier_id, []).get(c.supplier_id)).push(c);
  const F = (c) => fieldLabel('supplier_commitment', c);
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('sup.title')),
    h('div', { class: 'toolbar' }, h('a', { href: '#/suppliers/new', class: 'btn btn-primary', id: 'new-supplier' }, t('sup.new')),
      h('a', { href: '#/supplier-commitments/new', class: 'btn', id: 'new-commitment' }, t('sup.new_commitment')))),
  h('h2', null, t('sup.cases')),
  h('div', { id: 'sup-cases' }, cases.data.items.length ? cases.data.items.map(caseCard) : h('p', { class: 'empty' }, t('sup.empty'))),
  h('h2', null, t('sup.commitments')),
  h('div', { id: 'sup-list' }, sups.data.items.length ? sups.data.items.map((s) => h('section', { class: 'card', 'data-id': s.id },
    h('h3', null, s.name, s.active ? '' : ' ✕'),
    h('p', { class: 'hint' }, [s.contact, s.phone, s.address].filter(Boolean).join(' · ')),
    h('ul', { class: 'mini' }, (bySup.get(s.id) || []).map((c) => h('li', null,
      `${c.part_name || c.model_name || ''} · ${F('response_hours')}: ${t('sup.hours', { n: c.response_hours })} · ${c.valid_from} – ${c.valid_to || ''}`,
      c.contacts ? ` · ${c.contacts}` : '', c.terms ? h('div', { class: 'hint' }, c.terms) : null))))) : h('p', { class: 'empty' }, t('sup.empty'))));
}

export async function supplierForm(main) {
  await entityForm(main, { ent: 'supplier', path: '/suppliers', fields: await fieldsOf('supplier', ['name', 'contact', 'phone', 'email', 'address', 'active', 'notes']),
    title: 'sup.new', back: '/suppliers' });
}

export async function commitmentForm(main) {
  const fields = await fieldsOf('supplier_commitment', [
    ['supplier_id', { title: 'field.supplier_commitment.supplier_id' }],
    ['model_id', { label: (r) => `${r.code} ${r.name}`, title: 'field.supplier_commitment.model_id' }],
    ['part_id', { label: (r) => `${r.code} ${r.name}`, title: 'field.supplier_commitment.part_id' }],
    'response_hours', 'contacts', 'terms', 'valid_from', 'valid_to']);
  await entityForm(main, { ent: 'supplier_commitment', path: '/supplier-commitments', fields, title: 'sup.new_commitment', back: '/suppliers' });
}

