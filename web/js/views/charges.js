// Charges, payments and costs (issue 13 item 6; docs/charges.md): the charges panel of a
// ticket or a project (add a charge split among customer, dealer and sales; record a
// payment against one payer's part, or one receipt for the selected charges; apply or
// refund a credit: charge_receipts.js), the receivables with ageing and the cost report with
// the fee revenue, each with its Excel export.
import { yuanToFen } from './common.js';
import { h, clear, append, nextId } from '../dom.js';
import { api, apiUrl } from '../api.js';
import { t, fieldLabel, enumLabel, fmtMoney, today } from '../i18n.js';
import { state, errorText } from '../app.js';
import { may, P, isExternal } from '../policy.js';
import { columnMeta } from '../meta.js';
import { receiptForm, creditForm } from './charge_receipts.js';

const C = '/charges';
// [payer, its part column, its paid column] from the declared payers (GET /api/v1/meta)
const payers = () => (columnMeta('charge_payment', 'payer')?.enum || []).map((p) => [p, `${p}_fen`, `paid_${p}_fen`]);

function field(label, control) {
  const id = control.id || nextId('chg');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function enumSelect(ent, col, name, value) {
  const vals = columnMeta(ent, col)?.enum || [];
  return h('select', { name }, vals.map((v) => h('option', { value: v, selected: v === value }, enumLabel(col, v))));
}

// "50" or "33.33" (%) -> basis points, exactly; null when not a percentage with 2 decimals
function pctToBp(s) {
  if (String(s).trim() === '') return 0;
  return yuanToFen(s);
}

function partsText(c) {
  return payers().filter(([, part]) => c[part] !== 0)
    .map(([p, part, paid]) => `${enumLabel('payer', p)} ${fmtMoney(c[part])}${c[paid] ? ` (${t('field.charge.paid_fen')} ${fmtMoney(c[paid])})` : ''}`).join(' · ');
}

async function dealers() {
  try {
    const { data } = await api('GET', '/customers', { query: { type: 'dealer', limit: 100, sort: 'name' } });
    return data.items;
  } catch { return []; }
}

function addForm(owner, done) {
  const err = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const dealerSel = h('select', { name: 'dealer_id', id: 'chg-dealer' }, h('option', { value: '' }, '—'));
  dealers().then((ds) => ds.forEach((d) => dealerSel.append(h('option', { value: String(d.id) }, d.name))));
  const form = h('form', { class: 'form chg-form', id: 'chg-add-form', novalidate: true },
    err,
    field(fieldLabel('charge', 'description'), h('input', { name: 'description', id: 'chg-desc', required: true, maxlength: '500' })),
    field(fieldLabel('charge', 'category'), enumSelect('charge', 'category', 'category', 'repair')),
    field(t('charge.amount_yuan'), h('input', { name: 'amount', id: 'chg-amount', inputmode: 'decimal', required: true })),
    field(fieldLabel('charge', 'invoice_no'), h('input', { name: 'invoice_no', id: 'chg-invoice', maxlength: '60' })),
    h('fieldset', null, h('legend', null, t('charge.split'), ' — ', t('charge.split_hint')),
      field(t('charge.share_customer'), h('input', { name: 'customer_pct', id: 'chg-pct-customer', value: '100', inputmode: 'decimal' })),
      field(t('charge.share_dealer'), h('input', { name: 'dealer_pct', id: 'chg-pct-dealer', value: '0', inputmode: 'decimal' })),
      field(fieldLabel('charge', 'dealer_id'), dealerSel),
      field(t('charge.share_sales'), h('input', { name: 'sales_pct', id: 'chg-pct-sales', value: '0', inputmode: 'decimal' })),
      field(fieldLabel('charge', 'sales_user_id'), h('input', { name: 'sales_user_id', id: 'chg-sales', inputmode: 'numeric' }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'chg-save' }, t('charge.add'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const amount = yuanToFen(f.get('amount'));
    const body = {
      owner_kind: owner.kind, owner_id: owner.id, description: f.get('description').trim(),
      category: f.get('category'), amount_fen: amount,
      customer_share_bp: pctToBp(f.get('customer_pct')), dealer_share_bp: pctToBp(f.get('dealer_pct')),
      sales_share_bp: pctToBp(f.get('sales_pct')),
    };
    if (f.get('invoice_no')) body.invoice_no = f.get('invoice_no').trim();
    if (f.get('dealer_id')) body.dealer_id = Number(f.get('dealer_id'));
    if (f.get('sales_user_id')) body.sales_user_id = Number(f.get('sales_user_id'));
    if (amount === null || [body.customer_share_bp, body.dealer_share_bp, body.sales_share_bp].includes(null)) {
      err.hidden = false;
      err.textContent = t('err.reason.invalid_format');
      return;
    }
    try {
      await api('POST', C, { body });
      done(t('charge.saved'));
    } catch (e) {
      err.hidden = false;
      err.textContent = errorText(e);
    }
  });
  return form;
}

function payForm(c, done) {
  const err = h('p', { class: 'alert alert-error', role: 'alert', hidden: true });
  const open = payers().filter(([, part, paid]) => c[part] - c[paid] > 0);
  const form = h('form', { class: 'form chg-pay-form', novalidate: true, 'data-charge': String(c.id) },
    err,
    field(fieldLabel('charge_payment', 'payer'), h('select', { name: 'payer', class: 'chg-payer' },
      open.map(([p, part, paid]) => h('option', { value: p }, `${enumLabel('payer', p)} · ${t('charge.open')} ${fmtMoney(c[part] - c[paid])}`)))),
    field(t('charge.amount_yuan'), h('input', { name: 'amount', class: 'chg-pay-amount', inputmode: 'decimal', required: true })),
    field(fieldLabel('charge_payment', 'paid_on'), h('input', { name: 'paid_on', type: 'date', value: today(), max: today(), required: true })),
    field(fieldLabel('charge_payment', 'reference'), h('input', { name: 'reference', maxlength: '60' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary chg-pay-save' }, t('charge.pay'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const amount = yuanToFen(f.get('amount'));
    if (amount === null) {
      err.hidden = false;
      err.textContent = t('err.reason.invalid_format');
      return;
    }
    const body = { charge_id: c.id, payer: f.get('payer'), amount_fen: amount, paid_on: f.get('paid_on') };
    if (f.get('reference')) body.reference = f.get('reference').trim();
    try {
      await api('POST', '/charge-payments', { body });
      done(t('charge.paid_saved'));
    } catch (e) {
      err.hidden = false;
      err.textContent = errorText(e);
    }
  });
  return form;
}

// the row's actions: 登记收款 on an open charge; 抵扣 and 退款 on a credit line with some left
function rowActions(c, acts) {
  if (c.pay_state === 'paid') return null;
  const btn = (cls, label, fn) => h('button', { type: 'button', class: `btn btn-quiet ${cls}`, onclick: (ev) => fn(c, ev.target) }, label);
  if (c.amount_fen > 0) return btn('chg-pay', t('charge.pay'), acts.pay);
  return [btn('chg-credit-apply', t('charge.credit_apply'), acts.apply), btn('chg-credit-refund', t('charge.credit_refund'), acts.refund)];
}

// a box to pick an open charge for one receipt over several (acts.pick(c, checked))
function pickBox(c, acts) {
  if (c.pay_state === 'paid' || c.amount_fen < 0) return null;
  return h('input', { type: 'checkbox', class: 'chg-pick', 'aria-label': `${t('charge.pick')} ${c.description}`, onchange: (ev) => acts.pick(c, ev.target.checked) });
}

function chargeTable(items, acts) {
  const cols = ['description', 'category', 'amount_fen', 'split', 'pay_state', 'invoice_no'];
  const label = (c) => (c === 'split' ? t('charge.split') : fieldLabel('charge', c));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'chg-table' },
    h('thead', null, h('tr', null, acts ? h('th', { scope: 'col' }, t('charge.pick')) : null, cols.map((c) => h('th', { scope: 'col' }, label(c))), acts ? h('th', { scope: 'col' }, '') : null)),
    h('tbody', null, items.map((c) => h('tr', { 'data-id': String(c.id) },
      acts ? h('td', { 'data-label': t('charge.pick') }, pickBox(c, acts)) : null,
      h('td', { 'data-label': label('description') }, c.description),
      h('td', { 'data-label': label('category') }, enumLabel('category', c.category)),
      h('td', { 'data-label': label('amount_fen') }, fmtMoney(c.amount_fen)),
      h('td', { 'data-label': label('split') }, partsText(c)),
      h('td', { 'data-label': label('pay_state') }, h('span', { class: `badge badge-pay-${c.pay_state}` }, enumLabel('pay_state', c.pay_state))),
      h('td', { 'data-label': label('invoice_no') }, c.invoice_no || '—'),
      acts ? h('td', null, rowActions(c, acts)) : null)))));
}

// A customer's own part of a charge and its state (docs/charges.md "Who sees what": the whole
// amount, the split and the whole's state are staff-only, the API does not send them).
function ownState(c) {
  if (c.customer_fen < 0) return 'credit';
  if (!c.paid_customer_fen) return 'unpaid';
  return c.paid_customer_fen < c.customer_fen ? 'part_paid' : 'paid';
}

function ownTable(items) {
  const cols = [['description', fieldLabel('charge', 'description')], ['category', fieldLabel('charge', 'category')],
    ['part', t('charge.own.part')], ['paid', t('charge.own.paid')], ['state', t('charge.own.state')],
    ['invoice_no', fieldLabel('charge', 'invoice_no')]];
  const cell = (c, k) => {
    if (k === 'category') return enumLabel('category', c.category);
    if (k === 'part') return fmtMoney(c.customer_fen);
    if (k === 'paid') return fmtMoney(c.paid_customer_fen);
    if (k === 'state') return h('span', { class: `badge badge-pay-${ownState(c)}` }, t(`charge.own.state.${ownState(c)}`));
    return c[k] || '—';
  };
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'chg-table', 'data-view': 'own' },
    h('thead', null, h('tr', null, cols.map(([, label]) => h('th', { scope: 'col' }, label)))),
    h('tbody', null, items.map((c) => h('tr', { 'data-id': String(c.id) },
      cols.map(([k, label]) => h('td', { 'data-label': label }, cell(c, k))))))));
}

