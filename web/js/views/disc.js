// The department's discipline (issue 18 item 7; docs/discipline.md): spot checks and patrols
// with the problems found (#/spot-checks), the corrective-action follow-up list that works on a
// phone (#/corrective-actions), staff training sessions and one's own training history
// (#/staff-trainings, #/my-training), conduct complaints for the heads (#/conduct-complaints)
// and suggestions to a superior (#/suggestions). Enums come from GET /api/v1/meta; the server
// decides every step (a refused one shows its reason).
import { h } from '../dom.js';
import { api } from '../api.js';
import { t, has, fmtDate, fmtTime, fieldLabel, today } from '../i18n.js';
import { columnMeta, routeRoles } from '../meta.js';
import { detailList } from './common.js';
import { listView } from './list.js';
import { entityForm, fieldsOf } from './forms.js';
import { errorText, go, state } from '../app.js';

// the label of value v of one of this page's enums (disc.<group>.<v>)
export function dl(group, v) {
  if (v === null || v === undefined || v === '') return '';
  const k = `disc.${group}.${v}`;
  return has(k) ? t(k) : String(v);
}

const heads = () => routeRoles('POST', '/api/v1/spot-checks');
const isHead = () => !!state.user && state.user.roles.some((r) => heads().has(r));
const opts = (ent, col, group) => (columnMeta(ent, col)?.enum || []).map((v) => [v, dl(group, v)]);
const alertBox = (id) => h('p', { class: 'alert alert-error', role: 'alert', id, hidden: true });
function showErr(box, e) {
  box.hidden = false;
  if (e?.reason === 'illegal_action' && Array.isArray(e.params?.allowed)) {
    box.textContent = t('disc.ca.illegal', { allowed: e.params.allowed.map((a) => dl('act', a)).join('、') || '—' });
  } else {
    box.textContent = errorText(e);
  }
}
const overdue = (r) => (r.state === 'open' || r.state === 'in_progress') && r.due_date < today();
const stateBadge = (r) => h('span', { class: `badge badge-st badge-ca-${r.state}`, 'data-ca-state': r.state }, dl('state', r.state));
const overdueBadge = (r) => (overdue(r) ? h('span', { class: 'badge badge-late', 'data-overdue': '1' }, t('disc.ca.overdue')) : null);

// a lookup of users shows their names (users have no code and no search)
function userLookup(f) {
  f.source = '/users';
  f.map = (u) => ({ id: u.id, name: u.display_name || u.username });
}

// ---- spot checks and patrols ----

const SC_FORM = ['kind', 'checked_on', 'subject',
  ['staff_user_id', { label: (r) => r.display_name || r.username, title: 'field.spot_check.staff_user_id' }],
  ['ticket_id', { label: (r) => r.number || `#${r.id}`, title: 'field.spot_check.ticket_id' }],
  ['site_id', { title: 'field.spot_check.site_id' }], 'work_order_id', 'summary', 'finding'];

export async function spotChecksView(main) {
  return listView(main, {
    title: t('disc.sc.title'),
    path: '/spot-checks',
    hashPath: '/spot-checks',
    expand: 'all',
    defaultSort: '-checked_on',
    filters: [{ name: 'kind', label: fieldLabel('spot_check', 'kind'), options: opts('spot_check', 'kind', 'kind') },
      { name: 'subject', label: fieldLabel('spot_check', 'subject'), options: opts('spot_check', 'subject', 'subject') }],
    actions: [h('a', { href: '#/spot-checks/new', class: 'btn btn-primary', id: 'new-spot-check' }, t('disc.sc.new')),
      h('a', { href: '#/corrective-actions', class: 'btn' }, t('disc.nav.actions'))],
    rowLink: (r) => `#/spot-checks/${r.id}`,
    columns: [
      { label: fieldLabel('spot_check', 'summary'), key: 'summary' },
      { label: fieldLabel('spot_check', 'checked_on'), render: (r) => fmtDate(r.checked_on), sort: 'checked_on' },
      { label: fieldLabel('spot_check', 'kind'), render: (r) => dl('kind', r.kind) },
      { label: fieldLabel('spot_check', 'subject'), render: (r) => subjectText(r) },
      { label: fieldLabel('spot_check', 'inspector_id'), render: (r) => r.inspector_name || '' },
    ],
  });
}

