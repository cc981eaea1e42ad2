// The work orders of a ticket on its page (issue 11): each work order with its crew,
// appointment window, late notice, parts and the caller's actions; for planners the
// booking panel (item 8): the three best slots of the dispatch ranking (technician,
// arrival window, SLA due time), or a technician and time by hand; the conflicts are
// checked before saving and a booking with conflicts needs a reason.
import { h, clear, append, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, has, fmtTime, fmtNumber, today, fromCompanyInput, toCompanyInput } from '../i18n.js';
import { routeRoles } from '../meta.js';
import { state, render, errorText } from '../app.js';
import { detailList } from './common.js';
import { technicianPicker } from './picker.js';
import { wl, woBadge, lateBadge, windowText, hhmm, woEnum, woOpen } from './wo.js';
import { recommendSection } from './leads.js';

const DIALOG = new Set(['finish', 'running_late', 'cancel']);

const mayRoute = (m, p) => state.user.roles.some((r) => routeRoles(m, p).has(r));
const iso = fromCompanyInput; // typed in company time (review 71 #18)

export async function workOrderPanel(main, k) {
  const sec = h('section', { class: 'card', id: 'wo-panel', 'aria-labelledby': 'wo-t' }, h('h2', { id: 'wo-t' }, t('wo.title')));
  let items = [];
  try {
    items = (await api('GET', '/work-orders', { query: { ticket_id: k.id, limit: 50 } })).data.items;
  } catch (e) {
    sec.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    return sec;
  }
  const msg = h('div', { id: 'wo-msg', role: 'status', 'aria-live': 'polite' });
  sec.append(msg);
  if (!items.length) sec.append(h('p', { class: 'empty' }, t('wo.none')));
  for (const w of items.slice().reverse()) sec.append(await woCard(main, w, msg));
  const open = items.some((w) => woOpen(w.status));
  const last = items[items.length - 1];
  const bookable = k.status === 'in_progress' || (k.status === 'visit_scheduled' && !open) ||
    (k.status === 'on_site' && last && ['not_fixed', 'needs_factory'].includes(last.status));
  if (!open && bookable && mayRoute('POST', '/api/v1/work-orders')) sec.append(bookingPanel(k));
  return sec;
}

async function woCard(main, w0, msg) {
  let w = w0, etag = null;
  if (woOpen(w.status) || w.status === 'not_fixed') {
    try { const r = await api('GET', `/work-orders/${w.id}`); w = r.data; etag = r.etag; } catch { /* the list row is enough */ }
  }
  const parts = (w.parts || []).map((p) => `${p.name} × ${fmtNumber(p.quantity)}${p.unit || ''}`).join('；');
  const buttons = (w.allowed_actions || []).map((a) => h('button', {
    type: 'button', class: `btn${['arrive', 'finish', 'depart'].includes(a) ? ' btn-primary' : ''}`, 'data-wo-action': a,
    onclick: () => (DIALOG.has(a) ? actionDialog(main, w, etag, a, msg) : act(w, etag, a, {}, msg)),
  }, wl('act', a)));
  // review 71 #1: a planner re-assigns or re-times a visit that has not started
  if (['planned', 'confirmed'].includes(w.status) && etag && mayRoute('PATCH', '/api/v1/work-orders/{id}') && mayRoute('POST', '/api/v1/work-orders')) {
    buttons.push(h('button', { type: 'button', class: 'btn', id: `wo-rebook-${w.id}`, 'data-wo-action': 'rebook', onclick: () => rebookDialog(main, w, etag, msg) }, t('wo.rebook.open')));
  }
  const recs = await recommendSection(w); // issue 18 item 8: recommended during the visit
  return h('article', { class: 'wo', 'data-wo-id': w.id, 'data-wo-status': w.status },
    h('h3', null, w.number, ' ', woBadge(w.status), ' ', lateBadge(w.late_notice)),
    detailList([
      [t('wo.f.kind'), wl('kind', w.kind)],
      [t('wo.f.lead'), w.lead_name || ''],
      [t('wo.f.helpers'), (w.helpers || []).map((x) => x.name).join('、')],
      [t('wo.f.appointment'), h('span', { class: 'wo-window' }, windowText(w))],
      [t('wo.f.target'), w.window && woOpen(w.status) ? fmtTime(w.window.target) : ''],
      [t('wo.f.precall'), w.window && woOpen(w.status) ? fmtTime(w.window.precall_from) : ''],
      [t('wo.f.latest_notice'), fmtTime(w.latest_notice_at)],
      [t('wo.f.eta'), fmtTime(w.eta_at)],
      [t('wo.f.arrived'), w.arrived_at ? [fmtTime(w.arrived_at), w.lateness_min ? ' · ' + t('wo.lateness', { n: w.lateness_min }) : ''] : ''],
      [t('wo.f.work_done'), w.work_done || ''],
      [t('wo.f.parts'), parts],
      [t('wo.f.labour'), w.labour_minutes ? t('wo.minutes', { n: w.labour_minutes }) : ''],
      [t('wo.f.result_note'), w.result_note || ''],
      [t('wo.f.note'), w.note || ''],
      [t('wo.f.override'), w.override_reason || ''],
    ].filter(([, v]) => v !== '' && !(Array.isArray(v) && !v.length))),
    w.previous_id ? h('p', { class: 'muted' }, t('wo.follows', { id: w.previous_id })) : null,
    buttons.length ? h('div', { class: 'toolbar', role: 'group', 'aria-label': t('wo.actions') }, buttons) : null,
    recs);
}

