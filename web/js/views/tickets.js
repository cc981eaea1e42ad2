// Queues (mine, unassigned, at risk, breached, department, open) and the
// ticket page: timeline, allowed actions, comments, calls, attachments,
// warranty basis and SLA targets with live countdowns.
import { h, clear, nextId, append } from '../dom.js';
import { api, apiUpload } from '../api.js';
import { t, fmtTime, fmtDate, fmtNumber, currentLocale } from '../i18n.js';
import { state, go, render, errorText } from '../app.js';
import { may, P, isExternal } from '../policy.js';
import { listView } from './list.js';
import { detailList } from './common.js';
import { technicianPicker } from './picker.js';
import { TYPES, STATUSES, PRIORITIES, tl, statusBadge, slaBadge, countdown, fmtDuration } from './tk.js';

export const QUEUES = ['mine', 'unassigned', 'at_risk', 'breached', 'department', 'open'];

function dueCell(r) {
  if (!r.next_due_at || ['resolved', 'closed', 'cancelled'].includes(r.status)) return '';
  return countdown((Date.parse(r.next_due_at) - Date.now()) / 1000, r.next_due_at);
}

export function queuesView(main) {
  const p = main.params;
  if (!p.get('queue')) p.set('queue', state.user.roles.includes('technician') ? 'mine' : 'unassigned');
  const cur = p.get('queue');
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('ui.queue.label') }, h('ul', null, QUEUES.map((q) =>
    h('li', null, h('a', { href: `#/queues?queue=${q}`, 'aria-current': q === cur ? 'page' : null, 'data-queue': q }, t(`ui.queue.${q}`))))));
  main.append(tabs);
  return listView(main, {
    title: t('ui.queue.title', { queue: t(`ui.queue.${cur}`) }),
    path: '/tickets',
    hashPath: '/queues',
    expand: 'customer_id,assignee_id',
    searchHint: t('ui.queue.search_hint'),
    rowLink: (r) => `#/tickets/${r.id}`,
    actions: may(state.user, P.intake) ? h('a', { href: '#/intake', class: 'btn btn-primary' }, t('ui.nav.intake')) : null,
    filters: [
      { name: 'queue', label: t('ui.queue.label'), options: QUEUES.map((q) => [q, t(`ui.queue.${q}`)]) },
      { name: 'status', label: t('ui.tk.f.status'), options: STATUSES.map((v) => [v, tl('status', v)]) },
      { name: 'type', label: t('ui.tk.f.type'), options: TYPES.map((v) => [v, tl('type', v)]) },
      { name: 'priority', label: t('ui.tk.f.priority'), options: PRIORITIES.map((v) => [v, tl('priority', v)]) },
    ],
    columns: [
      { key: 'number', label: t('ui.tk.f.number'), sort: 'id' },
      { key: 'status', label: t('ui.tk.f.status'), sort: 'status', render: (r) => statusBadge(r.status) },
      { key: 'type', label: t('ui.tk.f.type'), render: (r) => tl('type', r.type) },
      { key: 'priority', label: t('ui.tk.f.priority'), sort: 'priority', render: (r) => tl('priority', r.priority) },
      { key: 'customer', label: t('ui.tk.f.customer'), render: (r) => r.customer_name || r.caller_name || '' },
      { key: 'assignee', label: t('ui.tk.f.assignee'), render: (r) => r.assignee_name || (r.assignee_id ? `#${r.assignee_id}` : '') },
      { key: 'received_at', label: t('ui.tk.f.received_at'), sort: 'received_at', render: (r) => fmtTime(r.received_at) },
      { key: 'sla', label: t('ui.tk.f.sla'), sort: 'next_due_at', render: (r) => [slaBadge(r.sla_state), ' ', dueCell(r)] },
    ],
  });
}

// ---- the ticket page ----

// what each action asks for before it is sent
const NOTE_REQUIRED = new Set(['reply', 'resolve_remote', 'send_to_factory', 'escalate', 'wait_customer', 'resolve', 'cancel', 'reopen']);
const NO_DIALOG = new Set(['accept', 'arrive', 'resume', 'close']);

