// Queues (mine, unassigned, at risk, breached, department, open) and the
// ticket page: timeline, allowed actions, comments, calls, attachments,
// warranty basis and SLA targets with live countdowns.
import { contractReqsCard } from './contract_reqs.js';
import { h, clear, nextId, append } from '../dom.js';
import { api, apiUpload } from '../api.js';
import { t, has, fmtTime, fmtDate, fmtNumber, currentLocale, fromCompanyInput, toCompanyInput } from '../i18n.js';
import { state, go, render, errorText } from '../app.js';
import { may, P, isExternal } from '../policy.js';
import { listView } from './list.js';
import { detailList } from './common.js';
import { surveyCard } from './survey.js';
import { quoteCard } from './quote.js';
import { technicianPicker } from './picker.js';
import { reportSection } from './report.js';
import { ticketTypes, ticketStatuses, ticketPriorities, tl, statusBadge, slaBadge, countdown, fmtDuration } from './tk.js';
import { workOrderPanel } from './wo_panel.js';
import { diagnosisPanel } from './diagnosis.js';
import { chargesPanel } from './charges.js';
import { replacementCard } from './shipments.js';
import { woEventText } from './wo.js';
import { entityMeta, routeRoles } from '../meta.js';

// the ticket list's named views (?queue=…), as the server declares them (GET /api/v1/meta)
const queues = () => entityMeta('ticket')?.views?.queue || [];

function dueCell(r) {
  if (!r.next_due_at || ['resolved', 'closed', 'cancelled'].includes(r.status)) return '';
  return countdown((Date.parse(r.next_due_at) - Date.now()) / 1000, r.next_due_at);
}

const REFRESH_MS = 30000;
// who may assign (the assign action: admin, department head, agent, dispatcher)
const ASSIGNERS = new Set(['admin', 'dept_head', 'agent', 'dispatcher']);