function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition((p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude }),
      () => resolve(null), { timeout: 4000, maximumAge: 60000 });
  });
}

async function act(w, etag, a, body, msg) {
  try {
    if (a === 'arrive') Object.assign(body, await position() || {});
    await api('POST', `/work-orders/${w.id}/actions`, { body: { action: a, ...body }, ifMatch: etag });
    state.flash = { kind: 'info', text: t('wo.done', { action: wl('act', a), number: w.number }) };
    render();
    return true;
  } catch (e) {
    clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, e.status === 412 ? t('ui.err.stale') : errorText(e)));
    return false;
  }
}

function actionDialog(main, w, etag, a, msg) {
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const fields = [];
  const field = (label, control) => {
    control.id = nextId('wo');
    fields.push(h('div', { class: 'field' }, h('label', { for: control.id }, label), control));
    return control;
  };
  const result = a === 'finish' ? field(t('wo.f.result'), h('select', { name: 'result' },
    woEnum('result').map((r) => h('option', { value: r }, wl('result', r))))) : null;
  const eta = a === 'running_late' ? field(t('wo.f.eta'), h('input', { type: 'datetime-local', name: 'eta_at', required: true })) : null;
  const note = field(a === 'cancel' ? t('wo.f.cancel_reason') : t('wo.f.result_note'), h('textarea', { name: 'note', rows: '3', maxlength: '2000' }));
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'wo-dlg-t' });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'wo-dlg-ok' }, wl('act', a));
  const form = h('form', { method: 'dialog', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const body = {};
    if (result) body.result = result.value;
    if (eta) {
      if (!eta.value) { err.hidden = false; err.textContent = t('ui.form.fix', { field: t('wo.f.eta') }); eta.focus(); return; }
      body.eta_at = iso(eta.value);
    }
    if (note.value.trim()) body.note = note.value.trim();
    ok.disabled = true;
    const done = await act(w, etag, a, body, msg);
    ok.disabled = false;
    if (done) dlg.close(); else { err.hidden = false; err.textContent = msg.textContent; }
  } });
  append(form, [h('h2', { id: 'wo-dlg-t' }, wl('act', a), ' · ', w.number), err, fields,
    h('div', { class: 'actions' }, ok, h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => dlg.close() }, t('ui.cancel')))]);
  dlg.append(form);
  dlg.addEventListener('close', () => dlg.remove());
  main.append(dlg);
  dlg.showModal();
}

