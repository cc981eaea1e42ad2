// Notifications (issue 15 item 1): the outbox with its delivery state, filters by state and
// channel, a retry for dead, failed and skipped messages, and a test message per channel.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { errorText } from '../app.js';

const STATES = ['pending', 'sending', 'sent', 'failed', 'held', 'dead', 'skipped'];
const CHANNELS = ['email', 'sms', 'wecom', 'dingtalk', 'webhook', 'phone', 'letter'];
const SENDABLE = CHANNELS.slice(0, 5);
const RETRYABLE = new Set(['dead', 'failed', 'skipped']);

function select(id, label, values, prefix, value) {
  const s = h('select', { id, name: id },
    h('option', { value: '' }, t('notify.any')),
    ...values.map((v) => h('option', { value: v, selected: v === value }, t(`${prefix}.${v}`))));
  return [h('div', { class: 'field' }, h('label', { for: id }, label), s), s];
}

export async function notificationsView(main) {
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const [stateField, stateSel] = select('nt-state', t('notify.state'), STATES, 'notify.st', q.get('state') || '');
  const [chanField, chanSel] = select('nt-channel', t('notify.channel'), CHANNELS, 'notify.ch', q.get('channel') || '');
  const msg = h('div', { role: 'status', 'aria-live': 'polite' });
  const body = h('tbody');
  const table = h('table', { class: 'table', id: 'notifications' },
    h('thead', null, h('tr', null, ...['created_at', 'channel', 'address', 'subject', 'state', 'attempts', 'last_error', 'action']
      .map((k) => h('th', { scope: 'col' }, t(`notify.col.${k}`))))), body);
  const apply = () => {
    const p = new URLSearchParams();
    if (stateSel.value) p.set('state', stateSel.value);
    if (chanSel.value) p.set('channel', chanSel.value);
    location.hash = '#/notifications' + (p.toString() ? `?${p}` : '');
  };
  stateSel.addEventListener('change', apply);
  chanSel.addEventListener('change', apply);
  main.append(h('h1', null, t('notify.title')),
    h('p', { class: 'hint' }, t('notify.intro')),
    h('p', null, h('a', { href: '#/notify-templates' }, t('tpl.title')), ' · ', h('a', { href: '#/notify-channels' }, t('tpl.ch.title'))),
    h('div', { class: 'filters' }, stateField, chanField), msg, table, testCard());
  let page;
  try {
    page = (await api('GET', '/notifications', { query: { state: q.get('state') || undefined, channel: q.get('channel') || undefined, cursor: q.get('cursor') || undefined, limit: 100 } })).data;
  } catch (x) {
    msg.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
    return;
  }
  if (!page.items.length) body.append(h('tr', null, h('td', { colspan: '8', class: 'empty' }, t('notify.none'))));
  for (const r of page.items) body.append(row(r, msg));
  // newest first, 100 a page: the older ones follow (cursor paging of the API)
  if (page.next_cursor) {
    const p = new URLSearchParams(q);
    p.set('cursor', page.next_cursor);
    table.after(h('p', null, h('a', { class: 'btn btn-quiet', id: 'nt-older', href: `#/notifications?${p}` }, t('notify.older'))));
  }
}

function row(r, msg) {
  const stateCell = h('td', { class: 'nt-state' }, t(`notify.st.${r.state}`));
  const errCell = h('td', { class: 'muted' }, r.last_error || '');
  const attempts = h('td', null, String(r.attempts));
  const act = h('td');
  if (RETRYABLE.has(r.state)) {
    const btn = h('button', { type: 'button', class: 'btn', 'data-retry': String(r.id) }, t('notify.retry'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const n = (await api('POST', `/notifications/${r.id}/retry`)).data;
        stateCell.textContent = t(`notify.st.${n.state}`);
        attempts.textContent = String(n.attempts);
        clear(act);
        clear(msg).append(h('p', { class: 'alert alert-info' }, t('notify.retried')));
      } catch (x) {
        btn.disabled = false;
        clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
      }
    });
    act.append(btn);
  }
  if (r.channel === 'letter') {
    const pr = h('button', { type: 'button', class: 'btn', 'data-print': String(r.id) }, t('notify.print'));
    pr.addEventListener('click', async () => {
      window.open(`/api/v1/notifications/${r.id}/letter`, '_blank', 'noopener');
      try {
        const n = (await api('POST', `/notifications/${r.id}/printed`)).data;
        stateCell.textContent = t(`notify.st.${n.state}`);
        clear(msg).append(h('p', { class: 'alert alert-info' }, t('notify.printed')));
      } catch (x) {
        clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
      }
    });
    act.append(pr);
  }
  return h('tr', { 'data-id': String(r.id), 'data-state': r.state },
    h('td', null, h('time', { datetime: r.created_at }, fmtTime(r.created_at))),
    h('td', null, t(`notify.ch.${r.channel}`)),
    h('td', null, r.address || r.recipient || ''),
    h('td', null, r.subject),
    stateCell, attempts, errCell, act);
}

function testCard() {
  const cid = nextId('nt');
  const tid = nextId('nt');
  const chan = h('select', { id: cid, name: 'channel' }, ...SENDABLE.map((v) => h('option', { value: v }, t(`notify.ch.${v}`))));
  const to = h('input', { id: tid, name: 'to', maxlength: '200' });
  const out = h('div', { role: 'status', 'aria-live': 'polite' });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary' }, t('notify.test_send'));
  return h('section', { class: 'card', 'aria-labelledby': 'nt-test-t' },
    h('h2', { id: 'nt-test-t' }, t('notify.test')),
    h('p', { class: 'hint' }, t('notify.test_hint')),
    h('form', { class: 'form', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      ok.disabled = true;
      try {
        const body = { channel: chan.value };
        if (to.value.trim()) body.to = to.value.trim();
        const n = (await api('POST', '/notifications/test', { body })).data;
        clear(out).append(h('p', { class: 'alert alert-info' }, t('notify.test_queued', { id: n.id })));
      } catch (x) {
        clear(out).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
      } finally {
        ok.disabled = false;
      }
    } }, out,
    h('div', { class: 'field' }, h('label', { for: cid }, t('notify.channel')), chan),
    h('div', { class: 'field' }, h('label', { for: tid }, t('notify.test_to')), to),
    h('div', { class: 'actions' }, ok)));
}
