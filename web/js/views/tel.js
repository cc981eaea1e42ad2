// Telephone records (电话记录, F-12, R-038; issue 18 item 2; docs/telephone.md): an agent records
// an important call on a 390 px phone — direction, time, who, phone, the F-12 fields, linked
// to a customer, a dealer or a ticket — and forwards it to a superior with a due time; the
// superior replies on the record. The list shows the overdue forwards first when asked.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, enumLabel, fmtTime, fromCompanyInput, toCompanyInput } from '../i18n.js';
import { errorText, state } from '../app.js';
import { entityForm, fieldsOf } from './forms.js';
import { reasonText, detailList } from './common.js';

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const L = (c) => fieldLabel('phone_record', c);
const isOverdue = (r) => r.status === 'forwarded' && r.reply_due_at && r.reply_due_at < nowIso();
const badge = (cls, text) => h('span', { class: `badge ${cls}` }, text);
// a local date-time control's value as the API's UTC text, and back
// (in the company's time, i18n.js)
const toUtc = fromCompanyInput;
const toLocal = toCompanyInput;

function card(r) {
  return h('article', { class: `card tel-rec${isOverdue(r) ? ' appr-overdue' : ''}`, 'data-id': r.id },
    h('h2', null, h('a', { href: `#/phone-records/${r.id}` },
      enumLabel('direction', r.direction), ' · ', r.direction === 'in' ? (r.caller || r.phone) : (r.callee || r.phone)),
    ' ', badge(`badge-st tel-st-${r.status}`, enumLabel('status', r.status)),
    isOverdue(r) ? [' ', badge('badge-overdue', t('tel.overdue'))] : null),
    h('p', { class: 'hint' }, fmtTime(r.called_at), r.phone ? ` · ${r.phone}` : '',
      r.dealer_name ? ` · ${r.dealer_name}` : r.customer_name ? ` · ${r.customer_name}` : '',
      r.ticket_name ? ` · ${r.ticket_name}` : ''),
    h('p', null, r.content),
    r.key_matters ? h('p', { class: 'hint' }, `${L('key_matters')}: ${r.key_matters}`) : null);
}

export async function phoneRecordsView(main) {
  const show = main.params.get('show') || '';
  const query = { limit: 100, expand: 'all' };
  if (show === 'overdue') Object.assign(query, { overdue: 'true', sort: 'reply_due_at' });
  if (show === 'mine') query.forwarded = 'mine';
  const { data } = await api('GET', '/phone-records', { query });
  if (!main.isCurrent()) return;
  const tab = (v, key) => h('a', { href: `#/phone-records${v ? `?show=${v}` : ''}`, class: `btn ${show === v ? '' : 'btn-quiet'}`, 'aria-current': show === v ? 'page' : null }, t(key));
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('tel.title')),
    h('div', { class: 'toolbar' }, h('a', { href: '#/phone-records/new', class: 'btn btn-primary', id: 'new-call' }, t('tel.new')),
      tab('', 'tel.all'), tab('overdue', 'tel.overdue_only'), tab('mine', 'tel.mine'))),
  h('div', { id: 'tel-list' }, data.items.length ? data.items.map(card) : h('p', { class: 'empty' }, t('tel.empty'))));
}

const FORM = ['direction', 'called_at', 'caller', 'callee', 'phone', 'out_of_town_dealer', 'address',
  'content', 'key_matters', 'result',
  ['customer_id', { label: (r) => `${r.name} (${r.code})`, title: 'field.phone_record.customer_id', source: '/customers?type=company' }],
  ['dealer_id', { label: (r) => `${r.name} (${r.code})`, title: 'field.phone_record.dealer_id', source: '/customers?type=dealer' }],
  ['ticket_id', { label: (r) => r.number || `#${r.id}`, title: 'field.phone_record.ticket_id' }]];

// A date-time text field shown as a local picker (the form sends the UTC text it keeps).
function pickerFor(main, name, initial) {
  const field = main.querySelector(`[name="${name}"]`);
  if (!field) return;
  const pick = h('input', { type: 'datetime-local', id: `fld-${name}-pick`, 'aria-label': L(name) });
  pick.addEventListener('change', () => { field.value = toUtc(pick.value); });
  if (initial) { field.value = initial; pick.value = toLocal(initial); }
  field.type = 'hidden';
  field.after(pick);
}

export async function phoneRecordForm(main, id) {
  const fields = await fieldsOf('phone_record', FORM);
  await entityForm(main, { ent: 'phone_record', path: '/phone-records', fields, id,
    title: 'tel.new', back: '/phone-records' });
  if (!main.isCurrent()) return;
  pickerFor(main, 'called_at', id ? null : nowIso());
  const link = main.querySelector('[data-field="customer_id"]');
  if (link) link.before(h('p', { class: 'hint tel-link-hint' }, t('tel.link_hint')));
  const tk = main.params.get('ticket');
  const sel = main.querySelector('[name="ticket_id"]');
  if (tk && sel) { sel.append(h('option', { value: tk, selected: true }, `#${tk}`)); sel.value = tk; }
}

function message(out, ok, text) {
  clear(out).append(h('p', { class: ok ? 'alert alert-info' : 'alert alert-error', role: ok ? 'status' : 'alert' }, text));
}

