// Quotes on the ticket page (报价单, WF-20, R-060; issue 13 item 5): the ticket's quotes with
// their lines and totals; for after-sales the editor (parts from the unified price list,
// labour hours × rate, travel days × daily rate + transport, fees from a fee rule set), send
// (PDF + the customer's link, or the internal approval above the company's amount), a new
// link, a revision, the acceptance the customer gave by phone, WeChat, letter…, and "charge
// told" without a quote; a customer or dealer accepts or rejects their own sent quote here.
// Kinds, statuses and channels come from /meta (domain/quote.c).
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fmtTime, fmtMoney } from '../i18n.js';
import { state, errorText } from '../app.js';
import { may, isExternal } from '../policy.js';
import { meta, routeRoles } from '../meta.js';
import { detailList, reasonText, quoteLineItem } from './common.js';
import { comboPicker } from './picker.js';
import { inputControls, inputValues, setInputValues } from './fees.js';

const kinds = () => meta()?.enums?.quote_line_kind || [];
const recordable = () => (meta()?.enums?.quote_channel || []).filter((c) => c !== 'link' && c !== 'portal');

// fen → "1353.95" (integers only)
export function yuan(fen) {
  const n = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
}
// "350" / "350.5" / "350.05" → fen, or null (no floating point)
export function toFen(s) {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(String(s ?? ''));
  return m ? Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) : null;
}

// one line's "quantity × price" text
export function lineCalc(l) {
  if (l.kind === 'part') return `${l.quantity} × ¥${yuan(l.unit_fen)}`;
  if (l.kind === 'labour') return `${l.hours} ${t('quote.ui.hours_unit')} × ¥${yuan(l.rate_fen)}`;
  if (l.kind === 'travel') return `${l.days} ${t('quote.ui.days_unit')} × ¥${yuan(l.rate_fen)} + ¥${yuan(l.transport_fen)}`;
  const f = l.fee;
  return f ? `${f.rule_set.name} · v${f.version.number}` : '';
}

export function linesTable(q) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list quote-lines' },
    h('thead', null, h('tr', null, ['quote.pdf.col.kind', 'quote.pdf.col.item', 'quote.pdf.col.calc', 'quote.pdf.col.amount'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, q.lines.map((l) => h('tr', { 'data-kind': l.kind },
      h('td', null, t(`quote.kind.${l.kind}`)),
      h('td', null, quoteLineItem(l), l.price_source ? h('small', { class: 'hint' }, ` ${t('quote.ui.from_price_list')}`) : null),
      h('td', null, lineCalc(l)),
      h('td', { class: 'num' }, `¥${yuan(l.amount_fen)}`)))),
    h('tfoot', null, h('tr', null, h('th', { scope: 'row', colspan: '3' }, t('quote.pdf.total')),
      h('td', { class: 'num quote-total', 'data-total-fen': String(q.total_fen) }, `¥${yuan(q.total_fen)}`)))));
}

export function quoteCard(k) {
  const card = h('section', { class: 'card', id: 'quotes', 'aria-labelledby': 'qt-t' },
    h('h2', { id: 'qt-t' }, t('quote.ui.title')));
  const body = h('div', { id: 'quotes-body' });
  card.append(body);
  load(body, k);
  return card;
}

