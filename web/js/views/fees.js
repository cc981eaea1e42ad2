// Fees (issue 13 items 1, 3, 4, 7): the fee calculator (every line with its rule and the
// numbers that produced it), secondments (人员借调, F-17) and waiting on site (待工): lists
// and forms built from the server's declarations, each record with its fee lines.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, has, fieldLabel, enumLabel, fmtDate, fmtMoney, today } from '../i18n.js';
import { state, errorText } from '../app.js';
import { P, may } from '../policy.js';
import { columnMeta } from '../meta.js';
import { listView } from './list.js';
import { entityForm, fieldsOf } from './forms.js';
import { reasonText, yuanToFen, fenToYuan } from './common.js';
import { woOpen } from './wo.js';


const yuan = (fen) => fmtMoney(fen);

// The keys a text input takes: the rows of the series table that reads it.
function choicesOf(def, input) {
  const c = def.components.find((x) => x.kind === 'series_rate' && x.key === input);
  return c ? c.rows.map((r) => r.key) : null;
}

function pieceRows(def, input) {
  const c = def.components.find((x) => x.kind === 'piece_rate' && x.pieces === input);
  return c ? c.rows : [];
}

// One form control per declared input of the rule set (ids prefix-<input>: the quote
// editor's fee lines give each line its own prefix).
export function inputControl(def, inp, prefix = 'fee-in') {
  const id = `${prefix}-${inp.name}`;
  const label = inp.label || inp.name;
  let control, hint = null;
  switch (inp.type) {
    case 'bool': {
      control = h('input', { id, name: inp.name, type: 'checkbox', 'aria-describedby': `${id}-err` });
      const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
      return { inp, control, err, node: h('div', { class: 'field field-check', 'data-input': inp.name }, control, h('label', { for: id }, label), err) };
    }
    case 'text': {
      const choices = choicesOf(def, inp.name);
      control = choices
        ? h('select', { id, name: inp.name }, h('option', { value: '' }, t('ui.form.choose')), choices.map((v) => h('option', { value: v }, v)))
        : h('input', { id, name: inp.name, type: 'text', maxlength: '80' });
      break;
    }
    case 'pieces':
      control = h('textarea', { id, name: inp.name, rows: '3' });
      hint = `${t('fee.calc.pieces_hint')} (${pieceRows(def, inp.name).map((r) => r.key).join(', ')})`;
      break;
    case 'money':
      control = h('input', { id, name: inp.name, type: 'text', inputmode: 'decimal' });
      hint = t('fee.calc.yuan_hint');
      break;
    case 'days':
      control = h('input', { id, name: inp.name, type: 'text', inputmode: 'decimal' });
      hint = t('fee.calc.days_hint');
      break;
    default:
      control = h('input', { id, name: inp.name, type: 'number', min: '0', step: '1' });
  }
  const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
  control.setAttribute('aria-describedby', [hint ? `${id}-hint` : null, `${id}-err`].filter(Boolean).join(' '));
  const node = h('div', { class: 'field', 'data-input': inp.name },
    h('label', { for: id }, label, inp.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control, hint ? h('small', { class: 'hint', id: `${id}-hint` }, hint) : null, err);
  return { inp, control, node, err };
}

// The controls of every declared input of a rule set's definition.
export function inputControls(def, prefix) {
  return (def.inputs || []).map((inp) => inputControl(def, inp, prefix));
}

// Puts a request's inputs object back into the controls (inputValues' inverse).
export function setInputValues(ctrls, inputs) {
  for (const { inp, control } of ctrls) {
    const v = inputs?.[inp.name];
    if (v === undefined || v === null) continue;
    if (inp.type === 'bool') control.checked = Boolean(v);
    else if (inp.type === 'money') control.value = fenToYuan(v);
    else if (inp.type === 'pieces') control.value = Object.entries(v).map(([k, n]) => `${k}=${n}`).join('\n');
    else control.value = String(v);
  }
}

// The inputs object of the request; throws {field} for a money value that is not a number.
export function inputValues(ctrls) {
  const out = {};
  for (const { inp, control } of ctrls) {
    if (inp.type === 'bool') { out[inp.name] = control.checked; continue; }
    const s = control.value.trim();
    if (s === '') continue;
    if (inp.type === 'money') {
      const fen = yuanToFen(s);
      if (fen === null) throw Object.assign(new Error('money'), { field: `inputs.${inp.name}`, reason: 'invalid_format', params: { format: 'decimal' } });
      out[inp.name] = fen;
    } else if (inp.type === 'count') out[inp.name] = Number(s);
    else if (inp.type === 'pieces') {
      const p = {};
      for (const line of s.split(/\n/)) {
        const m = /^\s*(.+?)\s*[=:：]\s*(\d+)\s*$/.exec(line);
        if (m) p[m[1]] = Number(m[2]);
      }
      out[inp.name] = p;
    } else out[inp.name] = s;
  }
  return out;
}

const kindLabel = (k) => (has(`fee.kind.${k}`) ? t(`fee.kind.${k}`) : k);
const payerLabel = (p) => (p && has(`fee.payer.${p}`) ? t(`fee.payer.${p}`) : p || '');

// The lines of a calculation: rule, kind, formula, payer, amount; the total.
export function feeLinesTable(calc, id = 'fee-lines') {
  const rows = calc.lines.map((l) => h('tr', { 'data-code': l.code, class: l.applied ? null : 'muted', 'data-applied': String(l.applied) },
    h('th', { scope: 'row', 'data-label': t('fee.calc.col.rule') }, l.label || l.code, l.key ? ` · ${l.key}` : ''),
    h('td', { 'data-label': t('fee.calc.col.kind') }, kindLabel(l.kind)),
    h('td', { 'data-label': t('fee.calc.col.formula'), class: 'formula' }, h('code', null, l.formula),
      l.note ? h('div', { class: 'hint', 'data-note': l.note }, has(`fee.note.${l.note}`) ? t(`fee.note.${l.note}`) : l.note) : null),
    h('td', { 'data-label': t('fee.calc.col.payer') }, payerLabel(l.payer)),
    h('td', { 'data-label': t('fee.calc.col.amount'), class: 'num' },
      l.info ? '' : l.applied ? yuan(l.amount_fen) : t('fee.calc.not_billed'))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list', id },
    h('caption', null, t('fee.calc.version', { n: calc.version.number, from: fmtDate(calc.version.effective_from) })),
    h('thead', null, h('tr', null, ['fee.calc.col.rule', 'fee.calc.col.kind', 'fee.calc.col.formula', 'fee.calc.col.payer', 'fee.calc.col.amount']
      .map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, rows),
    h('tfoot', null, h('tr', null, h('th', { scope: 'row', colspan: '4' }, t('fee.calc.total')),
      h('td', { class: 'num', id: `${id}-total` }, yuan(calc.total_fen))))));
}

export async function feeCalculatorView(main) {
  const { data } = await api('GET', '/fee-rule-sets');
  if (!main.isCurrent()) return;
  const sets = data.items.filter((s) => s.active && s.current);
  const wanted = main.params.get('set');
  const sid = nextId('set');
  const sel = h('select', { id: sid, name: 'rule_set' },
    sets.map((s) => h('option', { value: s.code, selected: s.code === wanted }, s.name)));
  const did = nextId('on');
  const on = h('input', { id: did, name: 'on', type: 'date', value: today() });
  const desc = h('p', { class: 'hint', id: 'fee-set-desc' });
  const inputsBox = h('div', { class: 'grid', id: 'fee-inputs' });
  const msg = h('div', { role: 'status', 'aria-live': 'polite', id: 'fee-msg' });
  const result = h('section', { class: 'card', id: 'fee-result', 'aria-labelledby': 'fee-result-t', hidden: true });
  let ctrls = [];
  const pick = () => {
    const s = sets.find((x) => x.code === sel.value);
    desc.textContent = s ? s.description : '';
    ctrls = s ? inputControls(s.current.definition) : [];
    clear(inputsBox).append(...ctrls.map((c) => c.node));
    result.hidden = true;
    clear(msg);
  };
  sel.addEventListener('change', pick);
  const btn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'fee-run' }, t('fee.calc.run'));
  const form = h('form', { class: 'card form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clear(msg);
    for (const c of ctrls) { c.err.hidden = true; c.control.removeAttribute('aria-invalid'); }
    btn.disabled = true;
    try {
      const body = { rule_set: sel.value, inputs: inputValues(ctrls), on: on.value || undefined };
      const { data: calc } = await api('POST', '/fees/calculate', { body });
      clear(result).append(h('h2', { id: 'fee-result-t' }, t('fee.calc.result'), ' · ', calc.rule_set.name),
        calc.flags ? h('p', { class: 'alert alert-warn', id: 'fee-flags' }, t('fee.calc.flags', { n: calc.flags })) : null,
        feeLinesTable(calc));
      if (may(state.user, P.feeBill) && calc.total_fen > 0) result.append(calcBillForm(body));
      result.hidden = false;
    } catch (x) {
      if (x.status === 401) return;
      result.hidden = true;
      const c = x.field && ctrls.find((k) => `inputs.${k.inp.name}` === x.field);
      const text = reasonText(x) || errorText(x);
      if (c) {
        c.err.hidden = false;
        c.err.textContent = text;
        c.control.setAttribute('aria-invalid', 'true');
        c.control.focus();
      }
      msg.append(h('p', { class: 'alert alert-error', role: 'alert' }, c ? `${c.inp.label || c.inp.name}: ${text}` : text));
    } finally { btn.disabled = false; }
  } },
  h('div', { class: 'grid' },
    h('div', { class: 'field' }, h('label', { for: sid }, t('fee.calc.rule_set')), sel),
    h('div', { class: 'field' }, h('label', { for: did }, t('fee.calc.on')), on)),
  desc, h('h2', null, t('fee.calc.inputs')), inputsBox, msg, h('div', { class: 'actions' }, btn));
  main.append(h('h1', null, t('fee.calc.title')), h('p', null, t('fee.calc.intro')), form, result);
  pick();
}