export async function ticketView(main, id) {
  const ext = isExternal(state.user);
  const [tk, evs, row] = await Promise.all([
    api('GET', `/tickets/${id}`),
    api('GET', `/tickets/${id}/events`),
    api('GET', '/tickets', { query: { id, expand: 'customer_id,assignee_id,department_id,model_id', limit: 1 } }).catch(() => ({ data: { items: [] } })),
  ]);
  if (!main.isCurrent()) return;
  const k = tk.data;
  const names = row.data.items[0] || {};
  const notice = h('div', { id: 'ticket-msg', role: 'status', 'aria-live': 'polite' });

  const buttons = k.allowed_actions.map((a) => h('button', {
    type: 'button', class: `btn${a === k.allowed_actions[0] ? ' btn-primary' : ''}`, 'data-action': a,
    onclick: () => (NO_DIALOG.has(a) ? doAction(a, {}) : actionDialog(a)),
  }, t(`ui.act.${a}`)));

  async function doAction(a, body) {
    try {
      await api('POST', `/tickets/${id}/actions/${a}`, { body, ifMatch: tk.etag });
      state.flash = { kind: 'info', text: t('ui.act.done', { action: t(`ui.act.${a}`) }) };
      render();
      return true;
    } catch (e) {
      if (e.status === 401) return false;
      showNotice('error', e.status === 412 ? t('ui.err.stale') : errorText(e));
      return false;
    }
  }

  function showNotice(kind, text) {
    clear(notice).append(h('p', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : null }, text));
  }

  async function actionDialog(a) {
    const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const fields = [];
    const get = {};
    const field = (name, label, control, required) => {
      const fid = nextId('act');
      control.id = fid;
      control.name = name;
      if (required) control.required = true;
      fields.push(h('div', { class: 'field' }, h('label', { for: fid }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), control));
      get[name] = control;
    };
    if (a === 'assign') {
      const pick = technicianPicker(); // searchable, for every role that may assign
      field('assignee_id', t('ui.act.f.assignee'), pick.input);
      pick.mount();
      const dsel = h('select', null, h('option', { value: '' }, t('ui.form.none')));
      try {
        const ds = (await api('GET', '/departments', { query: { limit: 100 } })).data.items;
        for (const d of ds) dsel.append(h('option', { value: String(d.id) }, currentLocale() === 'en' && d.name_en ? d.name_en : d.name));
      } catch { /* optional */ }
      field('department_id', t('ui.act.f.department'), dsel);
    }
    if (a === 'schedule_visit') {
      field('visit_at', t('ui.act.f.visit_at'), h('input', { type: 'datetime-local' }), true);
      field('promised_arrival_at', t('ui.act.f.promised'), h('input', { type: 'datetime-local' }));
    }
    field('note', NOTE_REQUIRED.has(a) ? t(`ui.act.note.${a}`) : t('ui.act.f.note'), h('textarea', { rows: '3', maxlength: '4000' }), NOTE_REQUIRED.has(a) || (a === 'assign' && k.status === 'in_progress'));
    if (!ext) {
      field('visibility', t('ui.act.f.visibility'), h('select', null,
        h('option', { value: 'internal' }, t('ui.vis.internal')), h('option', { value: 'customer', selected: ['reply', 'resolve_remote', 'resolve'].includes(a) }, t('ui.vis.customer'))));
    }
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'dlg-title' });
    const form = h('form', { method: 'dialog', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const body = {};
      for (const [name, c] of Object.entries(get)) {
        const v = (c.dataset.pick || c.value).trim();
        if (c.required && !v) {
          err.hidden = false;
          err.textContent = t('ui.form.fix', { field: c.labels?.[0]?.textContent.replace(/\s*\*$/, '') || name });
          c.setAttribute('aria-invalid', 'true');
          c.focus();
          return;
        }
        if (!v) continue;
        if (name.endsWith('_id') && !/^\d+$/.test(v)) {
          err.hidden = false;
          err.textContent = t('ui.pick.choose');
          c.focus();
          return;
        }
        if (name.endsWith('_id')) body[name] = Number(v);
        else if (c.type === 'datetime-local') body[name] = new Date(v).toISOString().replace(/\.\d+Z$/, 'Z');
        else body[name] = v;
      }
      if (a === 'assign' && !body.assignee_id && !body.department_id) {
        err.hidden = false;
        err.textContent = t('ui.act.need_assignee');
        get.assignee_id.focus();
        return;
      }
      ok.disabled = true;
      const done = await doAction(a, body);
      ok.disabled = false;
      if (done) dlg.close();
      else { err.hidden = false; err.textContent = notice.textContent; }
    } });
    const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'dlg-ok' }, t(`ui.act.${a}`));
    append(form, [h('h2', { id: 'dlg-title' }, t(`ui.act.${a}`), ' · ', k.number), err, fields,
      h('div', { class: 'actions' }, ok, h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => dlg.close() }, t('ui.cancel')))]);
    dlg.append(form);
    dlg.addEventListener('close', () => dlg.remove());
    main.append(dlg);
    dlg.showModal();
    form.querySelector('input, select, textarea')?.focus();
  }

  const flash = state.flash;
  state.flash = null;
  if (flash) showNotice(flash.kind, flash.text);

  main.append(
    h('div', { class: 'page-head' },
      h('h1', null, t('ui.ticket.title', { number: k.number }), ' ', statusBadge(k.status)),
      h('div', { class: 'toolbar', id: 'ticket-actions', 'aria-label': t('ui.ticket.actions'), role: 'group' }, buttons)),
    notice,
    h('div', { class: 'ticket-grid' },
      h('div', { class: 'ticket-main' },
        h('section', { class: 'card', 'aria-labelledby': 'tk-d' },
          h('h2', { id: 'tk-d' }, t('ui.ticket.details')),
          detailList([
            [t('ui.tk.f.type'), tl('type', k.type)],
            [t('ui.tk.f.priority'), tl('priority', k.priority)],
            [t('ui.tk.f.channel'), tl('channel', k.channel)],
            [t('ui.tk.f.received_at'), fmtTime(k.received_at)],
            [t('ui.tk.f.customer'), k.customer_id ? (ext ? names.customer_name : h('a', { href: `#/customers/${k.customer_id}` }, names.customer_name || `#${k.customer_id}`)) : ''],
            [t('ui.tk.f.unit'), k.unit_id ? h('a', { href: `#/units/${k.unit_id}` }, names.model_name ? `${names.model_name} · #${k.unit_id}` : `#${k.unit_id}`) : ''],
            [t('ui.tk.f.caller'), [k.caller_name, k.caller_phone].filter(Boolean).join(' · ')],
            [t('ui.tk.f.fault_category'), k.fault_category],
            [t('ui.tk.f.assignee'), names.assignee_name || (k.assignee_id ? `#${k.assignee_id}` : '')],
            [t('ui.tk.f.department'), names.department_name || ''],
            [t('ui.tk.f.visit_at'), fmtTime(k.visit_at)],
            [t('ui.tk.f.required_arrival_at'), fmtTime(k.required_arrival_at)],
          ]),
          h('h3', null, t('ui.tk.f.description')),
          h('p', { class: 'description' }, k.description || '—')),
        timeline(evs.data.items),
        commentForm(id, ext),
        ext ? null : callForm(id, k),
        attachForm(id)),
      h('div', { class: 'ticket-side' },
        slaCard(k.sla),
        warrantyCard(k))),
  );
}