async function load(body, k, flash) {
  let items;
  try {
    items = (await api('GET', `/tickets/${k.id}/quotes`)).data.items;
  } catch (e) {
    clear(body).append(h('p', { class: 'alert alert-error' }, errorText(e)));
    return;
  }
  const ext = isExternal(state.user);
  const edit = !ext && may(state.user, routeRoles('POST', '/api/v1/tickets/{id}/quotes'));
  clear(body);
  if (flash) body.append(h('p', { class: 'alert alert-info', role: 'status', id: 'quote-flash' }, flash));
  if (k.billing === 'chargeable' && !ext) body.append(h('p', { class: 'muted' }, t('quote.ui.chargeable')));
  if (!items.length) body.append(h('p', { class: 'muted', id: 'quotes-none' }, t('quote.ui.none')));
  const reload = (text) => load(body, k, text);
  for (const q of items) body.append(quoteBlock(q, k, edit, ext, reload));
  const open = !['closed', 'cancelled'].includes(k.status);
  if (edit && open) {
    const area = h('div', { id: 'quote-editor-slot' });
    // a quote prices work the customer pays for (409 guard billing otherwise, docs/quotes.md)
    const paid = quotable(k.billing);
    if (!paid) body.append(h('p', { class: 'muted', id: 'quote-not-billed', 'data-billing': k.billing || '' }, t('quote.ui.not_billed', { billing: t(`ui.tk.billing.${k.billing || 'unknown'}`) })));
    body.append(h('div', { class: 'actions' },
      paid ? h('button', { type: 'button', class: 'btn btn-primary', id: 'quote-new', onclick: () => { clear(area).append(editor(k, null, reload)); } }, t('quote.ui.new')) : null,
      h('button', { type: 'button', class: 'btn btn-quiet', id: 'charge-told', onclick: () => { clear(area).append(toldForm(k, reload)); } }, t('quote.ui.charge_told'))),
    area);
  }
}

// domain/quote.c quote_billing_paid: the billings whose work the customer pays for
function quotable(billing) {
  return billing === 'chargeable' || billing === 'negotiated';
}

// What the send did, from its answer (docs/quotes.md): above the company's amount the quote
// waits for the internal approval (no link yet); else it was sent by SMS to the number named,
// or, without a number, the link is there to pass on.
function sentText(data) {
  if (data.quote?.status === 'pending_approval') return t('quote.ui.sent_approval', { total: fmtMoney(data.quote.total_fen) });
  if (data.link?.sent) return t('quote.ui.sent_sms', { phone: data.link.recipient });
  return t('quote.ui.sent_no_phone');
}

function quoteBlock(q, k, edit, ext, reload) {
  const msg = h('div', { role: 'status', 'aria-live': 'polite' });
  const area = h('div');
  const fail = (e) => clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, reasonText(e) || errorText(e)));
  // text: the message, or a function of the answer that makes it
  const post = async (path, body, text) => {
    try {
      const { data } = await api('POST', path, { body: body || {} });
      // a link without the company's public_url is relative: shown whole, to be copied
      const url = data.link?.url?.startsWith('/') ? location.origin + data.link.url : data.link?.url;
      const link = url ? ` ${t('quote.ui.link')}: ${url}` : '';
      await reload((typeof text === 'function' ? text(data) : text) + link);
    } catch (e) { fail(e); }
  };
  const btn = (id, key, fn, cls) => h('button', { type: 'button', class: `btn ${cls || 'btn-quiet'}`, id: `${id}-${q.id}`, onclick: fn }, t(key));
  const acts = [];
  if (edit && q.status === 'draft') {
    acts.push(btn('quote-edit', 'quote.ui.edit', () => { clear(area).append(editor(k, q, reload)); }));
    acts.push(btn('quote-send', 'quote.ui.send', () => post(`/quotes/${q.id}/send`, {}, sentText), 'btn-primary'));
  }
  if (edit && q.status === 'sent') {
    acts.push(btn('quote-record', 'quote.ui.record', () => { clear(area).append(recordForm(q, reload, fail)); }, 'btn-primary'));
    acts.push(btn('quote-link', 'quote.ui.new_link', () => post(`/quotes/${q.id}/link`, {}, t('quote.ui.link_sent'))));
  }
  if (edit && ['sent', 'rejected', 'expired'].includes(q.status)) acts.push(btn('quote-revise', 'quote.ui.revise', () => post(`/quotes/${q.id}/revise`, {}, t('quote.ui.revised'))));
  if (ext && q.status === 'sent') {
    acts.push(btn('quote-accept', 'quote.pub.accept', () => post(`/quotes/${q.id}/decision`, { decision: 'accept' }, t('quote.pub.accepted')), 'btn-primary'));
    acts.push(btn('quote-reject', 'quote.pub.reject', () => post(`/quotes/${q.id}/decision`, { decision: 'reject' }, t('quote.pub.rejected'))));
  }
  acts.push(h('a', { class: 'btn btn-quiet', href: `/api/v1/quotes/${q.id}/pdf`, target: '_blank', rel: 'noopener', id: `quote-pdf-${q.id}` }, t('quote.ui.pdf')));
  return h('article', { class: 'quote', id: `quote-${q.id}`, 'data-status': q.status },
    h('h3', null, q.number, ' ', h('span', { class: `badge badge-q-${q.status}`, 'data-status': q.status }, t(`quote.status.${q.status}`))),
    detailList([
      [t('quote.pdf.valid_until'), q.valid_until],
      q.sent_at ? [t('quote.ui.sent_at'), fmtTime(q.sent_at)] : null,
      q.decided_at ? [t('quote.ui.decided'), `${fmtTime(q.decided_at)} · ${t(`quote.channel.${q.decision_channel}`)}${q.decision_note ? ` · ${q.decision_note}` : ''}`] : null,
      q.approval_id ? [t('quote.ui.approval'), h('a', { href: `#/approvals/${q.approval_id}` }, t(`enum.status.${q.approval_status}`))] : null,
      q.note ? [t('quote.pdf.note'), q.note] : null,
    ].filter(Boolean)),
    linesTable(q), msg, h('div', { class: 'actions' }, acts), area);
}