// ---- billing (review 2026-12-07 M1): a computed fee becomes charge lines ----

// The page of a charge's owner, where its charges are listed (null: none).
function ownerHref(kind, id) {
  const path = { ticket: 'tickets', install_project: 'projects', trip: 'trips', complaint: 'complaints', secondment: 'secondments' }[kind];
  return path ? `#/${path}/${id}` : null;
}

function ownerLink(c) {
  const href = ownerHref(c.owner_kind, c.owner_id);
  const text = t('fee.bill.open_owner', { kind: enumLabel('owner_kind', c.owner_kind), owner_id: c.owner_id });
  return href ? h('a', { href, class: 'bill-owner' }, text) : h('span', { class: 'bill-owner' }, text);
}

// A refusal in msg: the guard's or the reason's words, else the error's.
function refusal(msg, x) {
  clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, reasonText(x) || errorText(x)));
}

// The calculator's result billed to an owner: the server calculates again (the inputs, not
// the amounts shown here) and adds one charge per billed line.
function calcBillForm(calcBody) {
  const kinds = columnMeta('charge', 'owner_kind')?.enum || [];
  const kid = nextId('bill-kind'), oid = nextId('bill-owner'), did = nextId('bill-dealer');
  const kind = h('select', { id: kid, name: 'owner_kind' }, kinds.map((k) => h('option', { value: k }, enumLabel('owner_kind', k))));
  const owner = h('input', { id: oid, name: 'owner_id', type: 'number', min: '1', step: '1', required: true });
  const dealer = h('input', { id: did, name: 'dealer_id', type: 'number', min: '1', step: '1' });
  const msg = h('div', { role: 'status', 'aria-live': 'polite', id: 'fee-bill-msg' });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'fee-bill' }, t('fee.bill.run'));
  return h('form', { class: 'form', id: 'fee-bill-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clear(msg);
    btn.disabled = true;
    try {
      const body = { ...calcBody, owner_kind: kind.value, owner_id: Number(owner.value) || null };
      if (dealer.value.trim()) body.dealer_id = Number(dealer.value);
      const { data } = await api('POST', '/fees/bill', { body });
      const sum = data.charges.reduce((a, c) => a + c.amount_fen, 0);
      clear(msg).append(h('p', { class: 'alert alert-info', id: 'fee-billed' },
        t('fee.bill.done_n', { n: data.charges.length, amount: yuan(sum) }), ' ', data.charges.length ? ownerLink(data.charges[0]) : null));
    } catch (x) {
      if (x.status !== 401) refusal(msg, x);
    } finally { btn.disabled = false; }
  } },
  h('h3', null, t('fee.bill.title')), h('p', { class: 'hint' }, t('fee.bill.calc_intro')),
  h('div', { class: 'grid' },
    h('div', { class: 'field' }, h('label', { for: kid }, t('fee.bill.owner_kind')), kind),
    h('div', { class: 'field' }, h('label', { for: oid }, t('fee.bill.owner_id')), owner),
    h('div', { class: 'field' }, h('label', { for: did }, t('fee.bill.dealer_id')), dealer)),
  msg, h('div', { class: 'actions' }, btn));
}

