// Return to factory (返厂维修, issue 14 item 2; docs/rma.md): the RMA board by state (#/rmas)
// and the RMA page (#/rmas/{id}) with the QC inspection forms (incoming and outgoing, with the
// phone's camera), the technical department's cause analysis, the repair, the ship-back and
// the timeline, and a DOA unit's advance exchange (its return date, overdue). States, actions and cause categories come from the server (GET /api/v1/meta
// and the page's allowed_actions), never copied here. A customer account sees the state, and the
// charge the analysis proposes with its accept / decline (WF-20 S4-S5).
import { h, clear } from '../dom.js';
import { api, apiUpload } from '../api.js';
import { t, has, fmtTime, fmtMoney } from '../i18n.js';
import { columnMeta, meta } from '../meta.js';
import { detailList, replacementWords, yuanToFen } from './common.js';
import { errorText, go, state } from '../app.js';

export function rl(group, v) {
  if (v === null || v === undefined || v === '') return '';
  const k = `rma.${group}.${v}`;
  return has(k) ? t(k) : String(v);
}

const badge = (s) => h('span', { class: `badge badge-rma badge-rma-${s}`, 'data-rma-state': s }, rl('state', s));
// shipped_back only asks for the ship-back: until its shipment is dispatched it is 待发回
const stateBadge = (v) => (v.rma.state === 'shipped_back' && !v.ship_back_dispatched
  ? h('span', { class: 'badge badge-rma badge-rma-shipped_back', 'data-rma-state': 'shipped_back', 'data-dispatched': 'false' }, t('rma.ship_pending'))
  : badge(v.rma.state));

function rmaError(e) {
  if (e?.reason === 'guard' && e.params?.guard === 'consent') return consentError(e.params);
  if (e?.reason === 'guard' && has(`rma.guard.${e.params?.guard}`)) {
    const vars = { ...e.params };
    if (vars.open_fen !== undefined) vars.open = fmtMoney(vars.open_fen); // the payment guard's open amount
    return t(`rma.guard.${e.params.guard}`, vars);
  }
  if (e?.reason === 'illegal_action' && Array.isArray(e.params?.allowed)) {
    return t('rma.illegal', { allowed: e.params.allowed.map((a) => rl('act', a)).join('、') || '—' });
  }
  return errorText(e);
}

const alertBox = (id) => h('p', { class: 'alert alert-error', role: 'alert', id, hidden: true });
function showErr(box, e) { box.hidden = false; box.textContent = rmaError(e); }
function field(label, input) {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}

// ---- the board: one column per state; ?state=closed|cancelled lists the finished ones ----

export async function rmasView(main) {
  const p = main.params;
  const states = columnMeta('rma', 'state')?.enum || [];
  const st = h('select', { id: 'rma-f-state', name: 'state' }, h('option', { value: '' }, t('rma.f.open')),
    states.map((s) => h('option', { value: s, selected: p.get('state') === s }, rl('state', s))));
  // the advance exchanges whose old unit is past its return date (review 68 M9)
  const od = h('input', { type: 'checkbox', id: 'rma-f-overdue', name: 'overdue', checked: p.get('overdue') === 'true' });
  const form = h('form', { class: 'filters', id: 'rma-filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    go('/rmas', { state: st.value, ...(od.checked ? { overdue: 'true' } : {}) });
  } }, field(t('rma.f.state'), st), h('div', { class: 'field' }, h('label', { for: od.id }, od, ' ', t('rma.f.overdue'))),
  h('button', { type: 'submit', class: 'btn btn-primary' }, t('rma.f.apply')));
  const body = h('div', { id: 'rma-board' });
  main.append(h('h1', null, t('rma.title')), form, body);
  let data;
  try {
    const query = p.get('state') ? { state: p.get('state') } : { open: 'true' };
    if (p.get('overdue') === 'true') query.overdue = 'true';
    ({ data } = await api('GET', '/rmas', { query: { ...query, expand: 'customer_id', limit: 200, sort: 'id' } }));
  } catch (e) {
    body.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  const shown = p.get('state') ? [p.get('state')] : states.filter((s) => s !== 'closed' && s !== 'cancelled');
  const card = (r) => h('li', { class: 'rma-card', 'data-rma-id': r.id },
    h('a', { href: `#/rmas/${r.id}` }, h('strong', null, r.number)), ' ', r.customer_name || '',
    r.chargeable ? h('span', { class: 'badge badge-late', 'data-chargeable': '1' }, t('rma.chargeable')) : null,
    r.advance ? h('span', { class: 'badge', 'data-advance': '1' }, t('rma.advance')) : null,
    returnLate(r) ? h('span', { class: 'badge badge-late', 'data-overdue': '1' }, t('rma.overdue')) : null);
  // the board reads at most 200 cards: past that it says so (filter by state to see the rest)
  const more = data.total > data.items.length
    ? h('p', { class: 'alert', id: 'rma-more', role: 'status' }, t('rma.board_more', { shown: data.items.length, n: data.total }))
    : null;
  clear(body).append(h('p', { class: 'count', id: 'rma-total' }, t('ui.list.count', { n: data.total ?? data.items.length })), ...(more ? [more] : []),
    h('div', { class: 'rma-columns' }, shown.map((s) => {
      const items = data.items.filter((r) => r.state === s);
      return h('section', { class: 'card rma-column', 'data-column': s },
        h('h2', null, badge(s), ' ', h('span', { class: 'count' }, String(items.length))),
        items.length ? h('ul', { class: 'plain' }, items.map(card)) : h('p', { class: 'empty' }, '—'));
    })));
}

