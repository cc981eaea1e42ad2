// Market-support approvals (市场支持申请单, F-05, R-051, A-04; issue 12 item 3) and department
// coordination requests (部门协调单, F-08, WF-22; item 7). The approvals inbox is built for a
// 390 px phone: one card per pending request, an optional comment and one tap to decide.
// Coordination requests are listed by due time, so the overdue ones come first.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, enumLabel, fmtTime, fmtMoney, fmtNumber, roleLabel, fromCompanyInput } from '../i18n.js';
import { go, errorText, state } from '../app.js';
import { may, P } from '../policy.js';
import { columnMeta } from '../meta.js';
import { entityForm, fieldsOf } from './forms.js';
import { reasonText, detailList, replacementWords, quoteLineItem } from './common.js';

const APPROVAL_FORM = ['kind', 'purpose',
  ['customer_id', { label: (r) => `${r.name} (${r.code})`, title: 'field.approval.customer_id' }],
  'site', 'units', 'technicians', 'trip_days', 'cost_fen',
  ['ticket_id', { label: (r) => r.number || `#${r.id}`, title: 'field.approval.ticket_id' }]];

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const overdueBadge = (key) => h('span', { class: 'badge badge-overdue' }, t(key));
const statusBadge = (s) => h('span', { class: `badge badge-st badge-ap-${s}` }, enumLabel('status', s));

// ---- what a request is about, by its kind (review 68 M2; the subject, docs/approvals.md) ----

const TRIP_KINDS = ['installation', 'onsite_repair', 'training'];
const ticketLink = (id, number) => (id ? h('a', { href: `#/tickets/${id}` }, number || `#${id}`) : '');

// The purpose the server wrote (a code and its parameters) in the UI's language; else as stored.
export function purposeText(a) {
  const p = a.subject && a.subject.purpose;
  if (!p || !p.code) return a.purpose;
  return t(`appr.purpose.${p.code}`, { ...p.params, amount: fmtMoney(p.params.amount_fen) });
}

function qtyText(l) {
  if (l.kind === 'fee' || !l.qty_centi) return '';
  const q = fmtNumber(l.qty_centi / 100);
  return l.kind === 'labour' ? `${q} ${t('quote.ui.hours_unit')}` : l.kind === 'travel' ? `${q} ${t('quote.ui.days_unit')}` : q;
}

function quoteLines(s) {
  const cols = [t('appr.q.item'), t('appr.q.qty'), t('appr.q.price'), t('appr.q.amount')];
  const cell = (i, v, cls) => h('td', { 'data-label': cols[i], class: cls || null }, v);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list appr-qlines' },
    h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, s.lines.map((l) => h('tr', { 'data-kind': l.kind },
      cell(0, `${t(`quote.kind.${l.kind}`)} · ${quoteLineItem(l)}`),
      cell(1, qtyText(l), 'num'),
      cell(2, l.kind === 'fee' ? '' : fmtMoney(l.rate_fen) + (l.extra_fen ? ` + ${fmtMoney(l.extra_fen)}` : ''), 'num'),
      cell(3, fmtMoney(l.amount_fen), 'num'))))));
}

const quoteTotal = (q) => h('p', { class: 'appr-qsum' }, t('appr.q.total'), ' ',
  h('strong', { class: 'appr-qtotal', 'data-total-fen': String(q.total_fen) }, fmtMoney(q.total_fen)));

// A quote: the customer, the ticket, the quote's lines and total, the quote to open.
function quoteBody(a) {
  const s = a.subject, q = s.quote;
  return [detailList([
    [fieldLabel('approval', 'customer_id'), s.customer_name || a.customer_name],
    [t('appr.q.ticket'), ticketLink(s.ticket.id, s.ticket.number)],
    [t('appr.q.quote'), `${q.number} · ${t(`quote.status.${q.status}`)}`],
  ]), s.lines ? quoteLines(s) : null, quoteTotal(q),
  // null lines: a role that reads approvals but not quotes (the goods roles) gets the total only
  s.lines && h('p', { class: 'toolbar' }, h('a', { class: 'btn btn-quiet', href: `#/tickets/${s.ticket.id}`, 'data-act': 'open-quote' }, t('appr.q.open')), ' ',
    h('a', { class: 'btn btn-quiet', href: `/api/v1/quotes/${q.id}/pdf`, target: '_blank', rel: 'noopener' }, t('quote.ui.pdf')))];
}