// A secondment's or waiting record's bill: the charge it was billed as, or the button.
function recordBillCard(k, rec) {
  const perm = k.bill();
  if (!may(state.user, perm) && !rec.charge_id) return null;
  const msg = h('div', { role: 'status', 'aria-live': 'polite', id: 'record-bill-msg' });
  const card = h('section', { class: 'card', id: 'record-bill', 'aria-labelledby': 'record-bill-t' },
    h('h2', { id: 'record-bill-t' }, t('fee.bill.title')));
  if (rec.charge_id) {
    card.append(h('p', { id: 'record-billed' }, t('fee.bill.billed', { id: rec.charge_id })));
    return card;
  }
  const btn = h('button', { type: 'button', class: 'btn btn-primary', id: 'record-bill-run', onclick: async () => {
    btn.disabled = true;
    clear(msg);
    try {
      const { data } = await api('POST', `${k.path}/${rec.id}/bill`, { body: {} });
      const c = data.charge;
      btn.remove();
      clear(msg).append(h('p', { class: 'alert alert-info', id: 'record-billed' },
        t('fee.bill.done', { id: c.id, amount: yuan(c.amount_fen) }), ' ', ownerLink(c)));
    } catch (x) {
      btn.disabled = false;
      if (x.status !== 401) refusal(msg, x);
    }
  } }, t('fee.bill.run'));
  card.append(h('p', { class: 'hint' }, t('fee.bill.intro')), msg, h('div', { class: 'actions' }, btn));
  return card;
}