function slaCard(sla) {
  const rows = (sla || []).map((s) => h('tr', { 'data-target': s.target },
    h('th', { scope: 'row' }, tl('target', s.target)),
    h('td', { 'data-label': t('ui.sla.state') }, slaBadge(s.state)),
    h('td', { 'data-label': t('ui.sla.due') }, fmtTime(s.due_at)),
    h('td', { 'data-label': t('ui.sla.used') }, s.started_at ? fmtDuration(s.used_seconds) : ''),
    h('td', { 'data-label': t('ui.sla.left_col') }, s.seconds_left !== undefined && s.state !== 'paused' ? countdown(s.seconds_left, s.due_at)
      : s.done_at ? (s.met ? t('ui.sla.met_at', { at: fmtTime(s.done_at) }) : t('ui.sla.late_at', { at: fmtTime(s.done_at) })) : '')));
  return h('section', { class: 'card', 'aria-labelledby': 'sla-t', id: 'sla' },
    h('h2', { id: 'sla-t' }, t('ui.sla.title')),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'list sla' },
      h('thead', null, h('tr', null, [t('ui.sla.target'), t('ui.sla.state'), t('ui.sla.due'), t('ui.sla.used'), t('ui.sla.left_col')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows))) : h('p', { class: 'empty' }, t('ui.sla.none')));
}

