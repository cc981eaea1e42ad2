// One visit on the phone (#/day/{id}): depart, running late, arrive (with the
// position when the phone gives it), then on site the checklist, work done,
// parts, hours, photos before/after, the result, the customer's signature
// (views/tech_sign.js) and finish. Everything is one column of large targets.
// Typed text is kept as a draft in localStorage until the server has it, so a
// dropped connection on site loses nothing.
import { contractReqsCard } from './contract_reqs.js';
import { h, clear, append, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fmtTime, fmtMoney, today, localDay } from '../i18n.js';
import { go, errorText, state } from '../app.js';
import { may, P } from '../policy.js';
import { woApi, context, clock, windowText, woStatusBadge, tt, reachButtons, bringList } from './tech.js';
import { photoBlock, uploadWoPhoto, woPhotos } from './tech_photo.js';
import { checklistCard } from './tech_checklist.js';
import { woEnum, woOpen } from './wo.js';
import { partsUseCard } from './parts.js';

const draftKey = (id) => `shouhou.tech.draft.${id}`;

function readDraft(id) {
  try { return JSON.parse(localStorage.getItem(draftKey(id)) || 'null'); } catch { return null; }
}
function writeDraft(id, d) {
  try { localStorage.setItem(draftKey(id), JSON.stringify(d)); } catch { /* full */ }
}
export function dropDraft(id) {
  try { localStorage.removeItem(draftKey(id)); } catch { /* private mode */ }
}