// ---- secondments and waiting records ----

const SEC_FORM = [['dealer_id', { label: (r) => `${r.name}${r.code ? ` (${r.code})` : ''}`, title: 'field.secondment.dealer' }],
  'staff', 'persons', 'start_date', 'end_date', 'work_days', 'travel_days', 'status', 'agreement_ref', 'wage_note', 'notes'];
// the work order: a choice of those the caller sees (a technician: their own) whose crew has
// arrived — on site or finished after it, as the server requires (review 72 #7) — by number
// and customer, not a raw id to type (review 2026-12-07 L7)
const WO_REACHED = ['on_site', 'done', 'not_fixed', 'needs_factory'];
const WO_PICK = ['work_order_id', {
  kind: 'lookup', source: '/work-orders', title: 'field.waiting_record.work_order_id',
  query: () => ({ limit: 100 }),
  filter: (r, q) => WO_REACHED.includes(r.status) && (!q || `${r.number} ${r.customer_name || ''}`.includes(q)),
  label: (r) => [r.number, r.customer_name].filter(Boolean).join(' · '),
}];
const WAIT_FORM = [WO_PICK, 'project_id', 'started_on', 'ended_on', 'days', 'cause', 'cause_note', 'at_fault',
  'confirmed_by', 'confirmed_on', 'notes'];

const KINDS = {
  secondment: { path: '/secondments', form: SEC_FORM, title: 'fee.sec.title', intro: 'fee.sec.intro', add: 'fee.sec.new', perm: () => P.secondments, bill: () => P.secondmentBill },
  waiting_record: { path: '/waiting-records', form: WAIT_FORM, title: 'fee.wait.title', intro: 'fee.wait.intro', add: 'fee.wait.new', perm: () => P.waiting, bill: () => P.waitingBill },
};