export async function queuesView(main) {
  const p = main.params;
  if (!p.get('queue')) p.set('queue', state.user.roles.includes('technician') ? 'mine' : 'unassigned');
  const cur = p.get('queue');
  const countEls = {};
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('ui.queue.label') }, h('ul', null, queues().map((q) => {
    countEls[q] = h('span', { class: 'tab-count', 'data-count': q });
    return h('li', null, h('a', { href: `#/queues?queue=${q}`, 'aria-current': q === cur ? 'page' : null, 'data-queue': q }, t(`ui.queue.${q}`), ' ', countEls[q]));
  })));
  main.append(tabs);
  const bulk = state.user.roles.some((r) => ASSIGNERS.has(r)) ? bulkAssign(main) : null;
  let ctrl = null;
  const stamp = h('span', { class: 'muted', id: 'queue-refreshed', 'aria-live': 'off' });

  async function counts() {
    try {
      const { data } = await api('GET', '/ticket-queues');
      if (!main.isCurrent()) return;
      for (const { queue, count } of data.items) {
        if (!countEls[queue]) continue;
        countEls[queue].textContent = fmtNumber(count);
        countEls[queue].parentElement.setAttribute('aria-label', t('ui.queue.count_label', { queue: t(`ui.queue.${queue}`), n: count }));
      }
    } catch { /* the tabs work without counts */ }
  }
  async function refresh() {
    if (!main.isConnected || !main.isCurrent()) return stop();
    await Promise.all([counts(), ctrl ? ctrl.refresh() : null]);
    bulk?.sync();
    stamp.textContent = t('ui.queue.refreshed', { time: new Date().toLocaleTimeString(currentLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }) });
  }
  const timer = setInterval(() => { if (document.visibilityState === 'visible') refresh(); }, REFRESH_MS);
  const onFocus = () => refresh();
  window.addEventListener('focus', onFocus);
  function stop() { clearInterval(timer); window.removeEventListener('focus', onFocus); }
  counts();

  const data = await listView(main, {
    title: t('ui.queue.title', { queue: t(`ui.queue.${cur}`) }),
    path: '/tickets',
    hashPath: '/queues',
    expand: 'customer_id,assignee_id',
    defaultSort: 'next_due_at',
    searchHint: t('ui.queue.search_hint'),
    rowLink: (r) => `#/tickets/${r.id}`,
    actions: [may(state.user, P.intake) ? h('a', { href: '#/intake', class: 'btn btn-primary' }, t('ui.nav.intake')) : null,
      h('button', { type: 'button', class: 'btn btn-quiet', id: 'queue-refresh', onclick: refresh }, t('ui.queue.refresh'))],
    extraTools: () => stamp,
    select: bulk ? bulk.select : null,
    onReady: (c) => { ctrl = c; },
    filters: [
      { name: 'queue', label: t('ui.queue.label'), options: queues().map((q) => [q, t(`ui.queue.${q}`)]) },
      { name: 'status', label: t('ui.tk.f.status'), options: ticketStatuses().map((v) => [v, tl('status', v)]) },
      { name: 'type', label: t('ui.tk.f.type'), options: ticketTypes().map((v) => [v, tl('type', v)]) },
      { name: 'priority', label: t('ui.tk.f.priority'), options: ticketPriorities().map((v) => [v, tl('priority', v)]) },
    ],
    columns: [
      { key: 'number', label: t('ui.tk.f.number'), sort: 'id' },
      { key: 'status', label: t('ui.tk.f.status'), sort: 'status', render: (r) => statusBadge(r.status) },
      { key: 'sla', label: t('ui.tk.f.sla'), sort: 'next_due_at', render: (r) => [slaBadge(r.sla_state), ' ', dueCell(r)] },
      { key: 'priority', label: t('ui.tk.f.priority'), sort: 'priority', render: (r) => tl('priority', r.priority) },
      { key: 'customer', label: t('ui.tk.f.customer'), render: (r) => r.customer_name || r.caller_name || '' },
      { key: 'description', label: t('ui.tk.f.description'), cls: 'col-desc', render: (r) => (r.description ? h('span', { class: 'desc-clip', title: r.description }, r.description) : '') },
      { key: 'region', label: t('ui.tk.f.location'), render: (r) => r.region || '' },
      { key: 'type', label: t('ui.tk.f.type'), render: (r) => tl('type', r.type) },
      { key: 'assignee', label: t('ui.tk.f.assignee'), render: (r) => r.assignee_name || (r.assignee_id ? `#${r.assignee_id}` : '') },
      { key: 'received_at', label: t('ui.tk.f.received_at'), sort: 'received_at', render: (r) => fmtTime(r.received_at) },
    ],
  });
  if (bulk && main.isCurrent()) main.insertBefore(bulk.panel, main.querySelector('.list-status'));
  return data;
}

// Bulk assign: tick rows, choose a technician, and the assign action runs per
// ticket (with its own version); failures are reported per row.
function bulkAssign(main) {
  const chosen = new Map(); // id -> {number, etag?}
  const count = h('span', { id: 'bulk-count', 'aria-live': 'polite' }, t('ui.bulk.selected', { n: 0 }));
  const tid = nextId('bulk');
  // the dispatch engineer's technician picker (name, skills, today's workload)
  const pick = technicianPicker();
  const tech = Object.assign(pick.input, { id: tid, name: 'technician' });
  const techId = () => tech.dataset.pick || (/^\d+$/.test(tech.value.trim()) ? tech.value.trim() : '');
  const out = h('div', { id: 'bulk-result', role: 'status', 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'bulk-assign' }, t('ui.bulk.assign'));
  const boxes = () => [...main.querySelectorAll('input[data-bulk]')];
  function sync() {
    for (const b of boxes()) b.checked = chosen.has(Number(b.value));
    count.textContent = t('ui.bulk.selected', { n: chosen.size });
  }
  const select = {
    all: (items) => h('input', { type: 'checkbox', id: 'bulk-all', 'aria-label': t('ui.bulk.select_all'), onchange: (e) => {
      for (const r of items) { if (e.target.checked) chosen.set(r.id, r.number); else chosen.delete(r.id); }
      sync();
    } }),
    row: (r) => h('input', { type: 'checkbox', 'data-bulk': '', value: String(r.id), checked: chosen.has(r.id), 'aria-label': t('ui.bulk.select_row', { number: r.number }), onchange: (e) => {
      if (e.target.checked) chosen.set(r.id, r.number); else chosen.delete(r.id);
      count.textContent = t('ui.bulk.selected', { n: chosen.size });
    } }),
  };
  const panel = h('form', { class: 'card bulk', id: 'bulk', 'aria-labelledby': 'bulk-t', onsubmit: async (e) => {
    e.preventDefault();
    clear(out);
    if (!chosen.size || !techId()) {
      out.append(h('p', { class: 'alert alert-error', role: 'alert' }, t('ui.bulk.need')));
      return;
    }
    btn.disabled = true;
    const ids = [...chosen.keys()];
    const failed = [];
    let ok = 0;
    for (const [i, id] of ids.entries()) {
      btn.textContent = t('ui.bulk.working', { i: i + 1, n: ids.length });
      try {
        await api('POST', `/tickets/${id}/actions/assign`, { body: { assignee_id: Number(techId()) } });
        ok += 1;
        chosen.delete(id);
      } catch (x) {
        if (x.status === 401) return;
        failed.push([chosen.get(id), x]);
      }
    }
    btn.disabled = false;
    btn.textContent = t('ui.bulk.assign');
    append(out, [h('p', { class: `alert ${failed.length ? 'alert-error' : 'alert-info'}` }, t('ui.bulk.done', { ok, failed: failed.length })),
      failed.length ? h('ul', { id: 'bulk-failures' }, failed.map(([num, x]) => h('li', null, t('ui.bulk.failed_row', { number: num, error: errorText(x) })))) : null]);
    main.querySelector('#queue-refresh')?.click();
  } },
  h('h2', { id: 'bulk-t' }, t('ui.bulk.title'), ' ', count),
  h('div', { class: 'field' }, h('label', { for: tid }, t('ui.bulk.technician')), tech),
  h('div', { class: 'actions' }, btn), out);
  pick.mount();
  return { select, panel, sync };
}

