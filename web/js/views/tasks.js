// Follow-up tasks on the home screen (a department head's low survey scores, later kinds):
// the open ones, newest first, each with its ticket and a reply that marks it done.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, has, fmtTime } from '../i18n.js';
import { errorText } from '../app.js';

const SHOWN = 10;

export function tasksCard(user) {
  const card = h('section', { class: 'card', id: 'tasks', 'aria-labelledby': 'tasks-t', hidden: true },
    h('h2', { id: 'tasks-t' }, t('task.card')));
  load(card, user);
  return card;
}

async function load(card, user) {
  let page;
  try {
    page = (await api('GET', '/tasks', { query: { status: 'open', limit: SHOWN } })).data;
  } catch { return; } // the home page works without it
  const headOf = user.roles.includes('dept_head');
  if (!page.items.length && !headOf) return;
  card.hidden = false;
  const list = h('ul', { class: 'mini tasks-list' });
  if (!page.items.length) card.append(h('p', { class: 'empty', id: 'tasks-none' }, t('task.none')));
  else card.append(list);
  for (const k of page.items) list.append(item(k));
  if (page.total > page.items.length) card.append(h('p', { class: 'muted' }, t('task.more', { n: page.total - page.items.length })));
}

function item(k) {
  const kind = has(`task.kind.${k.kind}`) ? t(`task.kind.${k.kind}`) : k.kind;
  const msg = h('div', { role: 'status', 'aria-live': 'polite' });
  const rid = nextId('task');
  const reply = h('textarea', { id: rid, name: 'reply', rows: '2', maxlength: '2000', required: true });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary' }, t('task.done'));
  const li = h('li', { class: 'task', 'data-task': String(k.id), 'data-kind': k.kind },
    h('p', null, h('strong', null, kind), ' ',
      k.ticket_id ? h('a', { href: `#/tickets/${k.ticket_id}` }, k.ticket_number || `#${k.ticket_id}`) : null, ' ',
      h('time', { class: 'muted', datetime: k.created_at }, fmtTime(k.created_at)),
      k.due_at ? h('span', { class: 'badge task-due' }, t('task.due', { at: fmtTime(k.due_at) })) : null,
      k.overdue ? [' ', h('span', { class: 'badge badge-overdue' }, t('task.overdue'))] : null,
      k.source === 'phone_record' ? [' ', h('a', { href: `#/phone-records/${k.source_id}` }, t('tel.title'))] : null,
      k.source === 'rma' ? [' ', h('a', { href: `#/rmas/${k.source_id}` }, t('rma.nav.rmas'))] : null),
    k.body ? h('p', { class: 'description' }, k.body) : null,
    h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (!reply.value.trim()) { reply.setAttribute('aria-invalid', 'true'); reply.focus(); return; }
      ok.disabled = true;
      try {
        await api('POST', `/tasks/${k.id}/done`, { body: { reply: reply.value.trim() } });
        clear(li).append(h('p', { class: 'alert alert-info' }, `${kind} · ${t('task.done_ok')}`));
      } catch (x) {
        ok.disabled = false;
        clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
      }
    } }, msg, h('div', { class: 'field' }, h('label', { for: rid }, t('task.reply')), reply), h('div', { class: 'actions' }, ok)));
  return li;
}