// the agent records how the customer said yes (or no)
function recordForm(q, reload, fail) {
  const dec = h('select', { id: `qr-decision-${q.id}`, name: 'decision' }, ['accept', 'reject'].map((d) => h('option', { value: d }, t(`quote.ui.decision.${d}`))));
  const ch = h('select', { id: `qr-channel-${q.id}`, name: 'channel', required: true }, h('option', { value: '' }, t('ui.form.choose')),
    recordable().map((c) => h('option', { value: c }, t(`quote.channel.${c}`))));
  const note = h('textarea', { id: `qr-note-${q.id}`, name: 'note', rows: '2', maxlength: '2000', required: true });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: `qr-save-${q.id}` }, t('quote.ui.save'));
  return h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    for (const c of [ch, note]) if (!c.value.trim()) { c.setAttribute('aria-invalid', 'true'); c.focus(); return; }
    ok.disabled = true;
    try {
      await api('POST', `/quotes/${q.id}/decision`, { body: { decision: dec.value, channel: ch.value, note: note.value.trim() } });
      await reload(t('quote.ui.recorded'));
    } catch (x) { ok.disabled = false; fail(x); }
  } },
  h('div', { class: 'field' }, h('label', { for: dec.id }, t('quote.ui.decision')), dec),
  h('div', { class: 'field' }, h('label', { for: ch.id }, t('quote.ui.how'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), ch),
  h('div', { class: 'field' }, h('label', { for: note.id }, t('quote.ui.words'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), note),
  h('div', { class: 'actions' }, ok));
}

function toldForm(k, reload) {
  const msg = h('div');
  const ch = h('select', { id: 'told-channel', name: 'channel' }, h('option', { value: '' }, t('ui.form.choose')),
    recordable().map((c) => h('option', { value: c }, t(`quote.channel.${c}`))));
  const note = h('textarea', { id: 'told-note', name: 'note', rows: '2', maxlength: '2000' });
  return h('form', { class: 'form card', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api('POST', `/tickets/${k.id}/charge-told`, { body: { channel: ch.value, note: note.value.trim() } });
      await reload(t('quote.ui.told_saved'));
    } catch (x) { clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, reasonText(x) || errorText(x))); }
  } }, h('p', { class: 'hint' }, t('quote.ui.told_hint')), msg,
  h('div', { class: 'field' }, h('label', { for: 'told-channel' }, t('quote.ui.how')), ch),
  h('div', { class: 'field' }, h('label', { for: 'told-note' }, t('quote.ui.told_what')), note),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'told-save' }, t('quote.ui.save'))));
}

// ---- the editor ----

