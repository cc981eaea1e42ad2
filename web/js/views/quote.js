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
import { detailList, reasonText } from './common.js';

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
      h('td', null, l.code ? `${l.code} ${l.name}` : l.name, l.price_source ? h('small', { class: 'hint' }, ` ${t('quote.ui.from_price_list')}`) : null),
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

// the inputs each kind asks for: [field, label key, money?]
const FIELDS = {
  part: [['code', 'quote.ui.f.code'], ['name', 'quote.ui.f.name'], ['quantity', 'quote.ui.f.quantity'], ['unit_fen', 'quote.ui.f.unit_price', true]],
  labour: [['name', 'quote.ui.f.name'], ['hours', 'quote.ui.f.hours'], ['rate_fen', 'quote.ui.f.hour_rate', true]],
  travel: [['name', 'quote.ui.f.name'], ['days', 'quote.ui.f.days'], ['rate_fen', 'quote.ui.f.day_rate', true], ['transport_fen', 'quote.ui.f.transport', true]],
  fee: [['name', 'quote.ui.f.name'], ['rule_set', 'quote.ui.f.rule_set'], ['inputs', 'quote.ui.f.inputs']],
};

function lineRow(l, rows, redraw) {
  const row = { kind: l.kind, get: {} };
  const kind = h('select', { 'aria-label': t('quote.pdf.col.kind'), class: 'ql-kind', onchange: () => { row.kind = kind.value; redraw(); } },
    kinds().map((x) => h('option', { value: x, selected: x === l.kind }, t(`quote.kind.${x}`))));
  const cells = FIELDS[l.kind].map(([f, key, money]) => {
    let v = l[f] ?? '';
    if (money && v !== '') v = yuan(v);
    if (f === 'inputs' && v !== '') v = JSON.stringify(v);
    if (f === 'rule_set' && l.fee) v = l.fee.rule_set.code;
    const id = nextId('ql');
    const c = h(f === 'inputs' ? 'textarea' : 'input', { id, name: f, value: v, class: `ql-${f}`, inputmode: money || ['quantity', 'hours', 'days'].includes(f) ? 'decimal' : null, rows: f === 'inputs' ? '2' : null });
    if (f === 'inputs') c.value = v;
    row.get[f] = [c, money];
    return h('div', { class: 'field' }, h('label', { for: id }, t(key)), c);
  });
  const del = h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => { rows.splice(rows.indexOf(row), 1); row.el.remove(); } }, t('quote.ui.remove'));
  row.el = h('fieldset', { class: 'quote-line', 'data-kind': l.kind }, h('div', { class: 'field' }, kind), cells, del);
  row.value = () => {
    const out = { kind: row.kind };
    for (const [f, [c, money]] of Object.entries(row.get)) {
      const v = c.value.trim();
      if (!v) continue;
      if (money) out[f] = toFen(v) ?? v;
      else if (f === 'inputs') { try { out.inputs = JSON.parse(v); } catch { out.inputs = v; } }
      else out[f] = v;
    }
    return out;
  };
  return row;
}

function editor(k, q, reload) {
  const rows = [];
  const list = h('div', { id: 'quote-lines' });
  const err = h('div', { id: 'quote-error' });
  const redraw = () => {
    const vals = rows.map((r) => ({ ...r.value(), kind: r.kind }));
    rows.length = 0;
    clear(list);
    for (const v of vals) add(v);
  };
  const add = (l) => {
    const r = lineRow(l, rows, redraw);
    rows.push(r);
    list.append(r.el);
  };
  for (const l of q?.lines || [{ kind: 'part' }]) add(l);
  const note = h('textarea', { id: 'quote-note', rows: '2', maxlength: '2000' });
  note.value = q?.note || '';
  const until = h('input', { id: 'quote-valid', type: 'date', value: q?.valid_until || '' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'quote-save' }, t('quote.ui.save'));
  return h('form', { class: 'form card quote-editor', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clear(err);
    const body = { lines: rows.map((r) => r.value()), note: note.value.trim() };
    if (until.value) body.valid_until = until.value;
    save.disabled = true;
    try {
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
  h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn', id: 'quote-add-line', onclick: () => add({ kind: 'part' }) }, t('quote.ui.add_line'))),
  h('div', { class: 'field' }, h('label', { for: 'quote-valid' }, t('quote.pdf.valid_until')), until),
  h('div', { class: 'field' }, h('label', { for: 'quote-note' }, t('quote.pdf.note')), note),
  h('div', { class: 'actions' }, save));
}