// ---- the ticket page ----

// what each action asks for before it is sent
const NOTE_REQUIRED = new Set(['reply', 'resolve_remote', 'send_to_factory', 'escalate', 'wait_customer', 'resolve', 'cancel', 'reopen']);
const NO_DIALOG = new Set(['accept', 'arrive', 'resume', 'close']);
// the button styled primary: the step that moves the job on (on site: resolve, not 返厂)
const PRIMARY = ['accept', 'arrive', 'resolve', 'close', 'assign', 'schedule_visit', 'resume', 'reply', 'resolve_remote'];
export function primaryAction(allowed) {
  return PRIMARY.find((a) => allowed.includes(a)) || allowed[0];
}

let faultNames = null;
// fault category code -> name in the current language
function faultCategories() {
  if (!faultNames) {
    faultNames = api('GET', '/fault-categories', { query: { limit: 200, sort: 'code' } })
      .then((r) => r.data.items).catch(() => { faultNames = null; return []; });
  }
  return faultNames;
}
function faultLabel(cats, code) {
  const c = cats.find((x) => x.code === code);
  if (!c) return code || '';
  return currentLocale() === 'en' && c.name_en ? c.name_en : c.name;
}

// who did it: the display name; system actors by a label; never a login name to customers
export function actorLabel(ev) {
  if (ev.actor_name) return ev.actor_name;
  if (!ev.actor_id && ev.actor && has(`ui.actor.${ev.actor}`)) return t(`ui.actor.${ev.actor}`);
  return ev.actor || t('ui.actor.staff');
}