// The charges of one owner ({kind, id}) as a card; refreshes itself after a write. A customer
// account sees the charges it bears a part of, each with that part and what it paid.
export async function chargesPanel(main, owner) {
  const card = h('section', { class: 'card', id: 'chg-panel', 'aria-labelledby': 'chg-h' });
  const notice = h('p', { class: 'alert alert-success', role: 'status', hidden: true });
  const load = async (msg) => {
    let items = [];
    try {
      // a ticket's card lists its work orders' charges too (a billed waiting fee, parts used)
      const by = owner.kind === 'ticket' ? { ticket_id: owner.id } : { owner_kind: owner.kind, owner_id: owner.id };
      const { data } = await api('GET', C, { query: { ...by, limit: 100, sort: 'id' } });
      items = data.items;
    } catch (e) {
      clear(card).append(h('h2', { id: 'chg-h' }, t('charge.section')), h('p', { class: 'alert alert-error' }, errorText(e)));
      return;
    }
    if (!main.isCurrent()) return;
    notice.hidden = !msg;
    notice.textContent = msg || '';
    const write = may(state.user, P.chargeWrite);
    const pay = may(state.user, P.chargePay);
    const slot = h('div', { class: 'chg-slot' });
    const show = (form, btn) => { clear(slot).append(form); if (btn) btn.disabled = true; slot.scrollIntoView({ block: 'nearest' }); };
    const picked = new Map();
    const receiptBtn = h('button', { type: 'button', class: 'btn', id: 'chg-receipt', disabled: true,
      onclick: (ev) => show(receiptForm([...picked.values()], load), ev.target) }, t('charge.receipt'));
    const acts = pay ? {
      pay: (c, btn) => show(payForm(c, load), btn),
      apply: (c, btn) => show(creditForm(c, 'apply', [...picked.values()], load), btn),
      refund: (c, btn) => show(creditForm(c, 'refund', [], load), btn),
      pick: (c, on) => { if (on) picked.set(c.id, c); else picked.delete(c.id); receiptBtn.disabled = !picked.size; },
    } : null;
    const own = isExternal(state.user);
    if (own) items = items.filter((c) => c.customer_fen !== 0);
    const table = own ? ownTable(items) : chargeTable(items, acts);
    // dom.js append: a reader without write rights gets no button (and no text "null")
    append(clear(card), [
      h('h2', { id: 'chg-h' }, t('charge.section')),
      notice,
      items.length ? table : h('p', { class: 'empty' }, t('charge.none')),
      slot,
      acts && items.length ? receiptBtn : null,
      write ? h('button', { type: 'button', class: 'btn', id: 'chg-add', onclick: () => clear(slot).append(addForm(owner, load)) }, t('charge.add')) : null]);
  };
  await load();
  return card;
}