// A replacement: the unit, its RMA and cause analysis, the warranty and the eligibility.
function replacementBody(a) {
  const s = a.subject, r = s.rma;
  const unit = s.unit && s.unit.id ? [s.unit.model_name, s.unit.serial_no].filter(Boolean).join(' · ') : '';
  return detailList([
    [t('appr.r.unit'), unit],
    [t('appr.r.rma'), r ? h('a', { href: `#/rmas/${r.id}` }, `${r.number} · ${t(`rma.state.${r.state}`)}`) : ''],
    [t('appr.r.cause'), r && r.cause_category ? `${t(`rma.cause.${r.cause_category}`)}${r.cause_analysis ? ` — ${r.cause_analysis}` : ''}` : ''],
    [t('appr.r.warranty'), t(`rma.warranty.${s.warranty_status || 'unknown'}`)],
    [t('appr.r.eligibility'), h('span', { class: s.eligible ? 'appr-ok' : 'appr-bad', 'data-eligible': String(s.eligible) },
      replacementWords(s))],
    [fieldLabel('approval', 'ticket_id'), ticketLink(s.ticket.id, s.ticket.number)],
  ]);
}

// A market-support trip (F-05): site, units, technicians · days · cost.
function tripBody(a) {
  return detailList([
    [fieldLabel('approval', 'site'), a.site],
    [fieldLabel('approval', 'units'), a.units],
    [fieldLabel('approval', 'trip_days'), t('appr.days_cost', { technicians: a.technicians, days: a.trip_days, cost: fmtMoney(a.cost_fen) })],
    [fieldLabel('approval', 'ticket_id'), ticketLink(a.ticket_id, a.ticket_name)],
  ]);
}

// Any other request: what it carries, nothing it does not.
function genericBody(a) {
  return detailList([
    a.site ? [fieldLabel('approval', 'site'), a.site] : null,
    a.units ? [fieldLabel('approval', 'units'), a.units] : null,
    a.cost_fen ? [fieldLabel('approval', 'cost_fen'), fmtMoney(a.cost_fen)] : null,
    [fieldLabel('approval', 'ticket_id'), ticketLink(a.ticket_id, a.ticket_name)],
  ].filter(Boolean));
}

export function subjectBody(a) {
  const s = a.subject;
  if (a.kind === 'quote' && s && s.quote) return quoteBody(a);
  if (a.kind === 'replacement' && s && s.kind === 'replacement') return replacementBody(a);
  return TRIP_KINDS.includes(a.kind) ? tripBody(a) : genericBody(a);
}

// One pending request as a card: what it is about (by its kind), who asked, by when; decide.
function approvalCard(a, onDone) {
  const overdue = a.status === 'pending' && a.decision_due_at && a.decision_due_at < nowIso();
  const cid = nextId('cmt');
  const comment = h('textarea', { id: cid, name: 'comment', rows: '2', maxlength: '2000' });
  const out = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const decide = async (decision, btn) => {
    out.hidden = true;
    if (decision === 'reject' && !comment.value.trim()) {
      out.textContent = t('appr.reject_needs_comment');
      out.hidden = false;
      comment.focus();
      return;
    }
    btn.disabled = true;
    try {
      const body = { decision };
      if (comment.value.trim()) body.comment = comment.value.trim();
      const { data } = await api('POST', `/approvals/${a.id}/decision`, { body });
      onDone(data);
    } catch (e) {
      if (e.status === 401) return;
      out.textContent = reasonText(e) || errorText(e);
      out.hidden = false;
    } finally { btn.disabled = false; }
  };
  const approve = h('button', { type: 'button', class: 'btn btn-primary btn-big', 'data-act': 'approve',
    onclick: () => decide('approve', approve) }, t('appr.approve'));
  const reject = h('button', { type: 'button', class: 'btn btn-big', 'data-act': 'reject',
    onclick: () => decide('reject', reject) }, t('appr.reject'));
  return h('article', { class: `card appr-card${overdue ? ' appr-overdue' : ''}`, 'data-id': a.id, 'data-kind': a.kind },
    h('h2', null, enumLabel('kind', a.kind), ' · ', a.customer_name || '', overdue ? overdueBadge('appr.overdue') : null),
    h('p', { class: 'appr-purpose' }, purposeText(a)),
    subjectBody(a),
    h('p', { class: 'hint' }, t('appr.requested', { who: a.requested_by_name || '', at: fmtTime(a.created_at) }),
      ' · ', t('appr.due', { at: fmtTime(a.decision_due_at) })),
    h('div', { class: 'field' }, h('label', { for: cid }, t('appr.comment')), comment),
    out,
    h('div', { class: 'actions appr-actions' }, approve, reject));
}