// 改派/改约: the lead (the assign dialog's technician picker) and the time (company time);
// the server checks the conflicts: a booking with some needs a reason, as in the panel.
function rebookDialog(main, w, etag, msg) {
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true, id: 'wo-rb-err' });
  const pick = technicianPicker();
  pick.input.id = 'wo-rb-lead';
  pick.input.value = w.lead_name || '';
  const at = h('input', { type: 'datetime-local', id: 'wo-rb-at', value: toCompanyInput(w.appointment_at) });
  const note = h('textarea', { id: 'wo-rb-note', rows: '2', maxlength: '2000' });
  const override = h('textarea', { id: 'wo-rb-override', rows: '2', maxlength: '500' });
  const conflicts = h('div', { id: 'wo-rb-conflicts', 'aria-live': 'polite' });
  const overrideField = h('div', { class: 'field', hidden: true }, h('label', { for: override.id }, t('wo.book.override')), override);
  const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': 'wo-rb-t' });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'wo-rb-ok' }, t('wo.rebook.save'));
  const form = h('form', { method: 'dialog', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    const body = {};
    const lead = pick.input.dataset.pick;
    if (lead && Number(lead) !== w.lead_id) body.lead_id = Number(lead);
    const when = fromCompanyInput(at.value);
    if (!when) { err.hidden = false; err.textContent = t('ui.form.fix', { field: t('wo.f.appointment') }); at.focus(); return; }
    if (when !== w.appointment_at) body.appointment_at = when;
    if (!body.lead_id && !body.appointment_at) { err.hidden = false; err.textContent = t('wo.rebook.nothing'); return; }
    if (!note.value.trim()) { err.hidden = false; err.textContent = t('ui.form.fix', { field: t('wo.f.note') }); note.focus(); return; }
    body.note = note.value.trim();
    if (!overrideField.hidden) {
      if (!override.value.trim()) { err.hidden = false; err.textContent = t('wo.book.need_override'); override.focus(); return; }
      body.override_reason = override.value.trim();
    }
    ok.disabled = true;
    try {
      await api('PATCH', `/work-orders/${w.id}`, { body, ifMatch: etag });
      dlg.close();
      state.flash = { kind: 'info', text: t('wo.rebook.saved', { number: w.number }) };
      render();
    } catch (x) {
      ok.disabled = false;
      err.hidden = false;
      err.textContent = x.status === 412 ? t('ui.err.stale') : errorText(x);
      const kinds = x.reason === 'conflict' ? x.params?.conflicts || [] : [];
      clear(conflicts);
      if (kinds.length) {
        overrideField.hidden = false;
        conflicts.append(h('ul', { class: 'alert alert-warn wo-conflicts' }, kinds.map((k) => h('li', { 'data-conflict': k }, t(`wo.conflict.${k}`, { detail: '' })))));
      }
    }
  } });
  append(form, [h('h2', { id: 'wo-rb-t' }, t('wo.rebook.title'), ' · ', w.number), err,
    h('div', { class: 'field' }, h('label', { for: pick.input.id }, t('wo.f.lead')), pick.input),
    h('div', { class: 'field' }, h('label', { for: at.id }, t('wo.f.appointment')), at),
    h('div', { class: 'field' }, h('label', { for: note.id }, t('wo.rebook.note')), note),
    conflicts, overrideField,
    h('div', { class: 'actions' }, ok, h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => dlg.close() }, t('ui.cancel')))]);
  dlg.append(form);
  pick.mount();
  dlg.addEventListener('close', () => dlg.remove());
  main.append(dlg);
  dlg.showModal();
}