// An advance exchange still waiting for the old unit after its return date (the local date;
// the page has the server's return_overdue).
function returnLate(r) {
  if (!r.advance || r.state !== 'awaiting_return' || !r.return_due) return false;
  const d = new Date();
  const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return r.return_due < today;
}

// ---- the RMA page ----

export async function rmaView(main, id) {
  let view;
  try {
    ({ data: view } = await api('GET', `/rmas/${id}`));
  } catch (e) {
    main.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  const box = h('div', { id: 'rma-page' });
  main.append(box);
  // page() leaves out the cards a reader does not get as null: drop them (append would print "null")
  const redraw = (v) => { view = v; clear(box).append(...page(v, redraw).filter(Boolean)); };
  redraw(view);
}

function page(v, redraw) {
  const r = v.rma;
  const staff = !state.user.roles.every((x) => x === 'customer' || x === 'dealer');
  const rows = [[t('rma.f.customer'), v.customer_name], [t('rma.f.unit'), `${v.model_name} ${v.serial_no}`],
    [t('rma.f.ticket'), staff ? h('a', { href: `#/tickets/${r.ticket_id}` }, v.ticket_number) : v.ticket_number],
    [t('rma.f.received'), fmtTime(r.received_at)], [t('rma.f.closed'), fmtTime(r.closed_at)]];
  if (staff) {
    rows.push([t('rma.f.warranty'), rl('warranty', r.warranty_status)],
      [t('rma.f.charge'), r.chargeable ? (r.charge_fen != null ? chargeState(v) : t('rma.chargeable')) : t('rma.free')],
      [t('rma.f.fault'), r.fault], [t('rma.f.incoming'), r.incoming_findings],
      [t('rma.f.cause'), r.cause_category ? `${rl('cause', r.cause_category)}：${r.cause_analysis}` : ''],
      [t('rma.f.work'), r.work_note], [t('rma.f.outgoing'), r.outgoing_findings],
      [t('rma.f.shipment'), r.shipment_id ? h('a', { href: `#/shipments/${r.shipment_id}` }, `${v.shipment_number} ${v.shipment_state ? t(`shp.state.${v.shipment_state}`) : ''}`) : '']);
  }
  // WF-08 advance exchange: the new unit shipped first, the old one is due back (review 68 M9)
  if (r.advance) {
    rows.push([t('rma.f.return_due'), h('span', { id: 'rma-return-due', 'data-overdue': String(v.return_overdue) }, r.return_due || '',
      v.return_overdue ? [' ', h('span', { class: 'badge badge-late', id: 'rma-overdue' }, t('rma.overdue'))] : null)]);
  }
  if (staff && r.new_unit_id) rows.push([t('rma.f.new_unit'), h('a', { href: `#/units/${r.new_unit_id}` }, `#${r.new_unit_id}`)]);
  return [h('h1', null, t('rma.page', { number: r.number }), ' ', stateBadge(v),
    r.advance ? [' ', h('span', { class: 'badge', id: 'rma-advance' }, t('rma.advance'))] : null), detailList(rows), consentCard(v, redraw, staff),
    staff && v.allowed_actions.includes('advance_exchange') ? advanceCard(v) : null,
    staff && v.replacement && !r.advance ? replacementCard(v, redraw) : null, staff ? actionsCard({ ...v, allowed_actions: v.allowed_actions.filter((a) => a !== 'consent') }, redraw) : null, staff ? photosCard(v) : null, staff ? timeline(v) : null];
}

// The analysed charge and what finance has recorded of it: the ship-back waits until it is paid
// (WF-20 S7). A charge the analysis billed nothing on (0) shows its amount only.
function chargeState(v) {
  const c = v.charge;
  if (!c) return fmtMoney(v.rma.charge_fen);
  const open = c.amount_fen - c.paid_fen;
  return h('span', { id: 'rma-charge', 'data-pay-state': c.pay_state }, fmtMoney(c.amount_fen), ' ',
    h('span', { class: `badge ${c.pay_state === 'paid' ? 'badge-w-in' : 'badge-w-expired'}` }, t(`enum.pay_state.${c.pay_state}`)),
    c.pay_state === 'paid' ? null : ` ${t('rma.charge_open', { open: fmtMoney(open) })}`);
}

// ---- WF-20 S4-S5: the charge the analysis proposes and the customer's decision on it ----

// The consent guard: waiting for the decision, or what the customer decided.
function consentError(p) {
  const k = p.decision ? `rma.guard.consent_${p.decision}` : 'rma.guard.consent';
  return t(k, { amount: fmtMoney(p.proposed_fen ?? 0) });
}

// The proposed charge, its state, and while it waits the decision: the customer accepts or
// declines in the portal; after-sales records what the customer said (how, and a note).
function consentCard(v, redraw, staff) {
  const r = v.rma;
  if (!(r.charge_fen > 0)) return null;
  const d = r.consent_decision;
  const status = d
    ? t(`rma.consent.done.${d}`, { at: fmtTime(r.consent_at), channel: r.consent_channel ? t(`quote.channel.${r.consent_channel}`) : '—' })
    : t(staff ? 'rma.consent.waiting' : 'rma.consent.ask');
  const card = h('section', { class: 'card', id: 'rma-consent', 'data-decision': d || '' }, h('h2', null, t('rma.consent.title')),
    h('p', null, t('rma.consent.amount'), ' ', h('strong', { id: 'rma-consent-amount' }, fmtMoney(r.charge_fen))),
    h('p', { id: 'rma-consent-status', role: 'status' }, status),
    staff && d && r.consent_note ? h('p', { class: 'hint' }, r.consent_note) : null);
  if (!v.allowed_actions.includes('consent')) return card;
  const err = alertBox('rma-consent-error');
  const chans = (columnMeta('rma', 'consent_channel')?.enum || []).filter((c) => c !== 'link' && c !== 'portal');
  const channel = staff ? h('select', { id: 'rma-consent-channel', name: 'channel', required: true },
    chans.map((c) => h('option', { value: c }, t(`quote.channel.${c}`)))) : null;
  const note = h('textarea', { id: 'rma-consent-note', name: 'note', maxlength: 2000, rows: 2, required: staff });
  const form = h('form', { class: 'rma-consent-form', onsubmit: (e) => e.preventDefault() },
    channel ? field(t('rma.consent.channel'), channel) : null, field(t(staff ? 'rma.consent.note_staff' : 'rma.consent.note'), note));
  const send = async (decision) => {
    err.hidden = true;
    if (!form.reportValidity()) return;
    if (!staff && !window.confirm(t(`rma.consent.confirm.${decision}`, { amount: fmtMoney(r.charge_fen) }))) return;
    const body = { action: 'consent', decision };
    if (channel) body.channel = channel.value;
    if (note.value) body.note = note.value;
    try {
      const { data } = await api('POST', `/rmas/${r.id}/actions`, { body, ifMatch: `"${r.version}"` });
      redraw(data);
    } catch (x) { showErr(err, x); }
  };
  form.append(h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn btn-primary', id: 'rma-consent-accept', onclick: () => send('accept') }, t('rma.consent.accept')), ' ',
    h('button', { type: 'button', class: 'btn', id: 'rma-consent-decline', onclick: () => send('decline') }, t('rma.consent.decline'))));
  card.append(err, form);
  return card;
}