function subjectText(r) {
  const ref = r.subject === 'technician' ? r.staff_user_name : r.subject === 'ticket' ? r.ticket_name
    : r.subject === 'site' ? r.site_name : r.subject === 'work_order' && r.work_order_id ? `#${r.work_order_id}` : '';
  return [dl('subject', r.subject), ref].filter(Boolean).join(' · ');
}

export async function spotCheckForm(main, id) {
  const fields = await fieldsOf('spot_check', SC_FORM);
  const wo = fields.find((f) => f.name === 'work_order_id');
  wo.kind = 'number'; // work orders have no lookup list: the number is typed
  userLookup(fields.find((f) => f.name === 'staff_user_id'));
  return entityForm(main, { ent: 'spot_check', path: '/spot-checks', fields, id,
    title: id ? 'disc.sc.edit' : 'disc.sc.new', back: id ? `/spot-checks/${id}` : '/spot-checks' });
}

export async function spotCheckView(main, id) {
  let sc, cas;
  try {
    [{ data: sc }, { data: cas }] = await Promise.all([
      api('GET', `/spot-checks/${id}`, { query: { expand: 'all' } }),
      api('GET', '/corrective-actions', { query: { spot_check_id: id, expand: 'owner_id', limit: 200, sort: 'id' } })]);
  } catch (e) {
    main.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  main.append(h('div', { class: 'page-head' }, h('h1', null, dl('kind', sc.kind), ' · ', fmtDate(sc.checked_on)),
    h('div', { class: 'toolbar' }, h('a', { href: `#/spot-checks/${id}/edit`, class: 'btn' }, t('ui.edit')))),
  h('section', { class: 'card' }, detailList([
    [fieldLabel('spot_check', 'subject'), subjectText(sc)],
    [fieldLabel('spot_check', 'inspector_id'), sc.inspector_name],
    [fieldLabel('spot_check', 'summary'), sc.summary],
    [fieldLabel('spot_check', 'finding'), sc.finding]])),
  h('section', { class: 'card', id: 'sc-problems' }, h('h2', null, t('disc.sc.problems')),
    cas.items.length ? h('ul', { class: 'plain ca-list' }, cas.items.map((r) => caCard(r, () => render())))
      : h('p', { class: 'empty' }, t('disc.sc.no_problems'))),
  problemForm(id));
  function render() { go(`/spot-checks/${id}`); }
}

// the head adds a problem with its corrective action, owner and due date
function problemForm(scId) {
  const err = alertBox('ca-new-error');
  const problem = h('textarea', { id: 'ca-problem', rows: '2', maxlength: '2000', required: true });
  const action = h('textarea', { id: 'ca-action', rows: '2', maxlength: '2000', required: true });
  const owner = h('select', { id: 'ca-owner', required: true }, h('option', { value: '' }, t('ui.form.choose')));
  const due = h('input', { id: 'ca-due', type: 'date', required: true });
  api('GET', '/users', { query: { active: 'true', limit: 200, sort: 'display_name' } }).then(({ data }) => {
    for (const u of data.items) {
      if (u.roles.split(',').some((r) => r === 'customer' || r === 'dealer')) continue;
      owner.append(h('option', { value: String(u.id) }, u.display_name || u.username));
    }
  }).catch(() => {});
  const f = (label, input) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  const btn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'ca-add' }, t('disc.sc.add_problem'));
  return h('form', { class: 'card form', id: 'ca-new', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    btn.disabled = true;
    try {
      await api('POST', '/corrective-actions', { body: { spot_check_id: Number(scId), problem: problem.value.trim(),
        action: action.value.trim(), owner_id: owner.value ? Number(owner.value) : null, due_date: due.value || null } });
      go(`/spot-checks/${scId}`);
    } catch (x) {
      showErr(err, x);
    } finally {
      btn.disabled = false;
    }
  } }, h('h2', null, t('disc.sc.add_problem')), err,
  h('div', { class: 'grid' }, f(fieldLabel('corrective_action', 'problem'), problem),
    f(fieldLabel('corrective_action', 'action'), action), f(fieldLabel('corrective_action', 'owner_id'), owner),
    f(fieldLabel('corrective_action', 'due_date'), due)),
  h('div', { class: 'actions' }, btn));
}

// ---- corrective actions: the follow-up list (a card per action, usable on a phone) ----

// the steps a state offers; the server's table decides (a refused step shows why)
const STEPS = { open: ['start', 'finish'], in_progress: ['finish'], done: ['verify', 'reopen'] };
const HEAD_STEPS = new Set(['verify', 'reopen']);