// The position, when the phone allows it within a few seconds; null otherwise.
function position() {
  if (!navigator.geolocation) return Promise.resolve(null);
  return new Promise((res) => {
    navigator.geolocation.getCurrentPosition(
      (p) => res({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lon: Math.round(p.coords.longitude * 1e6) / 1e6 }),
      () => res(null), { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
  });
}

// back to the day of the job (#/day?day=… for a job not today)
function backTo(wo) {
  const day = wo.appointment_at ? localDay(wo.appointment_at) : today();
  return day === today() ? '#/day' : `#/day?day=${day}`;
}

const iso = (d) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export async function visitView(main, id) {
  let res = await woApi.get(id);
  let wo = res.data, etag = res.etag;
  const c = await context(wo);
  if (!main.isCurrent()) return;
  const notice = h('div', { id: 'visit-msg', role: 'status', 'aria-live': 'polite' });
  const say = (kind, text) => clear(notice).append(h('p', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : null }, text));
  const fail = (e) => { if (e.status !== 401) say('error', e.status === 412 ? t('tech.stale') : errorText(e)); };

  // onErr(e): true when it showed the error itself (next to its field)
  async function act(action, body = {}, onErr = null) {
    try {
      await woApi.action(id, action, body, etag);
      return true;
    } catch (e) { if (!onErr?.(e)) fail(e); return false; }
  }
  const reload = () => go(`/day/${id}`);

  main.append(
    h('p', { class: 'tech-back' }, h('a', { href: backTo(wo), class: 'btn btn-quiet', id: 'visit-back' }, t('tech.back'))),
    h('section', { class: 'card wo-head', 'aria-labelledby': 'visit-title', id: 'visit-head', 'data-status': wo.status },
      h('div', { class: 'wo-top' }, h('time', { class: 'wo-time', datetime: wo.appointment_at || null }, windowText(wo)), woStatusBadge(wo.status)),
      h('h1', { id: 'visit-title', class: 'wo-customer' }, c.customer || wo.number),
      h('p', { class: 'wo-meta' }, [tt('kind', wo.kind), wo.number].filter(Boolean).join(' · '),
        wo.ticket_id ? [' · ', h('a', { href: `#/tickets/${wo.ticket_id}`, id: 'visit-ticket' }, c.ticketNumber || t('tech.ticket'))] : null),
      c.address ? h('p', { class: 'wo-address' }, c.address) : null,
      c.contact || c.phone ? h('p', { class: 'wo-meta' }, [c.contact, c.phone].filter(Boolean).join(' · ')) : null,
      c.fault ? h('p', { class: 'wo-fault' }, c.fault) : null,
      reachButtons(c, wo.number),
      chargeBanner(wo),
      bringList(wo, c),
      times(wo)),
    // a card that is not there is left out (Element.append would print "null")
    ...[contractReqsCard(wo.contract_requirements), findingsLink(wo), notice].filter(Boolean));

  // ---- before arrival: (confirm,) depart, running late, arrive — as the server allows them ----
  const allowed = new Set(wo.allowed_actions || []);
  if (['planned', 'confirmed', 'departed'].includes(wo.status)) {
    const box = h('section', { class: 'card', id: 'visit-go', 'aria-labelledby': 'go-t' }, h('h2', { id: 'go-t' }, t('tech.go.title')));
    const step = (action, extra) => h('button', { type: 'button', class: 'btn btn-primary btn-wide', id: `act-${action}`, onclick: async (e) => {
      e.target.disabled = true;
      const body = extra ? await extra() : {};
      if (await act(action, body)) reload(); else e.target.disabled = false;
    } }, t(`tech.act.${action}`));
    if (allowed.has('depart')) box.append(step('depart'));
    else if (allowed.has('confirm')) box.append(step('confirm'));
    if (allowed.has('arrive')) {
      const geoNote = h('p', { class: 'hint', id: 'arrive-note' }, t('tech.go.position_hint'));
      box.append(step('arrive', async () => {
        geoNote.textContent = t('tech.go.locating');
        const pos = await position();
        geoNote.textContent = pos ? t('tech.go.located') : t('tech.go.no_position');
        return pos ? { lat: pos.lat, lon: pos.lon } : {};
      }), geoNote);
    }
    if (allowed.has('running_late')) box.append(lateForm(wo, act, reload));
    main.append(box);
    return;
  }

  if (!woOpen(wo.status)) {
    // finished: what was found and done, the parts, the photos and the signed report to hand over
    const [reports, photos] = await Promise.all([
      api('GET', `/work-orders/${id}/reports`).then((r) => r.data).catch(() => null), woPhotos(id)]);
    if (main.isCurrent()) main.append(summary(wo, reports, photos));
    return;
  }

  // ---- on site: the work ----
  const draft = readDraft(id) || {};
  const val = (k, server) => (draft[k] !== undefined && (server === null || server === undefined || server === '') ? draft[k] : server ?? '');
  const findings = h('textarea', { id: 'wo-findings', rows: '3', maxlength: '4000' });
  findings.value = val('findings', wo.findings);
  const workDone = h('textarea', { id: 'wo-work-done', rows: '4', maxlength: '4000' });
  workDone.value = val('work_done', wo.work_done);
  const hours = h('input', { id: 'wo-hours', type: 'number', inputmode: 'decimal', min: '0', max: '24', step: '0.25' });
  hours.value = wo.labour_minutes ? String(Math.round((wo.labour_minutes / 60) * 100) / 100) : (draft.hours ?? '');
  const parts = partsEditor(wo.parts?.length ? wo.parts : draft.parts || []);
  const resultNote = h('textarea', { id: 'wo-result-note', rows: '2', maxlength: '2000' });
  resultNote.value = val('result_note', wo.result_note);
  let result = draft.result || 'done';
  const resultGroup = h('fieldset', { class: 'tech-choice', id: 'wo-result' },
    h('legend', null, t('tech.result.title')),
    woEnum('result').map((r) => {
      const rid = nextId('res');
      return h('div', { class: 'tech-radio' },
        h('input', { type: 'radio', name: 'wo-result', id: rid, value: r, checked: r === result, onchange: () => { result = r; keep(); } }),
        h('label', { for: rid }, tt('result', r)));
    }));

  function collect() {
    const hv = hours.value.trim();
    return { findings: findings.value, work_done: workDone.value, hours: hv, parts: parts.rows(), result, result_note: resultNote.value };
  }
  function keep() { writeDraft(id, collect()); }
  for (const el of [findings, workDone, hours, resultNote]) el.addEventListener('input', keep);
  parts.onChange(keep);

  // PATCH what the technician typed; true when the server has it
  async function save() {
    const d = collect();
    const body = { findings: d.findings, work_done: d.work_done, result_note: d.result_note };
    if (d.hours !== '') {
      const n = Number(d.hours);
      if (!Number.isFinite(n) || n < 0 || n > 24) { say('error', t('tech.hours_bad')); hours.focus(); return false; }
      body.labour_minutes = Math.round(n * 60);
    }
    const bad = d.parts.find((p) => !p.name || !(p.quantity > 0));
    if (bad) { say('error', t('tech.parts.bad')); return false; }
    body.parts = d.parts;
    if (unchanged(wo, body)) { dropDraft(id); return true; } // a signed report stays signed
    try {
      res = await woApi.patch(id, body, etag);
      if (res.data) wo = res.data;
      etag = res.etag || etag;
      dropDraft(id);
      return true;
    } catch (e) { fail(e); return false; }
  }

  // 请客户签字 waits for the self-check gate (the server refuses the signature before it): the
  // button is disabled with the reason under it until the checklist says passed
  const signGate = h('p', { class: 'alert alert-error', id: 'sign-gate', hidden: true });
  const signBtn = h('button', { type: 'button', class: 'btn btn-wide', id: 'wo-sign', disabled: true, 'aria-describedby': 'sign-gate',
    onclick: async () => { if (await save()) go(`/day/${id}/sign`); } });
  const checklist = checklistCard(id, (d) => {
    const open = !!d && !d.passed;
    signBtn.disabled = open;
    signGate.hidden = !open;
    signGate.textContent = open ? t('tech.sign.gate') : '';
  });
  const upload = (f, phase) => uploadWoPhoto(id)(f, phase).then((r) => { checklist.reload(); return r; });
  // the photos already taken (a visit reopened on the phone shows them)
  const photos = await woPhotos(id);
  if (!main.isCurrent()) return;

  // the service report's versions (engineer report): signed, and still what the work order holds?
  const reports = await api('GET', `/work-orders/${id}/reports`).then((r) => r.data).catch(() => null);
  if (!main.isCurrent()) return;
  const lastSigned = (reports?.items || []).filter((v) => v.signed).pop() || null;
  const signed = reports?.current_signed ? lastSigned : null;
  if (!signed) signBtn.classList.add('btn-primary');
  main.append(
    checklist,
    h('section', { class: 'card', id: 'visit-work', 'aria-labelledby': 'work-t' },
      h('h2', { id: 'work-t' }, t('tech.work.title')),
      h('div', { class: 'field' }, h('label', { for: 'wo-findings' }, t('tech.work.findings')), findings),
      h('div', { class: 'field' }, h('label', { for: 'wo-work-done' }, t('tech.work.done')), workDone),
      parts.el,
      h('div', { class: 'field' }, h('label', { for: 'wo-hours' }, t('tech.work.hours')), hours, h('small', { class: 'hint' }, t('tech.work.hours_hint'))),
      h('button', { type: 'button', class: 'btn btn-wide', id: 'wo-save', onclick: async () => { if (await save()) say('info', t('tech.saved')); } }, t('tech.save'))),
    partsUseCard(id),
    h('section', { class: 'card', id: 'visit-photos', 'aria-labelledby': 'ph-t' },
      h('h2', { id: 'ph-t' }, t('tech.photo.title')),
      photoBlock('before', upload, photos.filter((p) => p.phase === 'before')),
      photoBlock('after', upload, photos.filter((p) => p.phase === 'after'))),
    h('section', { class: 'card', id: 'visit-sign', 'aria-labelledby': 'sg-t' },
      h('h2', { id: 'sg-t' }, t('tech.sign.title')),
      signed ? h('p', { id: 'sign-done', class: 'alert alert-info' }, t('tech.sign.done', { name: signed.signer_name || '', time: fmtTime(signed.signed_at) }))
        : h('p', { class: lastSigned ? 'alert alert-error' : 'hint', id: 'sign-state' }, lastSigned ? t('tech.sign.stale') : t('tech.sign.hint')),
      lastSigned?.pdf_url ? h('p', null, h('a', { href: lastSigned.pdf_url, id: 'sign-pdf', target: '_blank', rel: 'noopener' }, t('tech.sign.pdf', { version: lastSigned.version }))) : null,
      signGate,
      append(signBtn, [signed ? t('tech.sign.again') : t('tech.sign.ask')])),
    h('section', { class: 'card', id: 'visit-finish', 'aria-labelledby': 'fin-t' },
      h('h2', { id: 'fin-t' }, t('tech.finish.title')),
      resultGroup,
      h('div', { class: 'field' }, h('label', { for: 'wo-result-note' }, t('tech.result.note')), resultNote),
      h('button', { type: 'button', class: 'btn btn-primary btn-wide', id: 'act-finish', onclick: async (e) => {
        e.target.disabled = true;
        if (await save() && await act('finish', resultNote.value.trim() ? { result, note: resultNote.value.trim() } : { result })) { dropDraft(id); reload(); return; }
        e.target.disabled = false;
      } }, t('tech.act.finish'))));
}

// A periodic visit (WF-10 S3, R-070): the customer's opinions on use, design, assembly and
// process are its 走访记录 — the form of views/visits.js, for whoever may record it (review 71 #11).
function findingsLink(wo) {
  if (wo.kind !== 'periodic_visit' || !may(state.user, P.visitFindings)) return null;
  return h('section', { class: 'card', id: 'visit-findings', 'aria-labelledby': 'vf-t' },
    h('h2', { id: 'vf-t' }, t('visit.findings.title')),
    h('p', { class: 'hint' }, t('visit.findings.hint')),
    h('a', { href: `#/work-orders/${wo.id}/findings`, class: 'btn btn-wide', id: 'visit-findings-link' }, t('visit.findings.record')));
}

// true when the work order already holds what the form would send
function unchanged(wo, body) {
  const partsOf = (ps) => JSON.stringify((ps || []).map((p) => [p.name, Number(p.quantity), p.unit || '']));
  return (wo.findings || '') === body.findings && (wo.work_done || '') === body.work_done &&
    (wo.result_note || '') === body.result_note &&
    (body.labour_minutes === undefined || wo.labour_minutes === body.labour_minutes) &&
    partsOf(wo.parts) === partsOf(body.parts);
}

// A chargeable job: the customer accepted the quote's total, to confirm or collect on site.
function chargeBanner(wo) {
  const q = wo.accepted_quote;
  if (!q) return null;
  return h('p', { class: 'alert alert-info', id: 'visit-charge', 'data-total-fen': String(q.total_fen) },
    t('tech.charge.banner', { number: q.number, total: fmtMoney(q.total_fen) }));
}

function times(wo) {
  const rows = [];
  if (wo.eta_at) rows.push([t('tech.t.eta'), clock(wo.eta_at)]);
  if (wo.departed_at) rows.push([t('tech.t.departed'), clock(wo.departed_at)]);
  if (wo.arrived_at) rows.push([t('tech.t.arrived'), clock(wo.arrived_at)]);
  if (wo.lateness_min !== null && wo.lateness_min !== undefined && wo.arrived_at) {
    rows.push([t('tech.t.lateness'), wo.lateness_min > 0 ? t('tech.t.late_min', { n: wo.lateness_min }) : t('tech.t.on_time')]);
  }
  if (wo.late_notice) rows.push([t('tech.t.notice'), tt('notice', wo.late_notice)]);
  if (!rows.length) return null;
  return h('dl', { class: 'details tech-times' }, rows.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))));
}

