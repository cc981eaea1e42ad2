// A payer's account statement (review 2026-12-07 #2, M4 and M6; docs/charges.md "Account
// statement"): what a customer or a dealer owes, its open credit, each charge's part it bears
// with what it paid, and its payments. A customer or dealer account reads its own
// (#/account); finance and the other readers of charges open one from the receivables
// (#/account?customer_id=N).
import { h, append } from '../dom.js';
import { api, apiUrl } from '../api.js';
import { t, fieldLabel, enumLabel, fmtMoney } from '../i18n.js';
import { state } from '../app.js';
import { isExternal } from '../policy.js';
import { section } from './common.js';

const PAGE = 20;

// The totals as tiles: still owed, open credit, the balance, paid. A balance below zero is
// credit left over, shown as such (never a negative amount to pay).
export function accountTiles(a) {
  const tile = (k) => {
    const over = k === 'balance' && a.balance_fen < 0;
    return h('li', { class: `tile acct-${k}`, 'data-key': k },
      h('span', { class: 'tile-label' }, t(over ? 'account.balance_credit' : `account.${k}`)),
      h('strong', { class: 'tile-value' }, fmtMoney(over ? -a.balance_fen : a[`${k}_fen`])));
  };
  return h('ul', { class: 'tiles account-tiles', id: 'acct-tiles' }, ['owed', 'credit', 'balance', 'paid'].map(tile));
}

function stateBadge(l) {
  return h('span', { class: `badge badge-pay-${l.state}` }, t(`charge.own.state.${l.state}`));
}

// a dealer's part is of its customer's ticket, which its account does not open
function ticketLink(l, own) {
  if (!l.ticket_id) return '—';
  return own && l.payer === 'dealer' ? l.ticket_number : h('a', { href: `#/tickets/${l.ticket_id}` }, l.ticket_number);
}

function href(base, open, offset) {
  const q = new URLSearchParams(base);
  if (open) q.set('open', 'true');
  if (offset) q.set('offset', String(offset));
  const s = q.toString();
  return `#/account${s ? `?${s}` : ''}`;
}

function pager(lines, base, open) {
  const prev = lines.offset > 0, next = lines.offset + lines.items.length < lines.total;
  if (!prev && !next) return null;
  return h('div', { class: 'toolbar pager' },
    prev ? h('a', { class: 'btn btn-quiet', id: 'acct-prev', href: href(base, open, Math.max(0, lines.offset - PAGE)) }, t('account.prev')) : null,
    next ? h('a', { class: 'btn btn-quiet', id: 'acct-next', href: href(base, open, lines.offset + PAGE) }, t('account.next')) : null);
}

export async function accountView(main) {
  const p = main.params;
  const own = isExternal(state.user);
  const base = own ? {} : { customer_id: p?.get('customer_id') || '' };
  const open = p?.get('open') === 'true';
  const offset = Number(p?.get('offset')) || 0;
  const { data: a } = await api('GET', '/account', { query: { ...base, limit: PAGE, offset, ...(open ? { open: 'true' } : {}) } });
  if (!main.isCurrent()) return;
  const filter = h('a', { class: 'btn btn-quiet', id: 'acct-open', href: href(base, !open, 0) }, t(open ? 'account.all' : 'account.open_only'));
  append(main, [
    h('div', { class: 'page-head' }, h('h1', null, own ? t('account.title') : t('account.title_staff', { name: a.customer_name })),
      h('div', { class: 'toolbar' }, filter,
        h('a', { class: 'btn btn-quiet', id: 'acct-export', href: apiUrl('/account', { ...base, ...(open ? { open: 'true' } : {}), format: 'xlsx' }) }, t('account.export')))),
    accountTiles(a),
    section(t('account.lines'), a.lines, [
      [fieldLabel('charge', 'charged_on'), (l) => l.charged_on],
      [t('account.ticket'), (l) => ticketLink(l, own)],
      [fieldLabel('charge', 'description'), (l) => (l.payer === 'dealer' && !own ? `${l.description} · ${t('account.as_dealer')}` : l.description)],
      [fieldLabel('charge', 'category'), (l) => enumLabel('category', l.category)],
      [own ? t('charge.own.part') : t('account.part'), (l) => fmtMoney(l.part_fen)],
      [own ? t('charge.own.paid') : t('account.part_paid'), (l) => fmtMoney(l.paid_fen)],
      [t('charge.own.state'), stateBadge],
      [fieldLabel('charge', 'invoice_no'), (l) => l.invoice_no || '—'],
    ], pager(a.lines, base, open)),
    section(t('account.payments'), { items: a.payments, total: a.payments.length }, [
      [fieldLabel('charge_payment', 'paid_on'), (x) => x.paid_on],
      [fieldLabel('charge', 'description'), (x) => x.description],
      [fieldLabel('charge_payment', 'amount_fen'), (x) => fmtMoney(x.amount_fen)],
      [fieldLabel('charge_payment', 'method'), (x) => (x.method ? enumLabel('method', x.method) : '—')],
      [fieldLabel('charge_payment', 'reference'), (x) => x.reference || '—'],
    ]),
  ]);
}