function caCard(r, refresh) {
  const err = alertBox(`ca-err-${r.id}`);
  const note = h('input', { id: `ca-note-${r.id}`, type: 'text', maxlength: '2000', placeholder: t('disc.ca.note_hint'),
    'aria-label': fieldLabel('corrective_action', 'done_note') });
  const mine = state.user && r.owner_id === state.user.id;
  const steps = (STEPS[r.state] || []).filter((a) => (HEAD_STEPS.has(a) ? isHead() : mine || isHead()));
  const buttons = steps.map((a) => h('button', { type: 'button', class: a === 'verify' || a === 'finish' ? 'btn btn-primary' : 'btn',
    'data-step': a, onclick: async (e) => {
      e.target.disabled = true;
      try {
        await api('POST', `/corrective-actions/${r.id}/actions`, { body: a === 'finish' && note.value.trim() ? { action: a, note: note.value.trim() } : { action: a } });
        refresh();
      } catch (x) {
        showErr(err, x);
        e.target.disabled = false;
      }
    } }, dl('act', a)));
  return h('li', { class: 'card ca-card', 'data-ca-id': r.id },
    h('p', null, stateBadge(r), overdueBadge(r), ' ', h('strong', null, r.problem)),
    detailList([[fieldLabel('corrective_action', 'action'), r.action],
      [fieldLabel('corrective_action', 'owner_id'), r.owner_name || `#${r.owner_id}`],
      [fieldLabel('corrective_action', 'due_date'), fmtDate(r.due_date)],
      r.done_note ? [fieldLabel('corrective_action', 'done_note'), r.done_note] : null,
      r.verified_at ? [fieldLabel('corrective_action', 'verified_at'), fmtTime(r.verified_at)] : null].filter(Boolean)),
    err,
    steps.includes('finish') ? note : null,
    buttons.length ? h('div', { class: 'actions' }, buttons) : null,
    h('a', { href: `#/spot-checks/${r.spot_check_id}`, class: 'hint' }, t('disc.ca.to_check')));
}

export async function correctiveActionsView(main) {
  const p = main.params;
  const view = p.get('view') || (isHead() ? 'open' : 'mine');
  const tabs = [['open', t('disc.ca.tab_open')], ['overdue', t('disc.ca.tab_overdue')], ['mine', t('disc.ca.tab_mine')], ['all', t('disc.ca.tab_all')]];
  const nav = h('nav', { class: 'tabs', 'aria-label': t('disc.ca.title') }, tabs.map(([v, label]) =>
    h('a', { href: `#/corrective-actions?view=${v}`, class: 'btn' + (v === view ? ' btn-primary' : ''), 'aria-current': v === view ? 'page' : null, 'data-view': v }, label)));
  const list = h('ul', { class: 'plain ca-list', id: 'ca-list' });
  const status = h('p', { class: 'list-status', role: 'status' }, t('ui.loading'));
  main.append(h('h1', null, t('disc.ca.title')), nav, status, list);
  const query = { expand: 'owner_id', limit: 200, sort: 'due_date' };
  if (view !== 'all') query[view] = 'true';
  let data;
  try {
    ({ data } = await api('GET', '/corrective-actions', { query }));
  } catch (e) {
    status.textContent = errorText(e);
    return;
  }
  if (!main.isCurrent()) return;
  status.textContent = t('ui.list.total', { n: data.total });
  if (!data.items.length) list.append(h('li', { class: 'empty' }, t('ui.list.empty')));
  for (const r of data.items) list.append(caCard(r, () => go('/corrective-actions', { view })));
}

// ---- staff training ----

const TR_FORM = ['category', 'title', 'held_on',
  ['trainer_id', { label: (r) => r.display_name || r.username, title: 'field.staff_training.trainer_id' }],
  'external_trainer', 'hours', 'location', 'content'];

export async function trainingsView(main) {
  return listView(main, {
    title: t('disc.tr.title'),
    path: '/staff-trainings',
    hashPath: '/staff-trainings',
    expand: 'all',
    defaultSort: '-held_on',
    filters: [{ name: 'category', label: fieldLabel('staff_training', 'category'), options: opts('staff_training', 'category', 'tcat') }],
    actions: isHead() ? [h('a', { href: '#/staff-trainings/new', class: 'btn btn-primary', id: 'new-training' }, t('disc.tr.new'))] : null,
    rowLink: (r) => `#/staff-trainings/${r.id}`,
    columns: [
      { label: fieldLabel('staff_training', 'title'), key: 'title' },
      { label: fieldLabel('staff_training', 'held_on'), render: (r) => fmtDate(r.held_on), sort: 'held_on' },
      { label: fieldLabel('staff_training', 'category'), render: (r) => dl('tcat', r.category) },
      { label: fieldLabel('staff_training', 'trainer_id'), render: (r) => r.trainer_name || r.external_trainer || '' },
    ],
  });
}