async function forwardForm(r, done) {
  let sups = [];
  try { sups = (await api('GET', '/phone-records/superiors')).data.items; } catch { /* shown empty */ }
  const sid = nextId('sup'), did = nextId('due'), nid = nextId('note');
  const sel = h('select', { id: sid, name: 'superior_id', required: true },
    h('option', { value: '' }, t('ui.form.choose')), sups.map((s) => h('option', { value: String(s.id) }, s.name)));
  const due = h('input', { id: did, name: 'due_at', type: 'datetime-local', required: true });
  due.value = toLocal(new Date(Date.now() + 24 * 3600 * 1000).toISOString());
  const note = h('textarea', { id: nid, name: 'note', rows: '2', maxlength: '2000' });
  const out = h('div', { 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'tel-forward' }, t('tel.forward'));
  return h('form', { class: 'card form', id: 'tel-forward-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!sel.value) { sel.setAttribute('aria-invalid', 'true'); sel.focus(); return; }
    btn.disabled = true;
    try {
      const body = { superior_id: Number(sel.value), due_at: toUtc(due.value) };
      if (note.value.trim()) body.note = note.value.trim();
      await api('POST', `/phone-records/${r.id}/forward`, { body });
      done(t('tel.forward_ok'));
    } catch (x) {
      btn.disabled = false;
      if (x.status !== 401) message(out, false, reasonText(x) || errorText(x));
    }
  } }, h('h2', null, t('tel.forward')), out,
  h('div', { class: 'field' }, h('label', { for: sid }, t('tel.forward_to')), sel),
  h('div', { class: 'field' }, h('label', { for: did }, t('tel.forward_due')), due),
  h('div', { class: 'field' }, h('label', { for: nid }, t('tel.forward_note')), note),
  h('div', { class: 'actions' }, btn));
}

function replyForm(r, done) {
  const rid = nextId('rp');
  const reply = h('textarea', { id: rid, name: 'reply', rows: '3', maxlength: '4000', required: true });
  const out = h('div', { 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'tel-reply' }, t('tel.reply_send'));
  return h('form', { class: 'card form', id: 'tel-reply-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!reply.value.trim()) { reply.setAttribute('aria-invalid', 'true'); reply.focus(); return; }
    btn.disabled = true;
    try {
      await api('POST', `/phone-records/${r.id}/reply`, { body: { reply: reply.value.trim() } });
      done(t('tel.reply_ok'));
    } catch (x) {
      btn.disabled = false;
      if (x.status !== 401) message(out, false, reasonText(x) || errorText(x));
    }
  } }, h('h2', null, t('tel.reply')), out,
  h('div', { class: 'field' }, h('label', { for: rid }, t('tel.reply')), reply), h('div', { class: 'actions' }, btn));
}

export async function phoneRecordView(main, id, flash) {
  const { data: r } = await api('GET', `/phone-records/${id}`, { query: { expand: 'all' } });
  if (!main.isCurrent()) return;
  const again = (msg) => { clear(main); phoneRecordView(main, id, msg); };
  const me = state.user;
  const mayReply = r.status === 'forwarded' && (r.forwarded_to === me.id || me.roles.includes('admin'));
  main.append(h('div', { class: 'page-head' },
    h('h1', null, t('tel.title'), ' #', String(r.id), ' ', badge(`badge-st tel-st-${r.status}`, enumLabel('status', r.status)),
      isOverdue(r) ? [' ', badge('badge-overdue', t('tel.overdue'))] : null),
    h('div', { class: 'toolbar' }, h('a', { href: '#/phone-records', class: 'btn btn-quiet' }, t('tel.all')),
      h('a', { href: `#/phone-records/${r.id}/edit`, class: 'btn btn-quiet' }, t('ui.edit')))),
  flash ? h('p', { class: 'alert alert-info', role: 'status', id: 'tel-flash' }, flash) : null,
  h('section', { class: 'card' }, detailList([
    [L('direction'), enumLabel('direction', r.direction)], [L('called_at'), fmtTime(r.called_at)],
    [L('caller'), r.caller], [L('callee'), r.callee], [L('phone'), r.phone ? h('a', { href: `tel:${r.phone}` }, r.phone) : ''],
    [L('address'), r.address], [L('out_of_town_dealer'), r.out_of_town_dealer ? '✓' : ''],
    [L('content'), r.content], [L('key_matters'), r.key_matters], [L('result'), r.result],
    [L('customer_id'), r.customer_id ? h('a', { href: `#/customers/${r.customer_id}` }, r.customer_name || `#${r.customer_id}`) : ''],
    [L('dealer_id'), r.dealer_id ? h('a', { href: `#/customers/${r.dealer_id}` }, r.dealer_name || `#${r.dealer_id}`) : ''],
    [L('ticket_id'), r.ticket_id ? h('a', { href: `#/tickets/${r.ticket_id}` }, r.ticket_name || `#${r.ticket_id}`) : ''],
    [L('recorded_by'), r.recorded_by_name],
    [L('forwarded_to'), r.forwarded_to_name], [L('reply_due_at'), r.reply_due_at ? fmtTime(r.reply_due_at) : ''],
    [L('forward_note'), r.forward_note], [L('reply'), r.reply], [L('replied_by'), r.replied_by_name],
    [L('replied_at'), r.replied_at ? fmtTime(r.replied_at) : '']])));
  if (r.status === 'recorded') main.append(await forwardForm(r, again));
  if (mayReply) main.append(replyForm(r, again));
}

export const phoneRecordEdit = (main, id) => phoneRecordForm(main, id);
