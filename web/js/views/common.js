// Small shared pieces: definition lists, child tables, warranty status.
import { h } from '../dom.js';
import { t, has, fmtNumber, today } from '../i18n.js';

// [[label, value]…] -> <dl>; empty values show a dash.
export function detailList(pairs) {
  return h('dl', { class: 'details' }, pairs.map(([k, v]) => h('div', null,
    h('dt', null, k), h('dd', null, v === '' || v === null || v === undefined ? '—' : v))));
}

// A titled table of a child collection (first page, with total).
export function section(title, data, cols, more) {
  const id = 'sec-' + title.replace(/\W+/g, '').slice(0, 12) + Math.random().toString(36).slice(2, 6);
  const body = data.items.length === 0
    ? h('p', { class: 'empty' }, t('ui.list.empty'))
    : h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
        h('thead', null, h('tr', null, cols.map(([label]) => h('th', { scope: 'col' }, label)))),
        h('tbody', null, data.items.map((r) => h('tr', null, cols.map(([label, f]) => h('td', { 'data-label': label }, f(r) ?? '')))))));
  return h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, title, ' ', h('span', { class: 'count' }, t('ui.list.count', { n: fmtNumber(data.total) }))),
    body, more);
}

// 'in' | 'expired' | 'unknown'
export function warrantyStatus(u) {
  if (!u.warranty_end) return 'unknown';
  return u.warranty_end >= today() ? 'in' : 'expired';
}

export function warrantyBadge(u) {
  const s = warrantyStatus(u);
  return h('span', { class: `badge badge-w-${s}` }, t(`ui.warranty.${s}`));
}

// The message of an API error from its stable reason and parameters (never from the
// server's English text): err.guard.<params.guard> for a refusal that names its guard (what
// to do first; every name the server sends has one, scripts/check-guard-texts.py), then
// err.reason.<reason>.<format>, err.reason.<reason>.max or .min when the refusal names only
// that bound (a date not after today), or err.reason.<reason>, with {max}, {min}, {allowed}
// filled in. A text whose {placeholders} the params do not fill is another refusal's (the bare
// reason "conflict" of a merged ticket is not the booking conflict {conflicts}): skipped.
// null when the catalogue has no fitting text.
export function reasonText(err) {
  const reason = err?.reason;
  if (!reason) return null;
  const params = err.params || {};
  const keys = [`err.reason.${reason}`];
  if (('max' in params) !== ('min' in params)) keys.unshift(`err.reason.${reason}.${'max' in params ? 'max' : 'min'}`);
  if (params.format) keys.unshift(`err.reason.${reason}.${params.format}`);
  if (typeof params.guard === 'string') keys.unshift(`err.guard.${params.guard}`);
  const vars = {};
  for (const [k, v] of Object.entries(params)) vars[k] = Array.isArray(v) ? v.join(', ') : v;
  const fits = (k) => has(k) && [...t(k).matchAll(/\{(\w+)\}/g)].every((m) => m[1] in vars);
  const key = keys.find(fits);
  return key ? t(key, vars) : null;
}

// WF-06: why a replacement is or is not eligible: free (in warranty, a quality cause), paid (out
// of warranty, the customer accepted the charge), or the first condition that fails.
export function replacementWords(r) {
  if (!r.eligible) return t(`rma.repl.no.${r.reason}`);
  return t(r.paid ? 'rma.repl.eligible.paid' : 'rma.repl.eligible');
}

// "1234.5" (yuan) -> 123450 fen, exactly; null when not a number with at most 2 decimals
export function yuanToFen(s) {
  const m = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

// 123450 fen -> "1234.50", what a yuan input shows (no grouping, no sign of currency)
export function fenToYuan(fen) {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

// The words for a required field left empty: 请选择 for a list, 请填写 for the rest (not 请修改,
// which is for a value that is wrong).
export function missingText(label, control) {
  return t(control && control.tagName === 'SELECT' ? 'ui.form.pick' : 'ui.form.fill', { field: label });
}

// What a quote line is called on a page: a catalogue part by its code and name, anything else
// (a fee by its rules, labour, travel) by its name: a fee line's code is the rule set's, an
// internal code such as at_cost (review 71 #5). quote_pdf.c line_cells says the same.
export function quoteLineItem(l) {
  return l.kind === 'part' && l.code ? `${l.code} ${l.name}` : l.name;
}