export async function trainingForm(main, id) {
  const fields = await fieldsOf('staff_training', TR_FORM);
  userLookup(fields.find((f) => f.name === 'trainer_id'));
  await entityForm(main, { ent: 'staff_training', path: '/staff-trainings', fields, id,
    title: id ? 'disc.tr.edit' : 'disc.tr.new', back: '/staff-trainings' });
  if (id && main.isCurrent()) await attendanceSection(main, id);
}

export async function trainingView(main, id) {
  if (isHead()) return trainingForm(main, id);
  const { data: tr } = await api('GET', `/staff-trainings/${id}`, { query: { expand: 'all' } });
  if (!main.isCurrent()) return;
  main.append(h('h1', null, tr.title), h('section', { class: 'card' }, detailList([
    [fieldLabel('staff_training', 'category'), dl('tcat', tr.category)],
    [fieldLabel('staff_training', 'held_on'), fmtDate(tr.held_on)],
    [fieldLabel('staff_training', 'trainer_id'), tr.trainer_name || tr.external_trainer],
    [fieldLabel('staff_training', 'location'), tr.location],
    [fieldLabel('staff_training', 'content'), tr.content]])));
}

const resultText = (r) => (r.attended ? [dl('result', r.result), r.score != null ? ` ${r.score}` : ''].join('') : t('disc.tr.absent'));

async function attendanceSection(main, id) {
  const { data } = await api('GET', '/training-attendances', { query: { training_id: id, expand: 'user_id', limit: 500, sort: 'id' } });
  if (!main.isCurrent()) return;
  const err = alertBox('at-error');
  const user = h('select', { id: 'at-user', required: true }, h('option', { value: '' }, t('ui.form.choose')));
  api('GET', '/users', { query: { active: 'true', limit: 200, sort: 'display_name' } }).then(({ data: us }) => {
    for (const u of us.items) {
      if (u.roles.split(',').some((r) => r === 'customer' || r === 'dealer')) continue;
      user.append(h('option', { value: String(u.id) }, u.display_name || u.username));
    }
  }).catch(() => {});
  const attended = h('input', { id: 'at-attended', type: 'checkbox', checked: true });
  const result = h('select', { id: 'at-result' }, opts('training_attendance', 'result', 'result').map(([v, l]) => h('option', { value: v }, l)));
  const score = h('input', { id: 'at-score', type: 'number', min: '0', max: '100' });
  const f = (label, input) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  main.append(h('section', { class: 'card', id: 'attendance' }, h('h2', null, t('disc.tr.attendance'), ' ', h('span', { class: 'count' }, String(data.total))),
    data.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
      h('thead', null, h('tr', null, [fieldLabel('training_attendance', 'user_id'), fieldLabel('training_attendance', 'result'), fieldLabel('training_attendance', 'note')].map((l) => h('th', { scope: 'col' }, l)))),
      h('tbody', null, data.items.map((r) => h('tr', null, h('td', null, r.user_name || `#${r.user_id}`), h('td', null, resultText(r)), h('td', null, r.note || '')))))) : h('p', { class: 'empty' }, t('ui.list.empty')),
    h('form', { class: 'form', id: 'at-new', onsubmit: async (e) => {
      e.preventDefault();
      err.hidden = true;
      const body = { training_id: Number(id), user_id: user.value ? Number(user.value) : null, attended: attended.checked };
      if (attended.checked) {
        body.result = result.value;
        if (score.value !== '') body.score = Number(score.value);
      }
      try {
        await api('POST', '/training-attendances', { body });
        go(`/staff-trainings/${id}`);
      } catch (x) {
        showErr(err, x);
      }
    } }, err, h('div', { class: 'grid' }, f(fieldLabel('training_attendance', 'user_id'), user),
      h('div', { class: 'field field-check' }, attended, h('label', { for: 'at-attended' }, fieldLabel('training_attendance', 'attended'))),
      f(fieldLabel('training_attendance', 'result'), result), f(fieldLabel('training_attendance', 'score'), score)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('disc.tr.add'))))));
}