const approverOf = (a) => a.approver_user_name || (a.approver_role ? roleLabel(a.approver_role) : '');

// My own pending requests: someone else decides them (A-04), so they wait here without buttons.
function ownWaiting(items) {
  if (!items.length) return null;
  return h('section', { id: 'appr-own', class: 'card' }, h('h2', null, t('appr.own_waiting')),
    h('ul', { class: 'appr-lines' }, items.map((a) => h('li', { 'data-id': a.id },
      h('a', { href: `#/approvals/${a.id}` }, `${enumLabel('kind', a.kind)} · ${a.customer_name || ''} · ${purposeText(a)}`), ' ',
      h('span', { class: 'hint' }, t('appr.waiting_for', { who: approverOf(a) }))))));
}

// The inbox (待我审批): pending requests I may decide, oldest first (never my own, A-04), then
// my own requests waiting for their approver.
export async function approvalsView(main) {
  const [{ data }, { data: own }] = await Promise.all([
    api('GET', '/approvals', { query: { inbox: 'mine', sort: 'decision_due_at', limit: 100, expand: 'all' } }),
    api('GET', '/approvals', { query: { mine: 'true', status: 'pending', sort: 'decision_due_at', limit: 100, expand: 'all' } })]);
  if (!main.isCurrent()) return;
  const deciding = new Set(data.items.map((a) => a.id));
  const list = h('div', { id: 'appr-inbox', class: 'appr-list' });
  const status = h('p', { role: 'status', class: 'hint', 'aria-live': 'polite' });
  const fill = (items) => {
    clear(list);
    if (!items.length) list.append(h('p', { class: 'empty' }, t('appr.inbox_empty')));
    for (const a of items) {
      const card = approvalCard(a, (done) => {
        card.replaceWith(h('article', { class: 'card appr-done', 'data-id': a.id },
          h('p', null, purposeText(a), ' ', statusBadge(done.status))));
        status.textContent = t('appr.decided', { status: enumLabel('status', done.status) });
      });
      list.append(card);
    }
  };
  fill(data.items);
  const tools = h('div', { class: 'toolbar' },
    may(state.user, P.approvalFile) ? h('a', { href: '#/approvals/new', class: 'btn btn-primary', id: 'new-approval' }, t('appr.new')) : null,
    h('a', { href: '#/approvals/all', class: 'btn btn-quiet' }, t('appr.all')),
    may(state.user, P.approvalMatrix) ? h('a', { href: '#/approval-rules', class: 'btn btn-quiet' }, t('appr.matrix')) : null);
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('appr.inbox')), tools), status, list);
  const waiting = ownWaiting(own.items.filter((a) => !deciding.has(a.id)));
  if (waiting) main.append(waiting);
}

