// Receipts and credits on the charges card (review 68 M7, M11; docs/charges.md "Receipts and
// credits"): one receipt for the selected charges (one amount, date and reference, allocated
// oldest first by the server), and on a credit line 抵扣 (applied to the customer's open
// charges: the selected ones, else all of them) and 退款 (paid back).
import { yuanToFen } from './common.js';
import { h, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, enumLabel, fmtMoney, today } from '../i18n.js';
import { errorText } from '../app.js';
import { columnMeta } from '../meta.js';

// [payer, its part column, its paid column, its party column]
const PARTY = { customer: 'customer_id', dealer: 'dealer_id', sales: 'sales_user_id' };
const payers = () => (columnMeta('charge_payment', 'payer')?.enum || []).map((p) => [p, `${p}_fen`, `paid_${p}_fen`, PARTY[p]]);
const openOf = (c, part, paid) => c[part] - c[paid];
const fenToYuan = (fen) => (fen / 100).toFixed(2);

function field(label, control) {
  control.id = control.id || nextId('rcp');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

function errorBox() {
  return h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
}

function showError(box, text) {
  box.hidden = false;
  box.textContent = text;
}

// POSTs body to path; done(message) on success, the refusal's reason in box otherwise
async function send(path, body, box, done, message) {
  try {
    const { data } = await api('POST', path, { body });
    done(message(data));
  } catch (e) {
    showError(box, errorText(e));
  }
}

function submitRow(id, label) {
  return h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id }, label));
}

// One receipt for the charges picked: the payer (those with something open on them), the
// amount (their open total for that payer by default), the date and one reference.
export function receiptForm(picked, done) {
  const err = errorBox();
  const open = payers().map(([p, part, paid, party]) => {
    const items = picked.filter((c) => openOf(c, part, paid) > 0 && c[party]);
    return { p, party, items, total: items.reduce((s, c) => s + openOf(c, part, paid), 0) };
  }).filter((o) => o.items.length);
  const payerSel = h('select', { name: 'payer', id: 'rcp-payer' },
    open.map((o) => h('option', { value: o.p }, `${enumLabel('payer', o.p)} · ${t('charge.open')} ${fmtMoney(o.total)}`)));
  const amount = h('input', { name: 'amount', id: 'rcp-amount', inputmode: 'decimal', required: true });
  const chosen = () => open.find((o) => o.p === payerSel.value) || open[0];
  const refill = () => { if (chosen()) amount.value = fenToYuan(chosen().total); };
  payerSel.addEventListener('change', refill);
  refill();
  const form = h('form', { class: 'form chg-receipt-form', id: 'rcp-form', novalidate: true },
    h('h3', null, t('charge.receipt'), ' · ', t('charge.receipt_count', { n: picked.length })),
    err,
    field(fieldLabel('charge_payment', 'payer'), payerSel),
    field(t('charge.amount_yuan'), amount),
    field(fieldLabel('charge_payment', 'paid_on'), h('input', { name: 'paid_on', type: 'date', value: today(), max: today(), required: true })),
    field(fieldLabel('charge_payment', 'method'), methodSelect('transfer')),
    field(fieldLabel('charge_payment', 'reference'), h('input', { name: 'reference', id: 'rcp-ref', maxlength: '60' })),
    h('p', { class: 'hint' }, t('charge.receipt_hint')),
    submitRow('rcp-save', t('charge.pay')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const o = chosen();
    const fen = yuanToFen(f.get('amount'));
    if (!o || fen === null) return showError(err, t('err.reason.invalid_format'));
    const body = { payer: o.p, [o.party]: o.items[0][o.party], amount_fen: fen, paid_on: f.get('paid_on'),
      method: f.get('method'), charge_ids: o.items.map((c) => c.id) };
    if (f.get('reference').trim()) body.reference = f.get('reference').trim();
    return send('/charge-payments/allocate', body, err, done, (r) => t('charge.receipt_saved', { n: r.allocations.length }));
  });
  return form;
}

function methodSelect(value) {
  const vals = columnMeta('charge_payment', 'method')?.enum || [];
  return h('select', { name: 'method' }, vals.map((v) => h('option', { value: v, selected: v === value }, enumLabel('method', v))));
}

// 抵扣 (kind 'apply') or 退款 ('refund') on credit line c; picked: the charges selected on the
// card (the targets of an offset; none: all the customer's open charges).
export function creditForm(c, kind, picked, done) {
  const err = errorBox();
  const left = payers().filter(([, part, paid]) => openOf(c, part, paid) < 0)
    .map(([p, part, paid]) => ({ p, left: -openOf(c, part, paid) }));
  const payerSel = h('select', { name: 'payer', class: 'chg-credit-payer' },
    left.map((o) => h('option', { value: o.p }, `${enumLabel('payer', o.p)} · ${t('charge.credit_left')} ${fmtMoney(o.left)}`)));
  const refund = kind === 'refund';
  const amount = h('input', { name: 'amount', class: 'chg-credit-amount', inputmode: 'decimal', placeholder: refund ? '' : t('charge.amount_all') });
  if (refund && left.length) amount.value = fenToYuan(left[0].left);
  const targets = picked.filter((x) => x.amount_fen > 0);
  const form = h('form', { class: `form chg-credit-form chg-${kind}-form`, novalidate: true, 'data-charge': String(c.id) },
    h('h3', null, t(refund ? 'charge.credit_refund' : 'charge.credit_apply'), ' · ', c.description),
    err,
    field(fieldLabel('charge_payment', 'payer'), payerSel),
    field(t('charge.amount_yuan'), amount),
    field(fieldLabel('charge_payment', 'paid_on'), h('input', { name: 'paid_on', type: 'date', value: today(), max: today(), required: true })),
    refund ? field(fieldLabel('charge_payment', 'method'), methodSelect('transfer')) : null,
    field(fieldLabel('charge_payment', 'reference'), h('input', { name: 'reference', maxlength: '60' })),
    refund ? null : h('p', { class: 'hint' }, targets.length ? t('charge.credit_apply_picked', { n: targets.length }) : t('charge.credit_apply_hint')),
    submitRow(null, t(refund ? 'charge.credit_refund' : 'charge.credit_apply')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { payer: f.get('payer'), paid_on: f.get('paid_on') };
    if (f.get('amount').trim()) {
      body.amount_fen = yuanToFen(f.get('amount'));
      if (body.amount_fen === null) return showError(err, t('err.reason.invalid_format'));
    }
    if (f.get('reference').trim()) body.reference = f.get('reference').trim();
    if (refund) body.method = f.get('method');
    else if (targets.length) body.charge_ids = targets.map((x) => x.id);
    return send(`/charges/${c.id}/${refund ? 'refund' : 'apply-credit'}`, body, err, done,
      () => t(refund ? 'charge.refunded' : 'charge.credit_applied'));
  });
  return form;
}
