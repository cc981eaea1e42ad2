// Call intake (来电登记): one screen. Typing a phone or serial number looks up
// units, customers and contacts as you type (debounced); the chosen
// customer/unit shows its warranty, open tickets and recent history; the call
// is registered as a ticket, or as a consultation answered and closed at once.
import { h, clear, append, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fmtTime, currentLocale, fromCompanyInput } from '../i18n.js';
import { errorText, state } from '../app.js';
import { warrantyBadge, warrantyStatus } from './common.js';
import { warrantyBasisText } from './units.js';
import { ticketTypes, ticketPriorities, tl, statusBadge } from './tk.js';
import { P, may } from '../policy.js';

const DEBOUNCE = 250;
const LATE = new Set(['letter', 'fax', 'email']);
const UNITS_MAX = 100;
const isoOf = (v) => fromCompanyInput(v) || null; // typed in company time
let faultCats = null;

function looksLikePhone(s) { return /^[+\d][\d\s\-()]{4,}$/.test(s); }

export async function intakeView(main) {
  if (!faultCats) faultCats = api('GET', '/fault-categories', { query: { active: 'true', limit: 100, sort: 'code' } }).then((r) => r.data.items).catch(() => []);
  const sel = { customer: null, unit: null };
  const qid = 'intake-q';
  const q = h('input', { id: qid, type: 'search', autocomplete: 'off', maxlength: '60', inputmode: 'search', 'aria-describedby': `${qid}-hint`, 'aria-controls': 'intake-results' });
  const results = h('div', { id: 'intake-results', class: 'intake-results', 'aria-live': 'polite' });
  const context = h('div', { id: 'intake-context' });
  const msg = h('div', { id: 'intake-msg' });

  // the form
  const F = {};
  const fld = (name, label, control, extra) => {
    control.id = `in-${name}`;
    control.name = name;
    F[name] = control;
    return h('div', { class: 'field', 'data-field': extra || name }, h('label', { for: control.id }, label), control);
  };
  const cats = await faultCats;
  if (!main.isCurrent()) return;
  const newCust = h('div', { class: 'grid', id: 'intake-newcust', hidden: true },
    fld('customer_name', t('ui.intake.customer_name'), h('input', { maxlength: '100' })),
    fld('customer_address', t('ui.intake.customer_address'), h('input', { maxlength: '200' }), 'address'));
  // the customer's units, once a customer is known without a unit: the warranty needs one
  const unitSel = h('select', { id: 'in-unit', name: 'unit_id', onchange: () => pickUnit(unitSel.value) });
  const unitHint = h('small', { class: 'hint', id: 'in-unit-hint' });
  const unitBox = h('div', { class: 'field', id: 'intake-unit-pick', hidden: true, 'data-field': 'address' },
    h('label', { for: 'in-unit' }, t('ui.intake.unit_pick')), unitSel, unitHint);
  let custUnits = [];
  // letters, faxes and e-mails arrive before they are registered
  const recvBox = h('div', { class: 'field', id: 'intake-received', hidden: true },
    h('label', { for: 'in-received_at' }, t('ui.intake.received_at')),
    h('input', { id: 'in-received_at', name: 'received_at', type: 'datetime-local', 'aria-describedby': 'in-received-hint' }),
    h('small', { class: 'hint', id: 'in-received-hint' }, t('ui.intake.received_hint')));
  const answerBox = h('div', { id: 'intake-answer', hidden: true },
    fld('answer', t('ui.intake.answer'), h('textarea', { rows: '3', maxlength: '4000' }), 'notes'));
  const form = h('form', { class: 'card form', id: 'intake-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(false); } },
    h('h2', null, t('ui.intake.call')),
    h('div', { class: 'grid' },
      fld('caller_name', t('ui.intake.caller_name'), h('input', { maxlength: '60', autocomplete: 'off' })),
      fld('caller_phone', t('ui.intake.caller_phone'), h('input', { type: 'tel', maxlength: '40', autocomplete: 'off' })),
      fld('type', t('ui.tk.f.type'), h('select', { onchange: () => { answerBox.hidden = F.type.value !== 'consultation'; } }, ticketTypes().map((v) => h('option', { value: v, selected: v === 'repair' }, tl('type', v))))),
      fld('fault_category', t('ui.tk.f.fault_category'), h('select', null, h('option', { value: '' }, t('ui.form.none')),
        cats.map((c) => h('option', { value: c.code }, currentLocale() === 'en' && c.name_en ? c.name_en : c.name)))),
      fld('priority', t('ui.tk.f.priority'), h('select', null, ticketPriorities().map((v) => h('option', { value: v, selected: v === 'normal' }, tl('priority', v))))),
      fld('channel', t('ui.tk.f.channel'), h('select', { onchange: () => { recvBox.hidden = !LATE.has(F.channel.value); } }, ['phone', 'letter', 'fax', 'email', 'walk_in'].map((v) => h('option', { value: v }, tl('channel', v))))),
      unitBox,
      fld('description', t('ui.tk.f.description'), h('textarea', { rows: '3', maxlength: '4000' }), 'notes'),
      recvBox,
      fld('required_arrival_at', t('ui.tk.f.required_arrival_at'), h('input', { type: 'datetime-local' }))),
    newCust, answerBox,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'intake-submit' }, t('ui.intake.register')),
      h('button', { type: 'button', class: 'btn', id: 'intake-close', onclick: () => submit(true) }, t('ui.intake.register_close')),
      h('button', { type: 'button', class: 'btn btn-quiet', id: 'intake-reset', onclick: reset }, t('ui.intake.next_call'))));

  const kbSlot = may(state.user, P.kbRead) ? h('div', { id: 'kb-slot' }) : null;
  main.append(
    h('h1', null, t('ui.intake.title')),
    msg,
    h('div', { class: 'intake' },
      h('div', { class: 'intake-left' },
        h('div', { class: 'card', role: 'search' },
          h('label', { for: qid }, t('ui.intake.lookup')), q,
          h('small', { id: `${qid}-hint`, class: 'hint' }, t('ui.intake.lookup_hint')),
          results),
        form),
      h('div', { class: 'intake-right' }, context, kbSlot)));

  // knowledge suggestions (issue 18 item 4): loaded after the page, debounced while the
  // description is typed; the form never waits for them
  let kbTimer = null, kb = null;
  const kbAsk = () => kb && kb.update(F.description.value, sel.unit?.model_id);
  if (kbSlot) {
    import('./kb_suggest.js').then((m) => { if (!main.isCurrent()) return; kb = m.kbSuggestPanel(); kbSlot.append(kb.card); kbAsk(); }).catch(() => {});
    F.description.addEventListener('input', () => { clearTimeout(kbTimer); kbTimer = setTimeout(kbAsk, 400); });
  }

  // ---- lookup as you type ----
  let timer = null, seqNo = 0;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(lookup, DEBOUNCE); });
  q.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); lookup(); }
  });

  async function lookup() {
    const s = q.value.trim();
    const my = ++seqNo;
    if (s.length < 2) { clear(results); return; }
    const phone = looksLikePhone(s);
    const [units, custs, contacts] = await Promise.all([
      phone ? { items: [] } : api('GET', '/units', { query: { q: s, limit: 5, expand: 'all' } }).then((r) => r.data).catch(() => ({ items: [] })),
      api('GET', '/customers', { query: { q: s, limit: 5 } }).then((r) => r.data).catch(() => ({ items: [] })),
      phone ? api('GET', '/contacts', { query: { phone: s.replace(/\s/g, ''), limit: 5, expand: 'customer_id' } }).then((r) => r.data).catch(() => ({ items: [] })) : { items: [] },
    ]);
    if (my !== seqNo || !main.isCurrent()) return;
    if (phone && !F.caller_phone.value) F.caller_phone.value = s;
    clear(results);
    const exact = units.items.filter((u) => u.serial_no.toLowerCase() === s.toLowerCase());
    const cands = [
      ...units.items.map((u) => ({ kind: 'unit', u, label: [u.serial_no, u.model_name, u.customer_name].filter(Boolean).join(' · ') })),
      ...custs.items.map((c) => ({ kind: 'customer', c, label: [c.name, c.phone].filter(Boolean).join(' · ') })),
      ...contacts.items.map((c) => ({ kind: 'contact', c, label: t('ui.intake.contact_of', { name: c.name, customer: c.customer_name || `#${c.customer_id}` }) })),
    ];
    if (!cands.length) {
      results.append(h('p', { class: 'empty', id: 'intake-none' }, t('ui.intake.none')));
      newCust.hidden = false;
      return;
    }
    results.append(h('ul', { class: 'picks' }, cands.map((c) => h('li', null,
      h('button', { type: 'button', class: 'pick', 'data-kind': c.kind, onclick: () => choose(c) }, h('span', { class: 'pick-kind' }, t(`ui.intake.kind_${c.kind}`)), ' ', c.label, c.kind === 'unit' ? warrantyBadge(c.u) : null)))));
    // one exact serial, or a single customer by phone: taken without a click
    if (exact.length === 1) choose({ kind: 'unit', u: exact[0] });
    else if (cands.length === 1 && cands[0].kind !== 'unit') choose(cands[0]);
  }

  async function choose(c) {
    newCust.hidden = true;
    if (c.kind === 'unit') {
      sel.unit = c.u;
      sel.customer = c.u.customer_id ? { id: c.u.customer_id, name: c.u.customer_name } : null;
    } else if (c.kind === 'customer') {
      sel.unit = null; sel.customer = c.c;
    } else {
      sel.unit = null; sel.customer = { id: c.c.customer_id, name: null };
      if (!F.caller_name.value) F.caller_name.value = c.c.name;
      if (!F.caller_phone.value) F.caller_phone.value = c.c.phone;
    }
    for (const b of results.querySelectorAll('button.pick')) b.setAttribute('aria-pressed', String(b.textContent.includes(c.u?.serial_no ?? c.c?.name ?? '\u0000')));
    await Promise.all([showContext(), loadUnits()]);
  }

  async function loadUnits() {
    const cu = sel.customer;
    clear(unitSel);
    custUnits = [];
    if (!cu) { unitBox.hidden = true; return; }
    const my = seqNo;
    const r = await api('GET', `/customers/${cu.id}/units`, { query: { limit: UNITS_MAX, expand: 'all', sort: 'serial_no' } }).then((x) => x.data).catch(() => null);
    if (!r || !main.isCurrent() || my !== seqNo) return;
    custUnits = r.items;
    append(unitSel, [h('option', { value: '' }, t('ui.intake.unit_none')),
      custUnits.map((u) => h('option', { value: String(u.id), selected: sel.unit?.id === u.id },
        [u.serial_no, u.model_name, t(`ui.warranty.${warrantyStatus(u)}`)].filter(Boolean).join(' · ')))]);
    unitHint.textContent = r.total > custUnits.length ? t('ui.intake.unit_more', { n: custUnits.length }) : t('ui.intake.unit_hint', { n: r.total });
    unitBox.hidden = custUnits.length === 0;
  }

  async function pickUnit(v) {
    sel.unit = custUnits.find((u) => String(u.id) === v) || null;
    kbAsk();
    await showContext();
  }

  async function showContext() {
    const my = ++seqNo;
    const u = sel.unit, cu = sel.customer;
    const [cust, open, recent] = await Promise.all([
      cu && !cu.name ? api('GET', `/customers/${cu.id}`).then((r) => r.data).catch(() => cu) : cu,
      cu ? api('GET', '/tickets', { query: { customer_id: cu.id, queue: 'open', limit: 5 } }).then((r) => r.data).catch(() => null) : null,
      u ? api('GET', '/tickets', { query: { unit_id: u.id, limit: 5, sort: '-received_at' } }).then((r) => r.data).catch(() => null)
        : cu ? api('GET', '/tickets', { query: { customer_id: cu.id, limit: 5, sort: '-received_at' } }).then((r) => r.data).catch(() => null) : null,
    ]);
    if (my !== seqNo || !main.isCurrent()) return;
    sel.customer = cust;
    const ticketList = (data, id) => (!data || data.items.length === 0 ? h('p', { class: 'empty' }, t('ui.list.empty'))
      : h('ul', { class: 'mini', id }, data.items.map((r) => h('li', null,
        h('a', { href: `#/tickets/${r.id}` }, r.number), ' ', statusBadge(r.status), ' ', tl('type', r.type), ' · ',
        h('span', { class: 'muted' }, fmtTime(r.received_at)), r.description ? h('div', { class: 'muted clip' }, r.description) : null))));
    clear(context).append(
      h('section', { class: 'card', 'aria-labelledby': 'ic-c', id: 'intake-who' },
        h('h2', { id: 'ic-c' }, t('ui.intake.selected')),
        cust ? h('p', null, h('strong', null, t('ui.tk.f.customer'), ': '), h('a', { href: `#/customers/${cust.id}`, id: 'intake-customer' }, cust.name || `#${cust.id}`),
          cust.phone ? ` · ${cust.phone}` : '') : h('p', { class: 'muted' }, t('ui.intake.no_customer')),
        u ? [h('p', null, h('strong', null, t('ui.tk.f.unit'), ': '), h('a', { href: `#/units/${u.id}`, id: 'intake-unit' }, u.serial_no), ` · ${u.model_name || ''}`),
          h('p', { id: 'intake-warranty', class: 'warranty-line' }, warrantyBadge(u), ' ', warrantyBasisText(u))] : null),
      h('section', { class: 'card', 'aria-labelledby': 'ic-o' },
        h('h2', { id: 'ic-o' }, t('ui.intake.open_tickets'), open ? h('span', { class: 'count' }, ' ', t('ui.list.count', { n: open.total })) : null),
        ticketList(open, 'intake-open')),
      h('section', { class: 'card', 'aria-labelledby': 'ic-h' },
        h('h2', { id: 'ic-h' }, u ? t('ui.intake.unit_history') : t('ui.intake.customer_history')),
        ticketList(recent, 'intake-recent')));
  }

  async function submit(close) {
    clear(msg);
    const body = { channel: F.channel.value, type: close ? 'consultation' : F.type.value, priority: F.priority.value };
    if (sel.unit) body.unit_id = sel.unit.id;
    else if (sel.customer) body.customer_id = sel.customer.id;
    else if (!looksLikePhone(q.value.trim()) && q.value.trim()) body.serial_no = q.value.trim();
    for (const k of ['caller_name', 'caller_phone', 'description', 'fault_category']) if (F[k].value.trim()) body[k] = F[k].value.trim();
    if (F.required_arrival_at.value) body.required_arrival_at = isoOf(F.required_arrival_at.value);
    const recv = main.querySelector('#in-received_at');
    if (LATE.has(body.channel) && recv.value) body.received_at = isoOf(recv.value);
    if (!body.unit_id && !body.customer_id && F.customer_name.value.trim()) {
      delete body.serial_no;
      body.customer_name = F.customer_name.value.trim();
      body.customer_address = F.customer_address.value.trim();
    }
    if (!body.unit_id && !body.customer_id && !body.serial_no && !body.customer_name) {
      // nobody to register it for: say so in words, and show where to fix it
      newCust.hidden = false;
      msg.append(h('p', { class: 'alert alert-error', role: 'alert', id: 'intake-need' }, t('ui.intake.need_who')));
      q.focus();
      return;
    }
    if (close) {
      answerBox.hidden = false;
      F.type.value = 'consultation';
      if (!F.answer.value.trim()) {
        msg.append(h('p', { class: 'alert alert-error', role: 'alert' }, t('ui.intake.need_answer')));
        F.answer.focus();
        return;
      }
      body.answer = F.answer.value.trim();
      body.close = true;
    }
    try {
      const { data } = await api('POST', '/tickets', { body });
      msg.append(h('p', { class: 'alert alert-info', role: 'status', id: 'intake-done' },
        t(close ? 'ui.intake.closed' : 'ui.intake.registered', { number: '' }),
        h('a', { href: `#/tickets/${data.id}`, id: 'intake-number' }, data.number)));
      reset(true);
    } catch (e) {
      if (e.status === 401) return;
      // the field by its label, never by its API name
      const c = e.field && (F[e.field] || main.querySelector(`[name="${e.field}"]`));
      if (c) {
        if (e.field.startsWith('customer_')) newCust.hidden = false;
        c.setAttribute('aria-invalid', 'true');
        c.focus();
      }
      const label = c?.labels?.[0]?.textContent;
      msg.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e), label ? ` ${t('ui.form.fix', { field: label })}` : ''));
    }
  }

  function reset(keepMsg) {
    if (keepMsg !== true) clear(msg);
    sel.unit = null; sel.customer = null;
    form.reset();
    F.priority.value = 'normal';
    answerBox.hidden = true; newCust.hidden = true; unitBox.hidden = true; recvBox.hidden = true;
    clear(unitSel); custUnits = [];
    for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
    q.value = '';
    clear(results); clear(context);
    q.focus();
  }
  q.focus();
  void nextId;
}