// Every request (newest first), with its state: a plain list, one line per request.
export async function approvalsAllView(main) {
  const { data } = await api('GET', '/approvals', { query: { limit: 100, expand: 'all' } });
  if (!main.isCurrent()) return;
  const now = nowIso();
  main.append(h('h1', null, t('appr.all')),
    data.items.length ? h('ul', { class: 'appr-lines', id: 'appr-all' }, data.items.map((a) => h('li', null,
      h('a', { href: `#/approvals/${a.id}` }, `${enumLabel('kind', a.kind)} · ${a.customer_name || ''} · ${purposeText(a)}`), ' ',
      statusBadge(a.status),
      a.status === 'pending' && a.decision_due_at < now ? overdueBadge('appr.overdue') : null)))
      : h('p', { class: 'empty' }, t('ui.list.empty')));
}

export async function approvalForm(main) {
  const fields = await fieldsOf('approval', APPROVAL_FORM);
  await entityForm(main, { ent: 'approval', path: '/approvals', fields, title: 'appr.new', back: '/approvals' });
}

export async function approvalView(main, id) {
  const { data: a } = await api('GET', `/approvals/${id}`, { query: { expand: 'all' } });
  if (!main.isCurrent()) return;
  // the requester does not decide their own request (A-04): it waits for its approver
  const own = a.requested_by && state.user && a.requested_by === state.user.id;
  const mine = a.status === 'pending' && !own;
  main.append(h('h1', null, t('appr.title'), ' ', statusBadge(a.status)));
  if (a.status === 'pending' && own) main.append(h('p', { class: 'hint', id: 'appr-waiting' }, t('appr.waiting_for', { who: approverOf(a) })));
  if (mine) {
    // the approver may decide here too; anyone else gets the server's refusal, translated
    main.append(approvalCard(a, () => go(`/approvals/${id}`)));
  } else {
    main.append(h('p', { class: 'appr-purpose' }, purposeText(a)), subjectBody(a));
  }
  main.append(detailList([
    [fieldLabel('approval', 'kind'), enumLabel('kind', a.kind)],
    [fieldLabel('approval', 'customer_id'), a.customer_name],
    [fieldLabel('approval', 'requested_by'), a.requested_by_name],
    [fieldLabel('approval', 'approver_role'), approverOf(a)],
    [fieldLabel('approval', 'decided_by'), a.decided_by_name],
    [fieldLabel('approval', 'decided_at'), fmtTime(a.decided_at)],
    [fieldLabel('approval', 'comment'), a.comment],
  ]));
}

// ---- department coordination ----

function coordRow(c, now) {
  const open = c.status === 'raised' || c.status === 'acknowledged';
  const overdue = open && c.due_at < now;
  const sid = nextId('st'), rid = nextId('rp');
  const sel = h('select', { id: sid, name: 'status' },
    (columnMeta('coordination', 'status')?.enum || []).map((s) => h('option', { value: s, selected: s === c.status }, enumLabel('status', s))));
  const reply = h('textarea', { id: rid, name: 'reply', rows: '2', maxlength: '4000' });
  reply.value = c.reply || '';
  const out = h('p', { role: 'status', class: 'hint' });
  let version = c.version;
  const save = h('button', { type: 'button', class: 'btn', onclick: async () => {
    save.disabled = true;
    try {
      const body = { status: sel.value };
      if (reply.value.trim() !== (c.reply || '')) body.reply = reply.value.trim();
      const r = await api('PATCH', `/coordination/${c.id}`, { body, ifMatch: `"${version}"` });
      version = r.data.version;
      c.reply = r.data.reply;
      out.textContent = t('coord.saved');
    } catch (e) {
      if (e.status !== 401) out.textContent = reasonText(e) || errorText(e);
    } finally { save.disabled = false; }
  } }, t('coord.save'));
  return h('article', { class: `card coord${overdue ? ' appr-overdue' : ''}`, 'data-id': c.id },
    h('h2', null, enumLabel('kind', c.kind), ' → ', c.department_name || '', overdue ? overdueBadge('coord.overdue') : null),
    h('p', null, c.subject),
    c.details ? h('p', { class: 'hint' }, c.details) : null,
    h('p', { class: 'hint' }, `${fieldLabel('coordination', 'due_at')}: ${fmtTime(c.due_at)}`,
      c.ticket_id ? [' · ', h('a', { href: `#/tickets/${c.ticket_id}` }, c.ticket_name || `#${c.ticket_id}`)] : null),
    h('div', { class: 'field' }, h('label', { for: sid }, fieldLabel('coordination', 'status')), sel),
    h('div', { class: 'field' }, h('label', { for: rid }, t('coord.reply')), reply),
    h('div', { class: 'actions' }, save), out);
}