// "1.5" (a quantity, hours or days: two decimals at most) → hundredths, or null
export function toHundredths(s) {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(String(s ?? ''));
  return m ? Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) : null;
}

// RULE domain/quote.c quote_line_amount: quantity (hundredths) × price (fen) / 100, half up to
// the fen, + transport for travel; integers only (BigInt: the product may pass 2^53). null
// when an input is missing or not a number.
export function lineAmount(qty, rate, extra = 0) {
  if (qty === null || rate === null || extra === null) return null;
  return Number((BigInt(qty) * BigInt(rate) + 50n) / 100n) + extra;
}

// the inputs each kind asks for: [field, label key, money?, hundredths?]
const FIELDS = {
  part: [['name', 'quote.ui.f.name'], ['quantity', 'quote.ui.f.quantity', false, true], ['unit_fen', 'quote.ui.f.unit_price', true]],
  labour: [['name', 'quote.ui.f.name'], ['hours', 'quote.ui.f.hours', false, true], ['rate_fen', 'quote.ui.f.hour_rate', true]],
  travel: [['name', 'quote.ui.f.name'], ['days', 'quote.ui.f.days', false, true], ['rate_fen', 'quote.ui.f.day_rate', true], ['transport_fen', 'quote.ui.f.transport', true]],
  fee: [['name', 'quote.ui.f.name']],
};

function field(key, c) {
  return h('div', { class: 'field' }, h('label', { for: c.id }, t(key)), c);
}

// The part: a picker over the catalogue (GET /parts?q=, active parts), which fills the name
// and the list price (read-only: the server refuses another, R-016); a code typed and not
// picked is a part bought in, priced by hand.
function partPicker(row, l, ed) {
  const get = row.get;
  const pick = comboPicker({
    kind: 'part',
    placeholder: t('quote.ui.part_placeholder'),
    search: async (q) => (await api('GET', '/parts', { query: { q, active: 'true', limit: 20 } })).data.items,
    text: (it) => it.code,
    key: (it) => it.code,
    chosen: (it) => t('quote.ui.part_chosen', { name: it.name, price: yuan(it.price_fen) }),
    option: (it) => ({ attrs: { 'data-code': it.code },
      nodes: [h('span', { class: 'picker-name' }, `${it.code} ${it.name}`),
        h('span', { class: 'picker-load' }, `¥${yuan(it.price_fen)}${it.unit ? ` / ${it.unit}` : ''}`)] }),
    onChoose: (it) => {
      get.name[0].value = it.name;
      get.unit_fen[0].value = yuan(it.price_fen);
      get.unit_fen[0].readOnly = true;
      if (!get.quantity[0].value.trim()) get.quantity[0].value = '1';
      ed.changed();
    },
    onType: () => { get.unit_fen[0].readOnly = false; ed.changed(); },
  });
  Object.assign(pick.input, { id: nextId('ql'), name: 'code', className: 'ql-code', value: l.code || '' });
  if (l.price_source && l.code) {
    pick.input.dataset.pick = l.code;
    get.unit_fen[0].readOnly = true;
  }
  get.code = [pick.input, false];
  const node = field('quote.ui.f.part', pick.input);
  pick.mount();
  return node;
}