// ---- reports ----

function moneyTable(id, cols, items, total, labelOf) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list', id },
    h('thead', null, h('tr', null, cols.map(([k, label]) => h('th', { scope: 'col' }, label)))),
    h('tbody', null, items.map((r) => h('tr', null, cols.map(([k, label], i) => h('td', { 'data-label': label }, i === 0 ? labelOf(r) : fmtMoney(r[k])))))),
    total ? h('tfoot', null, h('tr', null, cols.map(([k], i) => h('td', null, i === 0 ? t('charge.total') : fmtMoney(total[k]))))) : null));
}

export async function receivablesView(main) {
  const params = main.params;
  const asOf = params?.get('as_of') || today();
  const by = params?.get('by') === 'dealer' ? 'dealer' : 'customer';
  const q = { as_of: asOf, by };
  const { data } = await api('GET', '/reports/receivables', { query: q });
  if (!main.isCurrent()) return;
  const cols = [['name', t('field.receivables_report.name')], ['days_0_30', t('field.receivables_report.days_0_30')],
    ['days_31_60', t('field.receivables_report.days_31_60')], ['days_61_90', t('field.receivables_report.days_61_90')],
    ['days_over_90', t('field.receivables_report.days_over_90')], ['total', t('field.receivables_report.total')]];
  const form = h('form', { class: 'toolbar', id: 'recv-form', method: 'get' },
    field(t('charge.as_of'), h('input', { type: 'date', name: 'as_of', value: asOf, id: 'recv-as-of' })),
    field(t('charge.by'), h('select', { name: 'by', id: 'recv-by' }, ['customer', 'dealer'].map((v) => h('option', { value: v, selected: v === by }, t(`charge.by.${v}`))))),
    h('button', { type: 'submit', class: 'btn' }, t('charge.run')),
    h('a', { class: 'btn btn-quiet', id: 'recv-export', href: apiUrl('/reports/receivables', { ...q, format: 'xlsx' }) }, t('charge.export')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    location.hash = `#/receivables?as_of=${encodeURIComponent(f.get('as_of'))}&by=${f.get('by')}`;
  });
  main.append(h('h1', null, t('charge.receivables_title')), form,
    h('section', { class: 'card' }, moneyTable('recv-table', cols, data.items, data.total,
      (r) => (may(state.user, P.account) ? h('a', { href: `#/account?customer_id=${r.party_id}`, class: 'recv-party' }, r.name) : r.name))));
}