export async function secondmentsView(main) {
  return listView(main, {
    title: t('fee.sec.title'),
    path: '/secondments',
    hashPath: '/secondments',
    expand: 'all',
    defaultSort: '-id',
    filters: [{ name: 'status', label: fieldLabel('secondment', 'status'),
      options: (columnMeta('secondment', 'status')?.enum || []).map((v) => [v, enumLabel('status', v)]) }],
    actions: [h('a', { href: '#/secondments/new', class: 'btn btn-primary', id: 'new-secondment' }, t('fee.sec.new'))],
    rowLink: (r) => `#/secondments/${r.id}`,
    columns: [
      { label: fieldLabel('secondment', 'dealer'), render: (r) => r.dealer_name || `#${r.dealer_id}` },
      { label: fieldLabel('secondment', 'staff'), key: 'staff' },
      { label: fieldLabel('secondment', 'start_date'), render: (r) => fmtDate(r.start_date), sort: 'start_date' },
      { label: fieldLabel('secondment', 'end_date'), render: (r) => fmtDate(r.end_date) },
      { label: fieldLabel('secondment', 'work_days'), key: 'work_days' },
      { label: fieldLabel('secondment', 'travel_days'), key: 'travel_days' },
      { label: fieldLabel('secondment', 'status'), render: (r) => enumLabel('status', r.status) },
      { label: fieldLabel('secondment', 'fee_fen'), render: (r) => yuan(r.fee_fen), sort: 'fee_fen' },
    ],
  });
}

export async function waitingView(main) {
  return listView(main, {
    title: t('fee.wait.title'),
    path: '/waiting-records',
    hashPath: '/waiting-records',
    defaultSort: '-id',
    filters: [
      { name: 'at_fault', label: fieldLabel('waiting_record', 'at_fault'), options: (columnMeta('waiting_record', 'at_fault')?.enum || []).map((v) => [v, enumLabel('at_fault', v)]) },
    ],
    actions: [h('a', { href: '#/waiting-records/new', class: 'btn btn-primary', id: 'new-waiting' }, t('fee.wait.new'))],
    rowLink: (r) => `#/waiting-records/${r.id}`,
    columns: [
      { label: fieldLabel('waiting_record', 'work_order_id'), render: (r) => (r.work_order_id ? `#${r.work_order_id}` : '') },
      { label: fieldLabel('waiting_record', 'project_id'), render: (r) => (r.project_id ? `#${r.project_id}` : '') },
      { label: fieldLabel('waiting_record', 'started_on'), render: (r) => fmtDate(r.started_on), sort: 'started_on' },
      { label: fieldLabel('waiting_record', 'days'), key: 'days' },
      { label: fieldLabel('waiting_record', 'cause'), render: (r) => enumLabel('cause', r.cause) },
      { label: fieldLabel('waiting_record', 'at_fault'), render: (r) => enumLabel('at_fault', r.at_fault) },
      { label: fieldLabel('waiting_record', 'confirmed_by'), key: 'confirmed_by' },
      { label: fieldLabel('waiting_record', 'fee_fen'), render: (r) => yuan(r.fee_fen), sort: 'fee_fen' },
    ],
  });
}

// The create form, or an existing record's form with its fee lines below.
export async function feeRecordForm(main, ent, id) {
  const k = KINDS[ent];
  const fields = await fieldsOf(ent, k.form);
  main.append(h('p', { class: 'hint' }, t(k.intro)));
  await entityForm(main, { ent, path: k.path, fields, id, title: id ? k.title : k.add, back: k.path });
  if (!id || !main.isCurrent()) return;
  const { data: rec } = await api('GET', `${k.path}/${id}`);
  if (!main.isCurrent() || !rec.fee_lines) return;
  let calc = null;
  try { calc = JSON.parse(rec.fee_lines); } catch { return; }
  main.append(h('section', { class: 'card', id: 'record-fee', 'aria-labelledby': 'record-fee-t' },
    h('h2', { id: 'record-fee-t' }, t('fee.form.lines'), ' · ', t('fee.form.fee'), ' ', h('span', { id: 'record-fee-total' }, yuan(rec.fee_fen))),
    feeLinesTable(calc, 'record-fee-lines')));
  const bill = recordBillCard(k, rec);
  if (bill) main.append(bill);
}

export const secondmentForm = (main, id) => feeRecordForm(main, 'secondment', id);
export const waitingForm = (main, id) => feeRecordForm(main, 'waiting_record', id);