// The fee: the rule set chosen, its declared inputs as #/fees builds them (fees.js), the
// amount from POST /fees/calculate (the server's engine, debounced), not computed here.
function feeBox(row, l, ed) {
  const sel = h('select', { id: nextId('ql'), name: 'rule_set', class: 'ql-rule_set' }, h('option', { value: '' }, t('ui.form.choose')));
  const box = h('div', { class: 'grid ql-inputs' });
  const calc = h('p', { class: 'hint ql-calc', 'aria-live': 'polite' });
  let ctrls = [], timer = null, seq = 0;
  const build = (sets, inputs) => {
    const s = sets.find((x) => x.code === sel.value);
    ctrls = s ? inputControls(s.current.definition, `${sel.id}-in`) : [];
    if (inputs) setInputValues(ctrls, inputs);
    clear(box).append(...ctrls.map((c) => c.node));
  };
  const run = async () => {
    const my = ++seq;
    row.fen = null;
    if (!sel.value) { calc.textContent = ''; ed.changed(); return; }
    let body;
    try { body = { rule_set: sel.value, inputs: inputValues(ctrls) }; } catch (x) { calc.textContent = reasonText(x) || errorText(x); ed.changed(); return; }
    calc.textContent = t('quote.ui.calculating');
    ed.changed();
    try {
      const { data } = await api('POST', '/fees/calculate', { body });
      if (my !== seq) return;
      row.fen = data.total_fen;
      calc.textContent = `${data.rule_set.name} · v${data.version.number}`;
    } catch (x) {
      if (my !== seq || x.status === 401) return;
      const c = x.field && ctrls.find((k) => `inputs.${k.inp.name}` === x.field);
      calc.textContent = `${c ? `${c.inp.label || c.inp.name}: ` : ''}${reasonText(x) || errorText(x)}`;
    }
    ed.changed();
  };
  row.recalc = () => { clearTimeout(timer); row.fen = null; ed.changed(); timer = setTimeout(run, 400); };
  box.addEventListener('input', row.recalc);
  box.addEventListener('change', row.recalc);
  ed.sets.then((sets) => {
    sel.append(...sets.map((s) => h('option', { value: s.code }, s.name)));
    sel.value = l.fee?.rule_set?.code || l.rule_set || '';
    build(sets, l.inputs || l.fee?.inputs);
    sel.addEventListener('change', () => { build(sets); row.recalc(); });
    if (sel.value) run();
  });
  row.fee = () => ({ rule_set: sel.value, inputs: inputValues(ctrls) });
  return [field('quote.ui.f.rule_set', sel), h('div', { class: 'field field-wide' }, h('span', { class: 'ql-caption' }, t('quote.ui.fee_inputs')), box, calc)];
}

function lineRow(l, ed) {
  const row = { kind: l.kind, get: {}, fen: null };
  const kind = h('select', { 'aria-label': t('quote.pdf.col.kind'), class: 'ql-kind', onchange: () => { row.kind = kind.value; ed.redraw(); } },
    kinds().map((x) => h('option', { value: x, selected: x === l.kind }, t(`quote.kind.${x}`))));
  const cells = FIELDS[l.kind].map(([f, key, money, hundredths]) => {
    let v = l[f] ?? '';
    if (money && v !== '') v = yuan(v);
    const c = h('input', { id: nextId('ql'), name: f, value: v, class: `ql-${f}`, inputmode: money || hundredths ? 'decimal' : null, autocomplete: 'off' });
    row.get[f] = [c, money, hundredths];
    return field(key, c);
  });
  if (l.kind === 'part') cells.unshift(partPicker(row, l, ed));
  if (l.kind === 'fee') cells.push(...feeBox(row, l, ed));
  const amount = h('output', { class: 'ql-amount', id: nextId('ql'), 'aria-live': 'polite' });
  const del = h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => { ed.rows.splice(ed.rows.indexOf(row), 1); row.el.remove(); ed.changed(); } }, t('quote.ui.remove'));
  row.el = h('fieldset', { class: 'quote-line', 'data-kind': l.kind }, h('div', { class: 'field' }, kind), cells,
    h('div', { class: 'field ql-amount-field' }, h('label', { for: amount.id }, t('quote.pdf.col.amount')), amount), del);
  row.el.addEventListener('input', (e) => { if (!e.target.closest('.ql-inputs')) ed.changed(); });
  const num = (f) => {
    const [c, money] = row.get[f] || [];
    if (!c) return 0;
    return money ? toFen(c.value) : toHundredths(c.value);
  };
  // the line's amount in fen as the server computes it, or null (not computable yet)
  row.amount = () => {
    if (row.kind === 'fee') return row.fen;
    if (row.kind === 'part') return lineAmount(num('quantity'), num('unit_fen'));
    if (row.kind === 'labour') return lineAmount(num('hours'), num('rate_fen'));
    const transport = row.get.transport_fen[0].value.trim() ? toFen(row.get.transport_fen[0].value) : 0;
    return lineAmount(num('days'), num('rate_fen'), transport);
  };
  row.show = (fen) => {
    amount.textContent = fen === null ? '—' : `¥${yuan(fen)}`;
    amount.dataset.fen = fen === null ? '' : String(fen);
  };
  // the request's line; throws {field, reason} for a fee input that is not a number
  row.value = () => {
    const out = { kind: row.kind };
    for (const [f, [c, money]] of Object.entries(row.get)) {
      const v = c.value.trim();
      if (!v) continue;
      out[f] = money ? toFen(v) ?? v : v;
    }
    return row.fee ? { ...out, ...row.fee() } : out;
  };
  // what a redraw keeps (a kind changed): never throws
  row.keep = () => { try { return row.value(); } catch { return { kind: row.kind }; } };
  return row;
}