function tomorrow() {
  const d = new Date(today() + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const localInput = toCompanyInput;

function bookingPanel(k) {
  const box = h('div', { class: 'wo-book', id: 'wo-book' });
  const date = h('input', { type: 'date', id: 'wo-date', value: tomorrow() });
  const slotsEl = h('ol', { class: 'wo-slots', id: 'wo-slots', 'aria-live': 'polite' });
  const pick = technicianPicker();
  pick.input.id = 'wo-lead';
  const at = h('input', { type: 'datetime-local', id: 'wo-at' });
  const note = h('textarea', { id: 'wo-note', rows: '2', maxlength: '2000' });
  const conflicts = h('div', { id: 'wo-conflicts', 'aria-live': 'polite' });
  const override = h('textarea', { id: 'wo-override', rows: '2', maxlength: '500' });
  const overrideField = h('div', { class: 'field', hidden: true }, h('label', { for: override.id }, t('wo.book.override')), override);
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  let conflictCount = 0;

  const body = () => {
    const lead = pick.input.dataset.pick || pick.input.value.trim();
    return { ticket_id: k.id, lead_id: /^\d+$/.test(lead) ? Number(lead) : undefined, appointment_at: at.value ? iso(at.value) : undefined };
  };
  async function check() {
    const b = body();
    clear(conflicts);
    conflictCount = 0;
    overrideField.hidden = true;
    if (!b.lead_id || !b.appointment_at) return;
    try {
      const { data } = await api('POST', '/work-orders/check', { body: b });
      conflictCount = data.conflicts.length;
      overrideField.hidden = !conflictCount;
      conflicts.append(conflictCount
        ? h('ul', { class: 'alert alert-warn wo-conflicts' }, data.conflicts.map((c) => h('li', { 'data-conflict': c.kind }, t(`wo.conflict.${c.kind}`, { detail: c.detail || '' }))))
        : h('p', { class: 'ok', id: 'wo-no-conflict' }, t('wo.book.no_conflict')));
    } catch (e) {
      conflicts.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    }
  }
  function choose(s, li) {
    pick.input.value = s.name;
    pick.input.dataset.pick = String(s.user_id);
    at.value = localInput(s.appointment_at);
    slotsEl.querySelectorAll('li').forEach((x) => x.removeAttribute('aria-current'));
    li.setAttribute('aria-current', 'true');
    check();
  }
  async function suggest() {
    clear(slotsEl);
    try {
      const { data } = await api('POST', '/work-orders/slots', { body: { ticket_id: k.id, date: date.value, count: 3 } });
      if (!data.slots.length) {
        slotsEl.append(h('li', { class: 'empty', id: 'wo-no-slot' }, has(`wo.book.none.${data.reason}`) ? t(`wo.book.none.${data.reason}`, { skill: data.skill ?? '' }) : t('wo.book.none')));
        return;
      }
      data.slots.forEach((s, i) => {
        const body = h('div', { class: 'wo-slot-body' },
          h('strong', null, s.name), ' ',
          h('span', { class: 'wo-slot-window' }, t('wo.book.window', { from: hhmm(s.window_start), to: hhmm(s.window_end), at: hhmm(s.appointment_at) })), ' ',
          h('span', { class: 'muted wo-slot-sla' }, s.sla_due_at ? t('wo.book.sla_due', { due: fmtTime(s.sla_due_at) }) : t('wo.book.no_sla')));
        const li = h('li', { class: 'wo-slot', 'data-slot': i }, body);
        body.append(' ', h('button', { type: 'button', class: 'btn', 'data-choose': i, onclick: () => choose(s, li) }, t('wo.book.choose')));
        slotsEl.append(li);
      });
    } catch (e) {
      slotsEl.append(h('li', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    }
  }
  async function save() {
    err.hidden = true;
    const b = body();
    if (!b.lead_id || !b.appointment_at) { err.hidden = false; err.textContent = t('wo.book.need'); return; }
    if (note.value.trim()) b.note = note.value.trim();
    else if (k.status === 'visit_scheduled') { // a re-booking of the ticket says why
      err.hidden = false; err.textContent = t('ui.form.fix', { field: t('wo.f.note') }); note.focus(); return;
    }
    if (conflictCount) {
      if (!override.value.trim()) { err.hidden = false; err.textContent = t('wo.book.need_override'); override.focus(); return; }
      b.override_reason = override.value.trim();
    }
    try {
      await api('POST', '/work-orders', { body: b });
      state.flash = { kind: 'info', text: t('wo.book.saved') };
      render();
    } catch (e) {
      err.hidden = false;
      err.textContent = errorText(e);
      if (e.reason === 'conflict') check();
    }
  }
  pick.input.addEventListener('change', check);
  at.addEventListener('change', check);
  const leadField = h('div', { class: 'field' }, h('label', { for: pick.input.id }, t('wo.f.lead')), pick.input);
  append(box, [
    h('h3', null, t('wo.book.title')),
    h('div', { class: 'field' }, h('label', { for: date.id }, t('wo.book.date')), date),
    h('button', { type: 'button', class: 'btn', id: 'wo-suggest', onclick: suggest }, t('wo.book.suggest')),
    slotsEl,
    h('p', { class: 'hint' }, t('wo.book.by_hand')),
    leadField,
    h('div', { class: 'field' }, h('label', { for: at.id }, t('wo.f.appointment')), at),
    h('div', { class: 'field' }, h('label', { for: note.id }, t('wo.f.note')), note),
    conflicts, overrideField, err,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-primary', id: 'wo-save', onclick: save }, t('wo.book.save'))),
  ]);
  pick.mount();
  return box;
}