// What each action needs, nothing more.
const NEEDS = {
  inspect_in: ['findings'], inspect_out: ['findings'], rework: ['findings'],
  analyse: ['cause_category', 'cause_analysis', 'charge'], repair: ['note'], replace: ['old_unit_handling', 'note'],
  ship_back: ['ship_to'], cancel: ['note'], advance_exchange: ['ship_to'],
};
const PHOTO_PHASE = { inspect_in: 'incoming', inspect_out: 'outgoing', rework: 'outgoing' };

function actionInput(v, a, f) {
  const id = `rma-${a}-${f}`;
  if (f === 'cause_category') {
    const causes = columnMeta('rma', 'cause_category')?.enum || [];
    return h('select', { id, name: f, required: true }, causes.map((c) => h('option', { value: c }, rl('cause', c))));
  }
  if (f === 'old_unit_handling') {
    const ways = columnMeta('rma', 'old_unit_handling')?.enum || [];
    return h('select', { id, name: f, required: true }, ways.map((w) => h('option', { value: w }, rl('old', w))));
  }
  if (f === 'charge') {
    if (!v.rma.chargeable) return null;
    return h('input', { id, name: f, type: 'number', min: 0, step: '0.01', inputmode: 'decimal' });
  }
  if (f === 'ship_to') return h('input', { id, name: f, maxlength: 200 });
  return h('textarea', { id, name: f, maxlength: f === 'note' ? 2000 : 4000, required: true, rows: 3 });
}