function editor(k, q, reload) {
  const list = h('div', { id: 'quote-lines' });
  const err = h('div', { id: 'quote-error' });
  const total = h('p', { id: 'quote-live-total', class: 'quote-live-total', 'aria-live': 'polite' });
  const ed = {
    rows: [],
    // the active fee rule sets with the version in effect (as #/fees lists them)
    sets: api('GET', '/fee-rule-sets').then(({ data }) => data.items.filter((s) => s.active && s.current), () => []),
    redraw: () => {
      const vals = ed.rows.map((r) => ({ ...r.keep(), kind: r.kind }));
      ed.rows.length = 0;
      clear(list);
      for (const v of vals) add(v);
      ed.changed();
    },
    // every line's amount and the total, again (on each keystroke; a fee line's on its answer)
    changed: () => {
      let sum = 0, known = true;
      for (const r of ed.rows) {
        const fen = r.amount();
        r.show(fen);
        if (fen === null) known = false;
        else sum += fen;
      }
      total.dataset.totalFen = String(sum);
      total.dataset.complete = String(known);
      clear(total).append(h('strong', null, `${t('quote.pdf.total')} ¥${yuan(sum)}`));
      if (!known) total.append(h('span', { class: 'hint', id: 'quote-estimate' }, ` ${t('quote.ui.estimate')}`));
    },
  };
  const add = (l) => {
    const r = lineRow(l, ed);
    ed.rows.push(r);
    list.append(r.el);
  };
  for (const l of q?.lines || [{ kind: 'part' }]) add(l);
  ed.changed();
  const note = h('textarea', { id: 'quote-note', rows: '2', maxlength: '2000' });
  note.value = q?.note || '';
  const until = h('input', { id: 'quote-valid', type: 'date', value: q?.valid_until || '' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'quote-save' }, t('quote.ui.save'));
  return h('form', { class: 'form card quote-editor', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clear(err);
    save.disabled = true;
    try {
      const body = { lines: ed.rows.map((r) => r.value()), note: note.value.trim() };
      if (until.value) body.valid_until = until.value;
      if (q) await api('PUT', `/quotes/${q.id}`, { body, ifMatch: `"${q.version}"` });
      else await api('POST', `/tickets/${k.id}/quotes`, { body });
      await reload(t('quote.ui.saved'));
    } catch (x) {
      save.disabled = false;
      const where = x.field ? ` (${x.field})` : '';
      err.append(h('p', { class: 'alert alert-error', role: 'alert' }, (reasonText(x) || errorText(x)) + where));
    }
  } },
  h('h3', null, q ? `${t('quote.ui.edit')} ${q.number}` : t('quote.ui.new')),
  h('p', { class: 'hint' }, t('quote.ui.price_hint')), err, list,
  h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', id: 'quote-add-line', onclick: () => { add({ kind: 'part' }); ed.changed(); } }, t('quote.ui.add_line'))),
  total,
  h('div', { class: 'field' }, h('label', { for: 'quote-valid' }, t('quote.pdf.valid_until')), until),
  h('div', { class: 'field' }, h('label', { for: 'quote-note' }, t('quote.pdf.note')), note),
  h('div', { class: 'actions' }, save));
}