export async function ticketView(main, id) {
  const ext = isExternal(state.user);
  const [tk, evs, row, cats] = await Promise.all([
    api('GET', `/tickets/${id}`),
    api('GET', `/tickets/${id}/events`),
    api('GET', '/tickets', { query: { id, expand: 'customer_id,assignee_id,department_id,model_id,unit_id', limit: 1 } }).catch(() => ({ data: { items: [] } })),
    faultCategories(),
  ]);
  if (!main.isCurrent()) return;
  const k = tk.data;
  const names = row.data.items[0] || {};
  const notice = h('div', { id: 'ticket-msg', role: 'status', 'aria-live': 'polite' });

  const primary = primaryAction(k.allowed_actions);
  const buttons = k.allowed_actions.map((a) => h('button', {
    type: 'button', class: `btn${a === primary ? ' btn-primary' : ''}`, 'data-action': a,
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
        else if (c.type === 'datetime-local') body[name] = fromCompanyInput(v);
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
  // the ticket's work orders and the booking panel (issue 11), filled in when loaded
  const woSlot = ext ? null : h('div', { id: 'wo-slot' });
  if (woSlot) workOrderPanel(main, k).then((el) => { if (main.isCurrent()) woSlot.replaceWith(el); });
  // charges and payments (issue 13 item 6): whoever may read them; a customer their own
  // the technical department's diagnosis (issue 18 item 1): at the top of the ticket
  const diagSlot = ext ? null : h('div', { id: 'diag-slot' });
  if (diagSlot) diagnosisPanel(k).then((el) => { if (main.isCurrent()) diagSlot.replaceWith(el || ''); });
  const chgSlot = may(state.user, P.charges) ? h('div', { id: 'chg-slot' }) : null;
  if (chgSlot) chargesPanel(main, { kind: 'ticket', id: Number(id) }).then((el) => { if (main.isCurrent()) chgSlot.replaceWith(el); });

  // knowledge suggestions and this-helped (issue 18 item 4): loaded after the page
  const kbSlot = !ext && may(state.user, P.kbRead) ? h('div', { id: 'kb-slot' }) : null;
  if (kbSlot) import('./kb_suggest.js').then((m) => m.ticketKbCard(k)).then((el) => { if (main.isCurrent()) kbSlot.replaceWith(el); }).catch(() => {});

  main.append(
    h('div', { class: 'page-head' },
      h('h1', null, t('ui.ticket.title', { number: k.number }), ' ', statusBadge(k.status)),
      h('div', { class: 'toolbar', id: 'ticket-actions', 'aria-label': t('ui.ticket.actions'), role: 'group' }, buttons,
        !ext && may(state.user, P.ticketEdit) ? h('button', { type: 'button', class: 'btn btn-quiet', id: 'ticket-edit', onclick: () => editDialog(main, k, tk.etag, cats) }, t('ui.ticket.edit')) : null)),
    notice,
    h('div', { class: 'ticket-grid' },
      // first in the page: on a phone the deadlines are seen without scrolling
      h('div', { class: 'ticket-side' },
        slaCard(k.sla),
        warrantyCard(k),
        contractReqsCard(k.contract_requirements),
        k.replacement_shipments && !ext ? replacementCard(k) : null,
        ext ? null : surveyCard(k),
        kbSlot),
      h('div', { class: 'ticket-main' },
        diagSlot,
        h('section', { class: 'card', 'aria-labelledby': 'tk-d' },
          h('h2', { id: 'tk-d' }, t('ui.ticket.details')),
          detailList([
            [t('ui.tk.f.type'), tl('type', k.type)],
            [t('ui.tk.f.priority'), tl('priority', k.priority)],
            [t('ui.tk.f.channel'), tl('channel', k.channel)],
            [t('ui.tk.f.received_at'), fmtTime(k.received_at)],
            [t('ui.tk.f.customer'), k.customer_id ? (ext ? names.customer_name : h('a', { href: `#/customers/${k.customer_id}` }, names.customer_name || `#${k.customer_id}`)) : ''],
            [t('ui.tk.f.unit'), k.unit_id ? h('a', { href: `#/units/${k.unit_id}`, id: 'ticket-unit' }, [names.model_name, names.unit_name || `#${k.unit_id}`].filter(Boolean).join(' · ')) : ''],
            [t('ui.tk.f.caller'), [k.caller_name, k.caller_phone ? h('a', { href: `tel:${k.caller_phone.replace(/[^\d+]/g, '')}` }, k.caller_phone) : null].filter(Boolean).flatMap((x, i) => (i ? [' · ', x] : [x]))],
            [t('ui.tk.f.fault_category'), h('span', { id: 'ticket-fault' }, faultLabel(cats, k.fault_category))],
            ...(k.repeat_of ? [[t('field.ticket.repeat_of'), repeatLink(k.repeat_of)]] : []),
            [t('ui.tk.f.assignee'), names.assignee_name || (k.assignee_id ? `#${k.assignee_id}` : '')],
            [t('ui.tk.f.department'), names.department_name || ''],
            [t('ui.tk.f.visit_at'), fmtTime(k.visit_at)],
            [t('ui.tk.f.required_arrival_at'), fmtTime(k.required_arrival_at)],
            [t('ui.tk.f.promised_arrival_at'), fmtTime(k.promised_arrival_at)],
          ]),
          h('h3', null, t('ui.tk.f.description')),
          h('p', { class: 'description' }, k.description || '—')),
        ext ? null : reportSection(id),
        may(state.user, routeRoles('GET', '/api/v1/tickets/{id}/quotes')) && (!ext || k.billing === 'chargeable') ? quoteCard(k) : null,
        woSlot,
        chgSlot,
        timeline(evs.data.items, k, names),
        commentForm(id, ext),
        ext ? null : callForm(id, k),
        attachForm(id))),
  );
}

// datetime-local <-> stored UTC: shown and typed in the company's time (i18n.js)
const toLocalInput = toCompanyInput;
const fromLocalInput = (v) => fromCompanyInput(v) || null;

// Edit what may change after intake (PATCH with If-Match; 412 when someone was faster).
const LATE_CHANNELS = new Set(['letter', 'fax', 'email']);

async function editDialog(main, k, etag, cats) {
  // the customer's units: a ticket registered without one gets its warranty from the pick
  const units = k.customer_id
    ? await api('GET', `/customers/${k.customer_id}/units`, { query: { limit: 100, expand: 'all', sort: 'serial_no' } }).then((r) => r.data.items).catch(() => [])
    : [];
  const F = {};
  const fld = (name, label, control) => {
    control.id = `te-${name}`;
    control.name = name;
    F[name] = control;
    return h('div', { class: 'field', 'data-field': name === 'description' ? 'notes' : name }, h('label', { for: control.id }, label), control);
  };
  const err = h('div', { id: 'edit-msg' });
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'te-title', id: 'edit-dialog' });
  const form = h('form', { method: 'dialog', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clear(err);
    const body = {};
    if (F.priority.value !== k.priority) body.priority = F.priority.value;
    if (F.fault_category.value !== (k.fault_category || '')) body.fault_category = F.fault_category.value;
    if (F.description.value.trim() !== (k.description || '')) body.description = F.description.value.trim();
    for (const n of ['required_arrival_at', 'promised_arrival_at', 'received_at']) {
      if (F[n] && F[n].value !== toLocalInput(k[n])) body[n] = fromLocalInput(F[n].value);
    }
    if (F.unit_id && F.unit_id.value && Number(F.unit_id.value) !== k.unit_id) body.unit_id = Number(F.unit_id.value);
    if (Object.keys(body).length === 0) { err.append(h('p', { class: 'alert alert-info' }, t('ui.ticket.unchanged'))); return; }
    ok.disabled = true;
    try {
      await api('PATCH', `/tickets/${k.id}`, { body, ifMatch: etag });
      state.flash = { kind: 'info', text: t('ui.ticket.saved') };
      dlg.close();
      render();
    } catch (x) {
      ok.disabled = false;
      if (x.status === 401) return;
      if (x.status === 412) {
        err.append(h('div', { class: 'alert alert-error', role: 'alert', id: 'edit-stale' }, h('p', null, t('ui.err.stale')),
          h('button', { type: 'button', class: 'btn', onclick: () => { dlg.close(); render(); } }, t('ui.reload'))));
        return;
      }
      const c = x.field && F[x.field];
      if (c) { c.setAttribute('aria-invalid', 'true'); c.focus(); }
      err.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x),
        c ? ` ${t('ui.form.fix', { field: c.labels?.[0]?.textContent || x.field })}` : ''));
    }
  } });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'edit-save' }, t('ui.save'));
  append(form, [
    h('h2', { id: 'te-title' }, t('ui.ticket.edit_title', { number: k.number })), err,
    h('div', { class: 'grid' },
      fld('priority', t('ui.tk.f.priority'), h('select', null, ticketPriorities().map((v) => h('option', { value: v, selected: v === k.priority }, tl('priority', v))))),
      units.length ? fld('unit_id', t('ui.tk.f.unit'), h('select', null, k.unit_id ? null : h('option', { value: '' }, t('ui.form.choose')),
        units.map((u) => h('option', { value: String(u.id), selected: u.id === k.unit_id }, [u.serial_no, u.model_name].filter(Boolean).join(' · '))))) : null,
      LATE_CHANNELS.has(k.channel) ? fld('received_at', t('ui.intake.received_at'), h('input', { type: 'datetime-local', value: toLocalInput(k.received_at) })) : null,
      fld('fault_category', t('ui.tk.f.fault_category'), h('select', null, h('option', { value: '' }, t('ui.form.none')),
        cats.filter((c) => c.active !== false || c.code === k.fault_category).map((c) => h('option', { value: c.code, selected: c.code === k.fault_category }, faultLabel(cats, c.code))))),
      fld('required_arrival_at', t('ui.tk.f.required_arrival_at'), h('input', { type: 'datetime-local', value: toLocalInput(k.required_arrival_at) })),
      fld('promised_arrival_at', t('ui.tk.f.promised_arrival_at'), h('input', { type: 'datetime-local', value: toLocalInput(k.promised_arrival_at) })),
      fld('description', t('ui.tk.f.description'), h('textarea', { rows: '4', maxlength: '4000' }, k.description || ''))),
    h('div', { class: 'actions' }, ok, h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => dlg.close() }, t('ui.cancel')))]);
  dlg.append(form);
  dlg.addEventListener('close', () => dlg.remove());
  main.append(dlg);
  dlg.showModal();
  F.priority.focus();
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