// A photo of the inspection the RMA is in: the phone's camera or a file.
function photoInput(v, phase, onAdded, err) {
  const input = h('input', { id: `rma-photo-${phase}`, type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', 'data-phase': phase, onchange: async (e) => {
    err.hidden = true;
    for (const file of e.target.files) {
      try {
        await apiUpload(`/rmas/${v.rma.id}/photos`, file, { phase });
      } catch (x) { showErr(err, x); return; }
    }
    e.target.value = '';
    onAdded();
  } });
  return h('div', { class: 'field' }, h('label', { for: input.id, class: 'btn' }, t('rma.photo.add', { phase: rl('phase', phase) })), input);
}

function actionsCard(v, redraw) {
  if (!v.allowed_actions.length) return null;
  const err = alertBox('rma-act-error');
  // a new photo redraws the photo list only: what is typed in the forms stays (review 68 M8)
  const reload = async () => {
    const { data } = await api('GET', `/rmas/${v.rma.id}`);
    document.getElementById('rma-photos')?.replaceWith(photosCard(data));
  };
  const mayPhoto = state.user.roles.some((x) => x === 'qc' || x === 'admin');
  const phases = new Set();
  const forms = v.allowed_actions.map((a) => {
    const inputs = (NEEDS[a] || []).map((f) => [f, actionInput(v, a, f)]).filter(([, el]) => el);
    const ph = PHOTO_PHASE[a];
    const photo = ph && mayPhoto && !phases.has(ph) ? (phases.add(ph), photoInput(v, ph, reload, err)) : null;
    const missing = h('p', { class: 'field-error', role: 'alert', id: `rma-${a}-missing`, hidden: true });
    return h('form', { class: 'card rma-action', 'data-action': a, novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      err.hidden = true;
      missing.hidden = true;
      // a required field left empty is named beside the button (the phone shows no bubble)
      const empty = inputs.find(([, el]) => el.required && !el.value.trim());
      for (const [, el] of inputs) el.removeAttribute('aria-invalid');
      if (empty) {
        const [f, el] = empty;
        el.setAttribute('aria-invalid', 'true');
        missing.textContent = t('rma.required', { field: t(`rma.in.${f}`) });
        missing.hidden = false;
        el.focus();
        return;
      }
      const body = { action: a };
      for (const [f, el] of inputs) {
        if (f === 'charge') { if (el.value !== '') body.charge_fen = yuanToFen(el.value) ?? el.value; } else if (el.value) body[f] = el.value;
      }
      try {
        const { data } = await api('POST', `/rmas/${v.rma.id}/actions`, { body, ifMatch: `"${v.rma.version}"` });
        redraw(data);
      } catch (x) { showErr(err, x); }
    } }, h('h3', null, rl('act', a)), photo,
    inputs.map(([f, el]) => field(t(`rma.in.${f}`), el)), missing,
    h('button', { type: 'submit', class: `btn ${a === 'cancel' || a === 'rework' ? '' : 'btn-primary'}`, id: `rma-do-${a}` }, rl('act', a)));
  });
  return h('section', { id: 'rma-actions' }, h('h2', null, t('rma.actions')), err, forms);
}