export async function myTrainingView(main) {
  return listView(main, {
    title: t('disc.tr.mine'),
    path: '/training-attendances',
    hashPath: '/my-training',
    expand: 'all',
    defaultSort: '-id',
    filters: [{ name: 'mine', label: t('disc.tr.whose'), options: [['true', t('disc.tr.only_mine')]] }],
    rowLink: (r) => `#/staff-trainings/${r.training_id}`,
    columns: [
      { label: fieldLabel('training_attendance', 'training_id'), render: (r) => r.training_name || `#${r.training_id}` },
      { label: fieldLabel('training_attendance', 'user_id'), render: (r) => r.user_name || '' },
      { label: fieldLabel('training_attendance', 'result'), render: resultText },
      { label: fieldLabel('training_attendance', 'note'), key: 'note' },
    ],
  });
}

// ---- conduct complaints (the heads only) ----

const CC_FORM = [['staff_user_id', { label: (r) => r.display_name || r.username, title: 'field.conduct_complaint.staff_user_id' }],
  'category', 'source', 'occurred_on', ['customer_id', { label: (r) => `${r.name} (${r.code})`, title: 'field.conduct_complaint.customer_id' }],
  'description', 'status', 'investigation', 'outcome', 'action_taken'];

export async function conductView(main) {
  const report = h('section', { class: 'card', id: 'conduct-report' });
  await listView(main, {
    title: t('disc.cc.title'),
    path: '/conduct-complaints',
    hashPath: '/conduct-complaints',
    expand: 'all',
    defaultSort: '-occurred_on',
    filters: [{ name: 'category', label: fieldLabel('conduct_complaint', 'category'), options: opts('conduct_complaint', 'category', 'ccat') },
      { name: 'status', label: fieldLabel('conduct_complaint', 'status'), options: opts('conduct_complaint', 'status', 'ccst') }],
    actions: [h('a', { href: '#/conduct-complaints/new', class: 'btn btn-primary', id: 'new-complaint' }, t('disc.cc.new'))],
    rowLink: (r) => `#/conduct-complaints/${r.id}`,
    columns: [
      { label: fieldLabel('conduct_complaint', 'staff_user_id'), render: (r) => r.staff_user_name || `#${r.staff_user_id}` },
      { label: fieldLabel('conduct_complaint', 'category'), render: (r) => dl('ccat', r.category) },
      { label: fieldLabel('conduct_complaint', 'source'), render: (r) => dl('source', r.source) },
      { label: fieldLabel('conduct_complaint', 'occurred_on'), render: (r) => fmtDate(r.occurred_on), sort: 'occurred_on' },
      { label: fieldLabel('conduct_complaint', 'status'), render: (r) => dl('ccst', r.status) },
      { label: fieldLabel('conduct_complaint', 'outcome'), render: (r) => dl('outcome', r.outcome) },
    ],
  });
  if (!main.isCurrent()) return;
  main.append(report);
  const { data } = await api('GET', '/reports/conduct');
  if (!main.isCurrent()) return;
  const cols = columnMeta('conduct_complaint', 'category')?.enum || [];
  report.append(h('h2', null, t('disc.cc.report')), data.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, fieldLabel('conduct_complaint', 'staff_user_id')),
      cols.map((c) => h('th', { scope: 'col' }, dl('ccat', c))), h('th', { scope: 'col' }, t('disc.cc.total')), h('th', { scope: 'col' }, t('disc.cc.open')))),
    h('tbody', null, data.items.map((r) => h('tr', { 'data-staff': r.staff_user_id }, h('th', { scope: 'row' }, r.name),
      cols.map((c) => h('td', { 'data-label': dl('ccat', c) }, String(r[c]))),
      h('td', { 'data-label': t('disc.cc.total') }, String(r.total)), h('td', { 'data-label': t('disc.cc.open') }, String(r.open))))))) : h('p', { class: 'empty' }, t('ui.list.empty')));
}

export async function conductForm(main, id) {
  const fields = await fieldsOf('conduct_complaint', CC_FORM);
  userLookup(fields.find((f) => f.name === 'staff_user_id'));
  main.append(h('p', { class: 'hint' }, t('disc.cc.private')));
  return entityForm(main, { ent: 'conduct_complaint', path: '/conduct-complaints', fields, id,
    title: id ? 'disc.cc.edit' : 'disc.cc.new', back: '/conduct-complaints' });
}

// ---- suggestions ----