export async function coordinationView(main) {
  const openOnly = main.params.get('all') !== '1';
  const query = { sort: 'due_at', limit: 100, expand: 'all' };
  if (openOnly) query.state = 'open';
  const { data } = await api('GET', '/coordination', { query });
  if (!main.isCurrent()) return;
  const now = nowIso();
  const tools = h('div', { class: 'toolbar' },
    may(state.user, P.coordRaise) ? h('a', { href: '#/coordination/new', class: 'btn btn-primary', id: 'new-coord' }, t('coord.new')) : null,
    h('a', { href: openOnly ? '#/coordination?all=1' : '#/coordination', class: 'btn btn-quiet' }, openOnly ? t('ui.list.any') : t('coord.open_only')));
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('coord.title')), tools),
    h('div', { id: 'coord-list' }, data.items.length ? data.items.map((c) => coordRow(c, now)) : h('p', { class: 'empty' }, t('coord.empty'))));
}

// The new request: due time as a local date-time picker, sent as UTC.
export async function coordinationForm(main) {
  const fields = await fieldsOf('coordination', ['kind',
    ['department_id', { title: 'field.coordination.department_id' }], 'subject', 'details',
    ['customer_id', { label: (r) => `${r.name} (${r.code})`, title: 'field.coordination.customer_id' }],
    ['ticket_id', { label: (r) => r.number || `#${r.id}`, title: 'field.coordination.ticket_id' }],
    'project_id', 'shipment_id', 'due_at']);
  await entityForm(main, { ent: 'coordination', path: '/coordination', fields, title: 'coord.new', back: '/coordination' });
  const due = main.querySelector('[name="due_at"]');
  if (due) {
    // a date-time picker; the form sends what the control holds, so keep a UTC text in it
    const pick = h('input', { type: 'datetime-local', id: 'fld-due_at-pick', 'aria-label': fieldLabel('coordination', 'due_at') });
    pick.addEventListener('change', () => { due.value = fromCompanyInput(pick.value); });
    due.type = 'hidden';
    due.after(pick);
  }
}

// ---- the approval matrix (admin and gm): one rule per kind, a role or a user, a deputy ----

const RULE_FORM = ['kind', 'approver_role',
  ['approver_user_id', { label: (r) => r.display_name || r.username, title: 'field.approval_rule.approver_user_id' }],
  ['deputy_user_id', { label: (r) => r.display_name || r.username, title: 'field.approval_rule.deputy_user_id' }],
  'approver_away', 'note'];

export async function approvalRulesView(main) {
  const { data } = await api('GET', '/approval-rules', { query: { limit: 100, expand: 'all' } });
  if (!main.isCurrent()) return;
  const who = (r) => r.approver_user_name || (r.approver_role ? roleLabel(r.approver_role) : '');
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('appr.matrix')),
    h('div', { class: 'toolbar' }, h('a', { href: '#/approval-rules/new', class: 'btn btn-primary', id: 'new-rule' }, t('appr.new_rule')))),
  h('p', { class: 'hint' }, t('appr.matrix_default')),
  h('ul', { class: 'appr-lines', id: 'appr-rules' }, data.items.map((r) => h('li', null,
    h('a', { href: `#/approval-rules/${r.id}` }, enumLabel('kind', r.kind)), ' — ', t('appr.to_role', { role: who(r) }),
    r.approver_away && r.deputy_user_name ? ` (${fieldLabel('approval_rule', 'deputy_user_id')}: ${r.deputy_user_name})` : ''))));
}

export async function approvalRuleForm(main, id) {
  const fields = await fieldsOf('approval_rule', RULE_FORM);
  await entityForm(main, { ent: 'approval_rule', path: '/approval-rules', fields, id,
    title: 'appr.matrix', back: '/approval-rules' });
}