// "Running late": a new arrival time, sent to the customer and the service manager.
function lateForm(wo, act, reload) {
  const base = new Date(Math.max(Date.now(), Date.parse(wo.appointment_at || '') || 0) + 30 * 60000);
  const hm = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(base);
  const input = h('input', { id: 'late-eta', type: 'time', value: hm, required: true });
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'tech-late', id: 'late-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const m = /^(\d{2}):(\d{2})$/.exec(input.value);
    if (!m) { err.hidden = false; err.textContent = t('tech.late.need_time'); input.focus(); return; }
    // the time of day in Asia/Shanghai (UTC+8, no summer time) on the appointment's day
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(wo.appointment_at || Date.now()));
    let eta = new Date(`${day}T${m[1]}:${m[2]}:00+08:00`);
    // a time more than 12 h before the appointment is after midnight: the next day (23:50 → 00:20)
    if (wo.appointment_at && eta.getTime() < Date.parse(wo.appointment_at) - 12 * 3600e3) eta = new Date(eta.getTime() + 86400e3);
    btn.disabled = true;
    // review 71 #13: a time refused by the API (not after the appointment, past) is said here
    const onErr = (x) => {
      if (x?.field !== 'eta_at') return false;
      err.hidden = false;
      err.textContent = errorText(x);
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return true;
    };
    err.hidden = true;
    input.removeAttribute('aria-invalid');
    if (await act('running_late', { eta_at: iso(eta) }, onErr)) reload(); else btn.disabled = false;
  } });
  const btn = h('button', { type: 'submit', class: 'btn btn-wide', id: 'act-late' }, t('tech.act.running_late'));
  append(form, [
    h('div', { class: 'field' }, h('label', { for: 'late-eta' }, t('tech.late.eta')), input, h('small', { class: 'hint' }, t('tech.late.hint'))),
    err, btn]);
  return h('details', { class: 'tech-late-box', id: 'late-box' }, h('summary', { id: 'late-open' }, t('tech.late.title')), form);
}