function warrantyCard(k) {
  const w = k.warranty;
  const s = k.warranty_status === 'in' ? 'in' : k.warranty_status === 'out' ? 'expired' : 'unknown';
  let basis = t('ui.warranty.basis_none');
  if (w && (w.basis === 'install' || w.basis === 'ship')) basis = t(`ui.warranty.basis_${w.basis}`, { start: fmtDate(w.start), months: fmtNumber(w.months ?? 0), end: fmtDate(w.end) });
  else if (w && w.basis === 'override') basis = t('ui.warranty.basis_override', { end: fmtDate(w.end) });
  return h('section', { class: `card warranty warranty-${s}`, 'aria-labelledby': 'tw-t', id: 'ticket-warranty' },
    h('h2', { id: 'tw-t' }, t('ui.unit.warranty'), ' ', h('span', { class: `badge badge-w-${s}` }, t(`ui.warranty.${s}`))),
    h('p', { class: 'warranty-basis' }, basis),
    detailList([
      [t('ui.ticket.billing'), tl('billing', k.billing)],
      [t('ui.ticket.report_date'), fmtDate(w?.report_date)],
      [t('ui.ticket.contract'), w?.contract || ''],
    ]));
}

function eventText(ev) {
  const d = ev.data || {};
  switch (ev.kind) {
    case 'state': return t('ui.ev.state', { action: t(`ui.act.${d.action}`), to: tl('status', d.to) });
    case 'assign': return t('ui.ev.assign', { who: `#${d.assignee_id}` });
    case 'call': return t(d.direction === 'outbound' ? 'ui.ev.call_out' : 'ui.ev.call_in', { phone: d.phone || '' });
    case 'created': return t('ui.ev.created', { channel: tl('channel', d.channel) });
    default: return tl('ev', ev.kind);
  }
}

function timeline(items) {
  return h('section', { class: 'card', 'aria-labelledby': 'tl-t', id: 'timeline' },
    h('h2', { id: 'tl-t' }, t('ui.ticket.timeline')),
    items.length === 0 ? h('p', { class: 'empty' }, t('ui.list.empty')) : h('ol', { class: 'history timeline' }, items.map((ev) => h('li', { class: `event ev-${ev.kind}`, 'data-kind': ev.kind },
      h('div', { class: 'event-head' },
        h('time', { datetime: ev.at }, fmtTime(ev.at)), ' ',
        h('strong', null, eventText(ev)), ' ',
        h('span', { class: 'muted' }, t('ui.history.by', { user: ev.actor || '—' })),
        ev.visibility === 'internal' ? h('span', { class: 'badge badge-internal' }, t('ui.vis.internal')) : null),
      ev.body && ev.kind !== 'created' ? h('p', { class: 'event-body' }, ev.body) : null,
      ev.attachments?.length ? h('ul', { class: 'attachments' }, ev.attachments.map((a) => h('li', null,
        h('a', { href: a.url, target: '_blank', rel: 'noopener' },
          a.mime.startsWith('image/') ? h('img', { src: a.url, alt: a.filename, class: 'thumb', loading: 'lazy' }) : null,
          h('span', null, `${a.filename} (${fmtNumber(Math.ceil(a.size / 1024))} KB)`))))) : null))));
}

function commentForm(id, ext) {
  const bid = nextId('cm');
  const body = h('textarea', { id: bid, name: 'body', rows: '3', maxlength: '8000', required: true });
  const vis = ext ? null : h('select', { id: `${bid}-vis`, name: 'visibility' },
    h('option', { value: 'internal' }, t('ui.vis.internal')), h('option', { value: 'customer' }, t('ui.vis.customer')));
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'card', id: 'comment-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!body.value.trim()) { err.hidden = false; err.textContent = t('ui.err.required'); body.focus(); return; }
    try {
      await api('POST', `/tickets/${id}/comments`, { body: { body: body.value.trim(), visibility: vis ? vis.value : undefined } });
      render();
    } catch (x) { if (x.status !== 401) { err.hidden = false; err.textContent = errorText(x); } }
  } },
  h('h2', null, t('ui.ticket.comment')),
  h('div', { class: 'field' }, h('label', { for: bid }, t('ui.ticket.comment_body')), body),
  vis ? h('div', { class: 'field' }, h('label', { for: `${bid}-vis` }, t('ui.act.f.visibility')), vis) : h('p', { class: 'hint' }, t('ui.ticket.comment_visible')),
  err, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('ui.ticket.comment_add'))));
  return form;
}