export async function costReportView(main) {
  const params = main.params;
  const now = today();
  const from = params?.get('from') || `${now.slice(0, 8)}01`;
  const to = params?.get('to') || now;
  const groups = ['period', 'department', 'customer', 'technician', 'trip', 'ticket'];
  const group = groups.includes(params?.get('group')) ? params.get('group') : 'period';
  const q = { from, to, group };
  const [{ data }, { data: rev }] = await Promise.all([
    api('GET', '/reports/costs', { query: q }),
    api('GET', '/reports/fee-revenue', { query: { from, to } })]);
  if (!main.isCurrent()) return;
  const cols = ['label', 'travel', 'lodging', 'allowance', 'parts', 'other', 'total'].map((k) => [k, t(`field.cost_report.${k}`)]);
  const form = h('form', { class: 'toolbar', id: 'cost-form' },
    field(t('field.cost_line.incurred_on'), h('input', { type: 'date', name: 'from', value: from, id: 'cost-from' })),
    h('input', { type: 'date', name: 'to', value: to, id: 'cost-to', 'aria-label': '–' }),
    field(t('charge.group'), h('select', { name: 'group', id: 'cost-group' }, groups.map((g) => h('option', { value: g, selected: g === group }, t(`charge.group.${g}`))))),
    h('button', { type: 'submit', class: 'btn' }, t('charge.run')),
    h('a', { class: 'btn btn-quiet', id: 'cost-export', href: apiUrl('/reports/costs', { ...q, format: 'xlsx' }) }, t('charge.export')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    location.hash = `#/cost-report?from=${f.get('from')}&to=${f.get('to')}&group=${f.get('group')}`;
  });
  const revCols = [['series', t('field.fee_revenue_report.series')], ['installation_fen', t('field.fee_revenue_report.installation')],
    ['management_fen', t('field.fee_revenue_report.management')], ['secondment_fen', t('field.fee_revenue_report.secondment')],
    ['total_fen', t('field.fee_revenue_report.total')]];
  main.append(h('h1', null, t('charge.costs_title')), form,
    h('section', { class: 'card' }, moneyTable('cost-table', cols, data.items, data.total, (r) => r.label || '—')),
    h('section', { class: 'card' }, h('h2', null, t('charge.revenue_title'), ' ',
      h('a', { class: 'btn btn-quiet', id: 'rev-export', href: apiUrl('/reports/fee-revenue', { from, to, format: 'xlsx' }) }, t('charge.export'))),
    moneyTable('rev-table', revCols, rev.items, rev.total, (r) => `${r.series || '—'} · ${r.dealer_name || '—'}`)));
}