export async function suggestionsView(main) {
  return listView(main, {
    title: t('disc.sg.title'),
    path: '/suggestions',
    hashPath: '/suggestions',
    expand: 'all',
    defaultSort: '-id',
    filters: [{ name: 'status', label: fieldLabel('suggestion', 'status'), options: opts('suggestion', 'status', 'sgst') },
      { name: 'inbox', label: t('disc.sg.box'), options: [['true', t('disc.sg.inbox')]] }],
    actions: [h('a', { href: '#/suggestions/new', class: 'btn btn-primary', id: 'new-suggestion' }, t('disc.sg.new'))],
    rowLink: (r) => `#/suggestions/${r.id}`,
    columns: [
      { label: fieldLabel('suggestion', 'title'), key: 'title' },
      { label: fieldLabel('suggestion', 'author_id'), render: (r) => r.author_name || '' },
      { label: fieldLabel('suggestion', 'addressee_id'), render: (r) => r.addressee_name || '' },
      { label: fieldLabel('suggestion', 'status'), render: (r) => dl('sgst', r.status) },
      { label: fieldLabel('suggestion', 'created_at'), render: (r) => fmtTime(r.created_at), sort: 'created_at' },
    ],
  });
}

export async function suggestionForm(main) {
  const err = alertBox('sg-error');
  const to = h('select', { id: 'sg-to', required: true }, h('option', { value: '' }, t('ui.form.choose')));
  const title = h('input', { id: 'sg-title', type: 'text', maxlength: '200', required: true });
  const body = h('textarea', { id: 'sg-body', rows: '5', maxlength: '4000', required: true });
  const f = (label, input) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  main.append(h('h1', null, t('disc.sg.new')), h('form', { class: 'card form', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    try {
      const r = await api('POST', '/suggestions', { body: { addressee_id: to.value ? Number(to.value) : null, title: title.value.trim(), body: body.value.trim() } });
      go(`/suggestions/${r.data.id}`);
    } catch (x) {
      showErr(err, x);
    }
  } }, err, h('div', { class: 'grid' }, f(fieldLabel('suggestion', 'addressee_id'), to), f(fieldLabel('suggestion', 'title'), title), f(fieldLabel('suggestion', 'body'), body)),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('disc.sg.send')),
    h('a', { href: '#/suggestions', class: 'btn btn-quiet' }, t('ui.cancel')))));
  const { data } = await api('GET', '/suggestion-addressees');
  for (const u of data.items) to.append(h('option', { value: String(u.id) }, u.name));
}

export async function suggestionView(main, id) {
  let s;
  try {
    ({ data: s } = await api('GET', `/suggestions/${id}`, { query: { expand: 'all' } }));
  } catch (e) {
    main.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  main.append(h('h1', null, s.title), h('section', { class: 'card', id: 'sg-detail' }, detailList([
    [fieldLabel('suggestion', 'author_id'), s.author_name],
    [fieldLabel('suggestion', 'addressee_id'), s.addressee_name],
    [fieldLabel('suggestion', 'created_at'), fmtTime(s.created_at)],
    [fieldLabel('suggestion', 'body'), s.body],
    [fieldLabel('suggestion', 'status'), dl('sgst', s.status)],
    [fieldLabel('suggestion', 'reply'), s.reply],
    [fieldLabel('suggestion', 'replied_at'), fmtTime(s.replied_at)]])));
  if (s.status !== 'submitted' || !state.user || s.addressee_id !== state.user.id) return;
  const err = alertBox('sg-reply-error');
  const decision = h('select', { id: 'sg-decision', required: true },
    opts('suggestion', 'status', 'sgst').filter(([v]) => v !== 'submitted').map(([v, l]) => h('option', { value: v }, l)));
  const reply = h('textarea', { id: 'sg-reply', rows: '3', maxlength: '4000' });
  main.append(h('form', { class: 'card form', id: 'sg-reply-form', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    try {
      await api('POST', `/suggestions/${id}/reply`, { body: { status: decision.value, reply: reply.value.trim() } });
      go(`/suggestions/${id}`);
    } catch (x) {
      showErr(err, x);
    }
  } }, h('h2', null, t('disc.sg.reply')), err,
  h('div', { class: 'grid' }, h('div', { class: 'field' }, h('label', { for: 'sg-decision' }, fieldLabel('suggestion', 'status')), decision),
    h('div', { class: 'field' }, h('label', { for: 'sg-reply' }, fieldLabel('suggestion', 'reply')), reply)),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('disc.sg.send_reply')))));
}