function callForm(id, k) {
  const cid = nextId('call');
  const dir = h('select', { id: `${cid}-dir`, name: 'direction' }, ['outbound', 'inbound'].map((d) => h('option', { value: d }, t(`ui.call.${d}`))));
  const phone = h('input', { id: `${cid}-phone`, name: 'phone', type: 'tel', value: k.caller_phone || '', maxlength: '40' });
  const dur = h('input', { id: `${cid}-dur`, name: 'duration_seconds', type: 'number', min: '0', max: '86400', inputmode: 'numeric' });
  const sum = h('textarea', { id: `${cid}-sum`, name: 'summary', rows: '2', maxlength: '8000' });
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  return h('form', { class: 'card', id: 'call-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!sum.value.trim()) { err.hidden = false; err.textContent = t('ui.err.required'); sum.focus(); return; }
    const body = { direction: dir.value, phone: phone.value.trim(), summary: sum.value.trim() };
    if (dur.value) body.duration_seconds = Number(dur.value);
    try { await api('POST', `/tickets/${id}/calls`, { body }); render(); } catch (x) { if (x.status !== 401) { err.hidden = false; err.textContent = errorText(x); } }
  } },
  h('h2', null, t('ui.call.title')),
  h('div', { class: 'grid' },
    h('div', { class: 'field' }, h('label', { for: `${cid}-dir` }, t('ui.call.direction')), dir),
    h('div', { class: 'field' }, h('label', { for: `${cid}-phone` }, t('ui.call.phone')), phone),
    h('div', { class: 'field' }, h('label', { for: `${cid}-dur` }, t('ui.call.duration')), dur),
    h('div', { class: 'field', 'data-field': 'notes' }, h('label', { for: `${cid}-sum` }, t('ui.call.summary')), sum)),
  err, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('ui.call.add'))));
}

const MAX_FILE = 20 * 1024 * 1024;

function attachForm(id) {
  const status = h('p', { class: 'list-status', role: 'status', 'aria-live': 'polite' });
  async function upload(files) {
    const list = [...files];
    if (!list.length) return;
    let n = 0;
    for (const f of list) {
      if (f.size > MAX_FILE) { status.textContent = t('ui.attach.too_big', { name: f.name }); return; }
      status.textContent = t('ui.attach.uploading', { name: f.name });
      try { await apiUpload(`/tickets/${id}/attachments`, f); n += 1; } catch (e) {
        if (e.status === 401) return;
        status.textContent = `${f.name}: ${errorText(e)}`;
        return;
      }
    }
    state.flash = { kind: 'info', text: t('ui.attach.done', { n }) };
    render();
  }
  const fid = nextId('file');
  const pick = h('input', { id: fid, type: 'file', multiple: true, accept: 'image/jpeg,image/png,image/gif,image/webp,application/pdf', class: 'file-input', onchange: (e) => upload(e.target.files) });
  const cam = h('input', { id: `${fid}-cam`, type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', onchange: (e) => upload(e.target.files) });
  const zone = h('div', { class: 'dropzone', id: 'dropzone',
    ondragover: (e) => { e.preventDefault(); zone.classList.add('over'); },
    ondragleave: () => zone.classList.remove('over'),
    ondrop: (e) => { e.preventDefault(); zone.classList.remove('over'); upload(e.dataTransfer.files); } },
  h('p', null, t('ui.attach.drop')),
  h('div', { class: 'actions' },
    h('label', { for: fid, class: 'btn' }, t('ui.attach.choose')), pick,
    h('label', { for: `${fid}-cam`, class: 'btn' }, t('ui.attach.camera')), cam));
  return h('section', { class: 'card', 'aria-labelledby': 'at-t', id: 'attachments' },
    h('h2', { id: 'at-t' }, t('ui.attach.title')), zone, h('p', { class: 'hint' }, t('ui.attach.hint')), status);
}