// WF-06: whether a replacement is eligible, and the request for the approval the approval
// matrix routes (kind replacement).
function replacementCard(v, redraw) {
  const r = v.rma;
  if (!r.cause_category && !['analysed', 'repaired', 'replaced'].includes(r.state)) return null;
  const ok = v.replacement.eligible;
  const err = alertBox('rma-repl-error');
  const done = h('p', { class: 'alert alert-ok', role: 'status', id: 'rma-repl-ok', hidden: true });
  const mayFile = state.user.roles.some((x) => ['sales', 'dept_head', 'admin'].includes(x));
  const ask = ok && r.state === 'analysed' && mayFile ? h('button', { type: 'button', class: 'btn', id: 'rma-repl-request', onclick: async () => {
    err.hidden = true;
    try {
      const { data } = await api('POST', '/approvals', { body: { kind: 'replacement', customer_id: r.customer_id, ticket_id: r.ticket_id,
        purpose: t('rma.repl.purpose', { number: r.number, cause: rl('cause', r.cause_category) }) } });
      done.hidden = false;
      done.textContent = t('rma.repl.filed', { id: data.id });
    } catch (x) { showErr(err, x); }
  } }, t('rma.repl.request')) : null;
  return h('section', { class: 'card', id: 'rma-replacement', 'data-eligible': String(ok) }, h('h2', null, t('rma.repl.title')),
    h('p', { id: 'rma-repl-eligibility' }, replacementWords(v.replacement)), err, done, ask);
}

// WF-08 advance exchange of a DOA unit: the replacement request the exchange needs (kind
// replacement, routed by the approval matrix); the action itself is in the actions card.
function advanceCard(v) {
  const r = v.rma;
  const err = alertBox('rma-adv-error');
  const done = h('p', { class: 'alert alert-ok', role: 'status', id: 'rma-adv-ok', hidden: true });
  const mayFile = state.user.roles.some((x) => ['sales', 'dept_head', 'admin'].includes(x));
  const ask = mayFile ? h('button', { type: 'button', class: 'btn', id: 'rma-adv-request', onclick: async () => {
    err.hidden = true;
    try {
      const { data } = await api('POST', '/approvals', { body: { kind: 'replacement', customer_id: r.customer_id, ticket_id: r.ticket_id,
        purpose: t('rma.adv.purpose', { number: r.number }) } });
      done.hidden = false;
      done.textContent = t('rma.repl.filed', { id: data.id });
    } catch (x) { showErr(err, x); }
  } }, t('rma.repl.request')) : null;
  return h('section', { class: 'card', id: 'rma-advance-card' }, h('h2', null, t('rma.adv.title')),
    h('p', null, t('rma.adv.hint')), err, done, ask);
}

function photosCard(v) {
  const phases = meta()?.enums?.rma_photo_phase || [];
  return h('section', { class: 'card', id: 'rma-photos' }, h('h2', null, t('rma.photos')),
    phases.map((ph) => {
      const list = v.photos.filter((p) => p.phase === ph);
      return h('div', { 'data-photos': ph }, h('h3', null, rl('phase', ph), ' ', h('span', { class: 'count' }, String(list.length))),
        list.length ? h('div', { class: 'photo-grid' }, list.map((p) => h('a', { href: p.url, target: '_blank', rel: 'noopener' },
          h('img', { src: p.url, alt: p.filename, loading: 'lazy', class: 'thumb', 'data-photo-id': p.id })))) : h('p', { class: 'empty' }, '—'));
    }));
}

function timeline(v) {
  return h('section', { class: 'card', id: 'rma-timeline' }, h('h2', null, t('rma.timeline')),
    h('ol', { class: 'timeline' }, v.events.map((e) => h('li', { 'data-ev': e.action },
      h('time', null, fmtTime(e.at)), ' ', e.actor_name || '', ' ', rl('act', e.action),
      e.to_state && e.from_state !== e.to_state ? ['→', rl('state', e.to_state)] : null, e.note ? `：${e.note}` : null))));
}