// a repeat repair links the earlier repair, by its number once it is read (review 71 #6)
function repeatLink(id) {
  const a = h('a', { href: `#/tickets/${id}`, id: 'ticket-repeat-of' }, `#${id}`);
  api('GET', `/tickets/${id}`).then(({ data }) => { a.textContent = data.number; }).catch(() => {});
  return a;
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

function eventText(ev, k, names) {
  const d = ev.data || {};
  switch (ev.kind) {
    case 'state': return t('ui.ev.state', { action: t(`ui.act.${d.action}`), to: tl('status', d.to) });
    case 'assign': return t('ui.ev.assign', { who: d.assignee_id === k.assignee_id && names.assignee_name ? names.assignee_name : `#${d.assignee_id}` });
    case 'sla': return t('ui.ev.sla', { target: tl('target', d.target), state: tl('sla', d.state) });
    case 'call': return t(d.direction === 'outbound' ? 'ui.ev.call_out' : 'ui.ev.call_in', { phone: d.phone || '' });
    case 'created': return t('ui.ev.created', { channel: tl('channel', d.channel) });
    case 'work_order': return woEventText(d);
    case 'diagnosis': return t('ui.ev.diagnosis', { decision: t(`ui.diag.decision.${d.decision}`) });
    default: return tl('ev', ev.kind);
  }
}

// bodies that are generated text, not someone's words: the heading says it all
const NO_BODY = new Set(['created', 'sla', 'update']);

// a signed service report: its PDF as signed (the customer's portal too, review M3)
function reportLink(ev) {
  const d = ev.data || {};
  if (ev.kind !== 'service_report' || !d.work_order_id || !d.version) return null;
  return h('p', { class: 'event-body' }, h('a', {
    href: `/api/v1/work-orders/${d.work_order_id}/report.pdf?version=${d.version}`, class: 'ev-report',
    'data-report': `${d.work_order_id}/${d.version}`, target: '_blank', rel: 'noopener',
  }, t('ui.tk.report_pdf', { version: d.version })));
}

function timeline(items, k, names) {
  return h('section', { class: 'card', 'aria-labelledby': 'tl-t', id: 'timeline' },
    h('h2', { id: 'tl-t' }, t('ui.ticket.timeline')),
    items.length === 0 ? h('p', { class: 'empty' }, t('ui.list.empty')) : h('ol', { class: 'history timeline' }, items.map((ev) => h('li', { class: `event ev-${ev.kind}`, 'data-kind': ev.kind },
      h('div', { class: 'event-head' },
        h('time', { datetime: ev.at }, fmtTime(ev.at)), ' ',
        h('strong', null, eventText(ev, k, names)), ' ',
        h('span', { class: 'muted actor' }, t('ui.history.by', { user: ev.kind === 'sla' ? t('ui.actor.system') : actorLabel(ev) })),
        ev.visibility === 'internal' ? h('span', { class: 'badge badge-internal' }, t('ui.vis.internal')) : null),
      ev.body && !NO_BODY.has(ev.kind) ? h('p', { class: 'event-body' }, ev.body) : null,
      reportLink(ev),
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