// Parts used: free text with quantity and unit (until the parts catalogue arrives).
function partsEditor(initial) {
  const list = h('ul', { class: 'tech-parts', id: 'wo-parts' });
  let changed = () => {};
  function row(p = {}) {
    const n = h('input', { 'data-part': 'name', maxlength: '120', value: p.name || '', 'aria-label': t('tech.parts.name'), placeholder: t('tech.parts.name') });
    const q = h('input', { 'data-part': 'quantity', type: 'number', inputmode: 'decimal', min: '0', step: 'any', value: p.quantity ?? 1, 'aria-label': t('tech.parts.quantity') });
    const u = h('input', { 'data-part': 'unit', maxlength: '20', value: p.unit || '', 'aria-label': t('tech.parts.unit'), placeholder: t('tech.parts.unit') });
    const li = h('li', { class: 'tech-part' }, n, q, u,
      h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': t('tech.parts.remove'), onclick: () => { li.remove(); changed(); } }, '×'));
    for (const x of [n, q, u]) x.addEventListener('input', () => changed());
    list.append(li);
    return n;
  }
  for (const p of initial) row(p);
  const el = h('fieldset', { class: 'tech-parts-box' },
    h('legend', null, t('tech.parts.title')), list,
    h('button', { type: 'button', class: 'btn', id: 'wo-part-add', onclick: () => { row().focus(); changed(); } }, t('tech.parts.add')));
  return {
    el,
    onChange(fn) { changed = fn; },
    rows: () => [...list.children].map((li) => {
      const g = (k) => li.querySelector(`[data-part="${k}"]`).value.trim();
      return { name: g('name'), quantity: Number(g('quantity')), unit: g('unit') };
    }).filter((p) => p.name || p.unit),
  };
}

// The finished work order (review 71 #3): the result, what was found and done, every part
// (the report's list: the work order's and the van's), hours, the customer's comment, the
// photos before/after and the signed service report's PDF — the page the technician shows
// the customer when handing over the signed 售后服务报告单.
function summary(wo, reports, photos) {
  const partText = (p) => `${[p.code, p.name].filter(Boolean).join(' ')} × ${p.quantity}${p.unit || ''}`;
  const parts = reports?.current?.parts || wo.parts || [];
  const signed = (reports?.items || []).filter((v) => v.signed).pop() || null;
  const shots = (phase) => photos.filter((p) => p.phase === phase && p.url);
  const gallery = ['before', 'after'].filter((ph) => shots(ph).length).map((ph) => h('div', { class: 'tech-photos', 'data-kind': ph },
    h('h3', null, t(`tech.photo.${ph}`)),
    h('ul', { class: 'tech-thumbs', 'data-photos': ph }, shots(ph).map((p) => h('li', null,
      h('img', { src: p.url, alt: t('tech.photo.alt', { kind: t(`tech.photo.${ph}`) }), class: 'thumb', loading: 'lazy' }))))));
  return h('section', { class: 'card', id: 'visit-summary', 'aria-labelledby': 'sum-t' },
    h('h2', { id: 'sum-t' }, t('tech.summary.title')),
    h('dl', { class: 'details' }, [
      [t('tech.result.title'), h('span', { id: 'sum-result', 'data-result': wo.status }, tt('result', wo.status))],
      [t('tech.t.finished'), fmtTime(wo.finished_at)],
      [t('tech.work.findings'), wo.findings],
      [t('tech.work.done'), wo.work_done],
      [t('tech.parts.title'), parts.length ? h('ul', { class: 'sign-list', id: 'sum-parts' }, parts.map((p) => h('li', null, partText(p)))) : ''],
      [t('tech.work.hours'), wo.labour_minutes ? t('tech.hours_n', { n: Math.round((wo.labour_minutes / 60) * 100) / 100 }) : ''],
      [t('tech.result.note'), wo.result_note],
      [t('tech.sign.comment'), wo.customer_comment],
    ].map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v || '—')))),
    ...gallery,
    signed ? h('p', { id: 'sum-signed' }, t('tech.sign.done', { name: signed.signer_name || '', time: fmtTime(signed.signed_at) }), ' ',
      signed.pdf_url ? h('a', { href: signed.pdf_url, id: 'sign-pdf', target: '_blank', rel: 'noopener' }, t('tech.sign.pdf', { version: signed.version })) : null)
      : h('p', { class: 'hint', id: 'sum-unsigned' }, t('tech.summary.unsigned')));
}
