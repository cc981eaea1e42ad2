// The customer's quote from its link, without signing in (报价单, WF-20; issue 13 item 5):
//   /r/quote/<token>   the lines, the total in yuan, the validity and the PDF; accept or reject
//                      once (a phone page, 390 px); Chinese first, English beside
// Viewing repeats; once decided the page shows the quote read-only with what the customer
// said and when (until the link's end; then 410 used), an expired one says so (410 expired),
// an unknown one 404.
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { quoteLineItem } from './common.js';

const cats = {};

async function catalogue(loc) {
  if (!cats[loc]) {
    const r = await fetch(`/i18n/${loc}.json`, { credentials: 'same-origin' });
    cats[loc] = r.ok ? await r.json() : {};
  }
  return cats[loc];
}

function fill(s, vars) {
  return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s;
}

function bi(key, vars) {
  const zh = fill(cats['zh-CN'][key] ?? key, vars);
  const en = fill(cats.en[key] ?? '', vars);
  return [h('span', { lang: 'zh-CN' }, zh), en ? h('span', { class: 'en', lang: 'en' }, en) : null];
}

function yuan(fen) {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function message(main, key, kind) {
  clear(main).append(h('h1', { class: 'bi' }, bi('quote.pub.title')),
    h('p', { class: `alert alert-${kind || 'error'} bi`, role: 'alert', id: 'qp-msg', 'data-reason': key }, bi(`quote.pub.${key}`)));
}

// "2026-12-07T06:03:00Z" as Beijing time "2026-12-07 14:03"
function beijing(ts) {
  const d = new Date(Date.parse(ts) + 8 * 3600 * 1000);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16).replace('T', ' ');
}

function calc(l) {
  if (l.kind === 'part') return `${l.quantity} × ${yuan(l.unit_fen)}`;
  if (l.kind === 'labour') return `${l.hours} h × ${yuan(l.rate_fen)}`;
  if (l.kind === 'travel') return `${l.days} d × ${yuan(l.rate_fen)} + ${yuan(l.transport_fen)}`;
  return '';
}

export async function quoteView(main, token) {
  await Promise.all([catalogue('zh-CN'), catalogue('en')]);
  const path = `/public/quotes/${encodeURIComponent(token)}`;
  let q;
  try {
    q = (await api('GET', path, { quiet401: true })).data;
  } catch (e) {
    message(main, e.status === 410 && ['used', 'expired', 'withdrawn'].includes(e.reason) ? e.reason : 'unknown');
    return;
  }
  if (!main.isCurrent()) return;
  const err = h('div', { id: 'qp-err' });
  const note = h('textarea', { id: 'qp-note', name: 'note', rows: '3', maxlength: '2000' });
  const accept = h('button', { type: 'button', class: 'btn btn-primary btn-wide bi', id: 'qp-accept', onclick: () => decide('accept') }, bi('quote.pub.accept'));
  const reject = h('button', { type: 'button', class: 'btn btn-wide bi', id: 'qp-reject', onclick: () => decide('reject') }, bi('quote.pub.reject'));
  const decided = ['accepted', 'rejected'].includes(q.status);
  main.append(
    h('h1', { class: 'bi' }, bi('quote.pub.title')),
    decided ? h('p', { class: 'alert alert-info bi', role: 'status', id: 'qp-decided', 'data-status': q.status },
      bi(`quote.pub.decided_${q.status}`, { at: beijing(q.decided_at) })) : '',
    h('section', { class: 'card', id: 'qp-head' },
      h('dl', { class: 'details' },
        [['quote.pdf.customer', q.customer_name], ['quote.pub.number', q.number], ['quote.pdf.ticket', q.ticket_number], ['quote.pdf.valid_until', q.valid_until]]
          .map(([k, v]) => h('div', null, h('dt', { class: 'bi' }, bi(k)), h('dd', null, v)))),
      q.note ? h('p', { class: 'description' }, q.note) : null),
    h('section', { class: 'card', id: 'qp-lines', 'aria-labelledby': 'qp-l' },
      h('h2', { id: 'qp-l', class: 'bi' }, bi('quote.pdf.lines')),
      h('ul', { class: 'quote-pub-lines' }, q.lines.map((l) => h('li', { 'data-kind': l.kind },
        h('div', { class: 'ql-name' }, h('span', { class: 'badge' }, cats['zh-CN'][`quote.kind.${l.kind}`] || l.kind), ' ', quoteLineItem(l)),
        h('div', { class: 'ql-calc muted' }, calc(l)),
        h('div', { class: 'ql-amount' }, yuan(l.amount_fen))))),
      h('p', { class: 'quote-pub-total', id: 'qp-total' }, h('span', { class: 'bi' }, bi('quote.pdf.total')), ' ', h('strong', null, yuan(q.total_fen)))),
    h('p', null, h('a', { href: `/api/v1${path}/pdf`, target: '_blank', rel: 'noopener', class: 'btn btn-quiet btn-wide bi', id: 'qp-pdf' }, bi('quote.pub.pdf'))),
    decided ? '' : h('section', { class: 'card form', id: 'qp-decide' },
      h('p', { class: 'bi' }, bi('quote.pub.intro')), err,
      h('div', { class: 'field' }, h('label', { for: 'qp-note', class: 'bi' }, bi('quote.pub.note')), note),
      h('div', { class: 'actions actions-stack' }, accept, reject)));

  async function decide(decision) {
    clear(err);
    accept.disabled = reject.disabled = true;
    try {
      const body = { decision };
      if (note.value.trim()) body.note = note.value.trim();
      await api('POST', path, { body, quiet401: true });
      message(main, decision === 'accept' ? 'accepted' : 'rejected', 'info');
      main.focus();
    } catch (x) {
      accept.disabled = reject.disabled = false;
      if (x.status === 410) { message(main, ['expired', 'withdrawn'].includes(x.reason) ? x.reason : 'used'); return; }
      // another quote of the ticket is accepted: this one cannot be (docs/quotes.md)
      if (x.status === 409 && x.params.guard === 'quote_accepted') { message(main, 'withdrawn'); return; }
      err.append(h('p', { class: 'alert alert-error bi', role: 'alert' }, bi(x.status === 404 ? 'quote.pub.unknown' : 'quote.pub.failed')));
    }
  }
}
