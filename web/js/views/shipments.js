// Shipments (发货流程, issue 12 items 1 and 8): the board by state (#/shipments), the
// shipping request of sales (#/shipments/new), the payment finance confirms and the shipment
// page (#/shipments/{id}) with its lines and serials, the copies, the caller's actions and the
// timeline. States, kinds and actions come from the server (GET /api/v1/meta and the page's
// allowed_actions), never copied here. The serial field takes a USB scanner typing into it
// (Enter moves on) and, where the browser has BarcodeDetector, a phone camera scan.
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { t, has, fmtTime, fmtDate, fmtNumber, fmtMoney, today, localDay, roleLabel } from '../i18n.js';
import { columnMeta, routeRoles } from '../meta.js';
import { detailList } from './common.js';
import { errorText, go, state } from '../app.js';

const PAGE = 20;

export function sl(group, v) {
  if (v === null || v === undefined || v === '') return '';
  const k = `shp.${group}.${v}`;
  return has(k) ? t(k) : String(v);
}

const badge = (s) => h('span', { class: `badge badge-shp badge-shp-${s}`, 'data-shp-state': s }, sl('state', s));
const mayRoute = (m, p) => state.user?.roles.some((r) => routeRoles(m, p).has(r));

// The message of a refusal: the shipment's guards and illegal actions in words.
function shpError(e) {
  if (e?.reason === 'guard' && has(`shp.guard.${e.params?.guard}`)) {
    return t(`shp.guard.${e.params.guard}`, { ...e.params, role: roleLabel(e.params.role || '') });
  }
  if (e?.reason === 'illegal_action' && Array.isArray(e.params?.allowed)) {
    return t('shp.illegal', { allowed: e.params.allowed.map((a) => sl('act', a)).join('、') || '—' });
  }
  return errorText(e);
}

const alertBox = (id) => h('p', { class: 'alert alert-error', role: 'alert', id, hidden: true });
function showErr(box, e) { box.hidden = false; box.textContent = shpError(e); }

function field(label, input) {
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
}

// ---- the board ----

export async function shipmentsView(main) {
  const p = main.params;
  const states = columnMeta('shipment', 'state')?.enum || [];
  const st = h('select', { id: 'shp-f-state', name: 'state' }, h('option', { value: '' }, t('shp.f.all')),
    states.map((s) => h('option', { value: s, selected: p.get('state') === s }, sl('state', s))));
  const overdue = h('input', { type: 'checkbox', id: 'shp-f-overdue', name: 'overdue', checked: p.get('overdue') === 'true' });
  const form = h('form', { class: 'filters', id: 'shp-filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    go('/shipments', { state: st.value, overdue: overdue.checked ? 'true' : '' });
  } }, field(t('shp.f.state'), st),
  h('div', { class: 'field field-check' }, overdue, h('label', { for: overdue.id }, t('shp.f.overdue'))),
  h('button', { type: 'submit', class: 'btn btn-primary' }, t('shp.f.apply')));
  const tools = h('p', { class: 'actions' },
    mayRoute('POST', '/api/v1/shipments') && state.user.roles.some((r) => r === 'sales' || r === 'admin')
      ? h('a', { href: '#/shipments/new', class: 'btn btn-primary', id: 'shp-new' }, t('shp.new')) : null);
  const body = h('div', { id: 'shp-list' });
  main.append(h('h1', null, t('shp.title')), tools, mayRoute('POST', '/api/v1/payments') ? paymentForm() : null, form, body);
  const cursors = [null];
  async function load(page) {
    let data;
    try {
      ({ data } = await api('GET', '/shipments', { query: { state: p.get('state') || '', overdue: p.get('overdue') || '',
        expand: 'customer_id', limit: PAGE, cursor: cursors[page] || '' } }));
    } catch (e) {
      clear(body).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
      return;
    }
    if (!main.isCurrent()) return;
    cursors[page + 1] = data.next_cursor;
    const cols = ['number', 'customer', 'kind', 'state', 'waybill', 'due'];
    clear(body).append(
      h('p', { class: 'count', id: 'shp-total' }, t('ui.list.count', { n: fmtNumber(data.total) })),
      data.items.length === 0 ? h('p', { class: 'empty' }, t('ui.list.empty')) : h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
        h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, t(`shp.col.${c}`))))),
        h('tbody', null, data.items.map((s) => h('tr', { 'data-shp-id': s.id },
          h('td', { 'data-label': t('shp.col.number') }, h('a', { href: `#/shipments/${s.id}` }, s.number)),
          h('td', { 'data-label': t('shp.col.customer') }, s.customer_name || ''),
          h('td', { 'data-label': t('shp.col.kind') }, sl('kind', s.kind)),
          h('td', { 'data-label': t('shp.col.state') }, badge(s.state),
            s.state === 'in_transit' && s.arrival_due_on && s.arrival_due_on < today() ? h('span', { class: 'badge badge-late', 'data-overdue': '1' }, t('shp.overdue')) : null),
          h('td', { 'data-label': t('shp.col.waybill') }, [s.carrier, s.waybill_no].filter(Boolean).join(' ')),
          h('td', { 'data-label': t('shp.col.due') }, fmtDate(s.arrival_due_on))))))),
      h('div', { class: 'pager' },
        page > 0 ? h('button', { type: 'button', class: 'btn', id: 'shp-prev', onclick: () => load(page - 1) }, t('shp.prev')) : null,
        data.next_cursor ? h('button', { type: 'button', class: 'btn', id: 'shp-next', onclick: () => load(page + 1) }, t('shp.next')) : null));
  }
  await load(0);
}

// Finance confirms a payment on a contract (货款到账): the gate of the shipping request.
function paymentForm() {
  const contract = h('select', { id: 'pay-contract', name: 'contract_id', required: true });
  const amount = h('input', { id: 'pay-amount', name: 'amount', type: 'number', min: '0.01', step: '0.01', required: true });
  const day = h('input', { id: 'pay-day', name: 'received_on', type: 'date', value: today(), max: today(), required: true });
  const ref = h('input', { id: 'pay-ref', name: 'reference', maxlength: 60 });
  const err = alertBox('pay-error');
  const ok = h('p', { class: 'alert alert-ok', role: 'status', id: 'pay-ok', hidden: true });
  api('GET', '/contracts', { query: { limit: 200, sort: '-id', expand: 'customer_id' } }).then(({ data }) => {
    contract.append(...data.items.map((k) => h('option', { value: k.id }, `${k.number} ${k.customer_name || ''}`)));
  }).catch((e) => showErr(err, e));
  const form = h('form', { class: 'form', id: 'pay-form', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    try {
      const fen = Math.round(Number(amount.value) * 100);
      await api('POST', '/payments', { body: { contract_id: Number(contract.value), amount_fen: fen, received_on: day.value, reference: ref.value } });
      ok.hidden = false;
      ok.textContent = t('shp.pay.done', { amount: fmtMoney(fen) });
    } catch (x) { showErr(err, x); }
  } }, field(t('shp.pay.contract'), contract), field(t('shp.pay.amount'), amount),
  field(t('shp.pay.day'), day), field(t('shp.pay.ref'), ref), err, ok,
  h('button', { type: 'submit', class: 'btn btn-primary', id: 'pay-submit' }, t('shp.pay.submit')));
  // finance's own work: open for them, folded away for the others who may
  return h('details', { class: 'card', id: 'pay-card', open: state.user.roles.includes('finance') },
    h('summary', null, h('strong', null, t('shp.pay.title'))), form);
}

// ---- the shipping request (F-01); ?ticket=ID: a replacement for that ticket (WF-08) ----

export async function shipmentNewView(main) {
  const ticket = Number(main.params.get('ticket')) || 0;
  const contract = h('select', { id: 'shp-contract', name: 'contract_id', required: true });
  const site = h('select', { id: 'shp-site', name: 'site_id' }, h('option', { value: '' }, '—'));
  const model = h('select', { id: 'shp-model', name: 'model_id', required: true });
  const qty = h('input', { id: 'shp-qty', name: 'quantity', type: 'number', min: 1, max: 200, value: 1, required: true });
  const shipTo = h('input', { id: 'shp-ship-to', name: 'ship_to', maxlength: 200 });
  const note = h('textarea', { id: 'shp-note', name: 'note', maxlength: 2000 });
  const err = alertBox('shp-error');
  const [ks, ms] = await Promise.all([
    api('GET', '/contracts', { query: { limit: 200, sort: '-id', expand: 'customer_id' } }),
    api('GET', '/models', { query: { limit: 200 } })]);
  contract.append(...ks.data.items.map((k) => h('option', { value: k.id, 'data-customer': k.customer_id }, `${k.number} ${k.customer_name || ''}`)));
  model.append(...ms.data.items.map((m) => h('option', { value: m.id }, `${m.code} ${m.name}`)));
  async function loadSites() {
    const c = contract.selectedOptions[0]?.dataset.customer;
    clear(site).append(h('option', { value: '' }, '—'));
    if (!c) return;
    const { data } = await api('GET', `/customers/${c}/sites`, { query: { limit: 200 } });
    site.append(...data.items.map((s) => h('option', { value: s.id }, s.name)));
  }
  contract.addEventListener('change', loadSites);
  if (!ticket) await loadSites();
  const head = ticket
    ? [field(t('shp.f.ticket'), h('input', { id: 'shp-ticket', value: `#${ticket}`, readonly: true }))]
    : [field(t('shp.f.contract'), contract), field(t('shp.f.site'), site)];
  main.append(h('h1', null, t(ticket ? 'shp.new_replacement' : 'shp.new')), h('form', { class: 'card form', id: 'shp-form', onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    const body = { lines: [{ model_id: Number(model.value), quantity: Number(qty.value) }] };
    if (ticket) Object.assign(body, { kind: 'replacement', ticket_id: ticket });
    else body.contract_id = Number(contract.value);
    if (!ticket && site.value) body.site_id = Number(site.value);
    if (shipTo.value) body.ship_to = shipTo.value;
    if (note.value) body.note = note.value;
    try {
      const { data } = await api('POST', '/shipments', { body });
      go(`/shipments/${data.shipment.id}`);
    } catch (x) { showErr(err, x); }
  } }, head, field(t('shp.f.model'), model),
  field(t('shp.f.quantity'), qty), field(t('shp.f.ship_to'), shipTo), field(t('shp.f.note'), note), err,
  h('button', { type: 'submit', class: 'btn btn-primary', id: 'shp-submit' }, t('shp.submit'))));
}

// ---- the shipment page ----

export async function shipmentView(main, id) {
  let view;
  try {
    ({ data: view } = await api('GET', `/shipments/${id}`));
  } catch (e) {
    main.append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
    return;
  }
  if (!main.isCurrent()) return;
  const box = h('div', { id: 'shp-page' });
  main.append(box);
  const redraw = (v) => { view = v; clear(box).append(...page(v, redraw)); };
  redraw(view);
}

function page(v, redraw) {
  const s = v.shipment;
  return [
    h('h1', null, t('shp.page', { number: s.number }), ' ', badge(s.state),
      v.overdue ? h('span', { class: 'badge badge-late', id: 'shp-overdue' }, t('shp.overdue')) : null),
    detailList([
      [t('shp.col.customer'), v.customer_name], [t('shp.f.site'), v.site_name], [t('shp.col.kind'), sl('kind', s.kind)],
      [t('shp.f.contract'), v.contract_number], [t('shp.f.ticket'), v.ticket_number ? h('a', { href: `#/tickets/${s.ticket_id}` }, v.ticket_number) : ''],
      [t('shp.f.order_no'), s.order_no], [t('shp.f.ship_to'), s.ship_to],
      [t('shp.f.installation'), t(s.includes_installation ? 'shp.yes' : 'shp.no')],
      [t('shp.col.waybill'), [s.carrier, s.waybill_no].filter(Boolean).join(' ')],
      [t('shp.f.certificate'), s.state === 'in_transit' || s.dispatched_at ? t(s.certificate_sent ? 'shp.yes' : 'shp.no') : ''],
      [t('shp.col.due'), fmtDate(s.arrival_due_on)],
      [t('shp.f.hold'), s.hold_reason ? `${sl('hold', s.hold_reason)}：${s.hold_note}` : ''], [t('shp.f.instruction'), s.instruction],
      [t('shp.f.received'), s.received_on ? `${fmtDate(s.received_on)} ${s.received_signer}` : '']]),
    actionsCard(v, redraw), copiesCard(v, redraw), linesCard(v, redraw), timeline(v)];
}

// One form per legal action: what each action needs, nothing more.
const NEEDS = {
  hold: ['hold_reason', 'note'], instruct: ['note'], cancel: ['note'],
  dispatch: ['carrier', 'waybill_no', 'certificate_sent'], arrive: ['date'], receive: ['date', 'signer'],
};

// The first day an arrival or receipt may have: the day the goods left, for a receipt the
// day they arrived (400 date_order otherwise).
function firstDay(s, a) {
  const left = s.dispatched_at ? localDay(s.dispatched_at) : null;
  const arrived = a === 'receive' ? s.arrived_on : null;
  return [left, arrived].filter(Boolean).sort().pop() || null;
}

function actionInput(a, f, s) {
  const id = `shp-${a}-${f}`;
  if (f === 'hold_reason') return h('select', { id, name: f }, ['defect', 'stock_out'].map((r) => h('option', { value: r }, sl('hold', r))));
  if (f === 'note') return h('textarea', { id, name: f, maxlength: 2000, required: true });
  if (f === 'certificate_sent') return h('input', { id, name: f, type: 'checkbox', checked: true });
  if (f === 'date') return h('input', { id, name: f, type: 'date', value: today(), min: firstDay(s, a), max: today() }); // arrival, receipt: not after today
  return h('input', { id, name: f, maxlength: 60, required: true });
}

function actionsCard(v, redraw) {
  if (!v.allowed_actions.length) return null;
  const err = alertBox('shp-act-error');
  const forms = v.allowed_actions.map((a) => {
    const inputs = (NEEDS[a] || []).map((f) => [f, actionInput(a, f, v.shipment)]);
    return h('form', { class: 'shp-action', 'data-action': a, onsubmit: async (e) => {
      e.preventDefault();
      err.hidden = true;
      const body = { action: a };
      for (const [f, el] of inputs) body[f] = el.type === 'checkbox' ? el.checked : el.value;
      try {
        const { data } = await api('POST', `/shipments/${v.shipment.id}/actions`, { body, ifMatch: `"${v.shipment.version}"` });
        redraw(data);
      } catch (x) { showErr(err, x); }
    } }, inputs.map(([f, el]) => (el.type === 'checkbox'
      ? h('div', { class: 'field field-check' }, el, h('label', { for: el.id }, t(`shp.in.${f}`)))
      : field(t(`shp.in.${f}`), el))),
    h('button', { type: 'submit', class: `btn ${a === 'cancel' ? '' : 'btn-primary'}`, id: `shp-do-${a}` }, sl('act', a)));
  });
  return h('section', { class: 'card', id: 'shp-actions' }, h('h2', null, t('shp.actions')), err, forms);
}

function copiesCard(v, redraw) {
  if (!v.copies.length) return null;
  const err = alertBox('shp-copy-error');
  return h('section', { class: 'card', id: 'shp-copies' }, h('h2', null, t('shp.copies')), err,
    h('ul', null, v.copies.map((c) => h('li', { 'data-copy-role': c.role }, roleLabel(c.role), '：',
      c.status === 'done' ? t('shp.copy.done', { at: fmtTime(c.done_at) })
        : state.user.roles.includes(c.role) || state.user.roles.includes('admin')
          ? h('button', { type: 'button', class: 'btn', id: `shp-ack-${c.role}`, onclick: async () => {
            try {
              await api('POST', `/tasks/${c.id}/done`, { body: { reply: t('shp.copy.reply') } });
              redraw((await api('GET', `/shipments/${v.shipment.id}`)).data);
            } catch (x) { showErr(err, x); }
          } }, t('shp.copy.ack'))
          : t('shp.copy.open')))));
}

function linesCard(v, redraw) {
  const editable = ['handed_over', 'on_hold'].includes(v.shipment.state) && mayRoute('PUT', '/api/v1/shipments/{id}/lines/{line}');
  const err = alertBox('shp-line-error');
  const rows = v.lines.map((l) => {
    if (!editable) {
      return h('tr', { 'data-line': l.line_no }, h('td', null, l.line_no), h('td', null, `${l.model_code} ${l.model_name}`),
        h('td', null, l.unit_id ? h('a', { href: `#/units/${l.unit_id}` }, l.serial_no) : l.serial_no),
        h('td', null, fmtDate(l.production_date)), h('td', null, fmtDate(l.ship_date)));
    }
    const serial = h('input', { id: `shp-serial-${l.line_no}`, name: 'serial_no', value: l.serial_no, maxlength: 60, autocomplete: 'off', 'aria-label': t('shp.line.serial') });
    const prod = h('input', { id: `shp-prod-${l.line_no}`, name: 'production_date', type: 'date', value: l.production_date || '', max: today(), 'aria-label': t('shp.line.production') });
    const ship = h('input', { id: `shp-ship-${l.line_no}`, name: 'ship_date', type: 'date', value: l.ship_date || today(), max: today(), 'aria-label': t('shp.line.ship') });
    const save = h('button', { type: 'button', class: 'btn', id: `shp-save-${l.line_no}`, onclick: async () => {
      err.hidden = true;
      try {
        const { data } = await api('PUT', `/shipments/${v.shipment.id}/lines/${l.id}`, { body: { serial_no: serial.value.trim(), production_date: prod.value, ship_date: ship.value } });
        redraw(data);
      } catch (x) { showErr(err, x); }
    } }, t('shp.line.save'));
    // a USB scanner types the code and presses Enter: go on to the dates, not submit
    serial.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); (prod.value ? save : prod).focus(); } });
    return h('tr', { 'data-line': l.line_no }, h('td', null, l.line_no), h('td', null, `${l.model_code} ${l.model_name}`),
      h('td', null, serial, scanButton(serial)), h('td', null, prod), h('td', null, ship, ' ', save));
  });
  return h('section', { class: 'card', id: 'shp-lines' }, h('h2', null, t('shp.lines')), err,
    h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
      h('thead', null, h('tr', null, ['no', 'model', 'serial', 'production', 'ship'].map((c) => h('th', { scope: 'col' }, t(`shp.line.${c}`))))),
      h('tbody', null, rows))));
}

// A camera scan into the serial field where the browser has BarcodeDetector; otherwise none
// (typing, or a USB scanner typing into the field, still works).
function scanButton(input) {
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) return null;
  return h('button', { type: 'button', class: 'btn btn-scan', 'aria-label': t('shp.scan'), onclick: async (ev) => {
    const btn = ev.currentTarget;
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch { return; }
    const video = h('video', { class: 'scan-video', autoplay: true, playsinline: true, muted: true });
    video.srcObject = stream;
    btn.after(video);
    const det = new window.BarcodeDetector();
    const stop = () => { stream.getTracks().forEach((tr) => tr.stop()); video.remove(); };
    const deadline = Date.now() + 30000;
    const tick = async () => {
      if (!video.isConnected) return stop();
      try {
        const codes = await det.detect(video);
        if (codes.length) { input.value = codes[0].rawValue.trim(); input.dispatchEvent(new Event('input')); stop(); input.focus(); return; }
      } catch { /* the frame is not ready yet */ }
      if (Date.now() > deadline) return stop();
      setTimeout(tick, 250);
    };
    video.addEventListener('loadeddata', tick, { once: true });
  } }, t('shp.scan'));
}

function timeline(v) {
  return h('section', { class: 'card', id: 'shp-timeline' }, h('h2', null, t('shp.timeline')),
    h('ol', { class: 'timeline' }, v.events.map((e) => h('li', { 'data-ev': e.action },
      h('time', null, fmtTime(e.at)), ' ', e.actor_name || '', ' ', sl('ev', e.action),
      e.to_state && e.from_state !== e.to_state ? ['→', sl('state', e.to_state)] : null, e.note ? `：${e.note}` : null))));
}

// ---- on a dead-on-arrival ticket's page (WF-08): its replacement shipments and a way to raise one ----

export function replacementCard(k) {
  const list = k.replacement_shipments || [];
  return h('section', { class: 'card', 'aria-labelledby': 'doa-t', id: 'ticket-replacements' },
    h('h2', { id: 'doa-t' }, t('shp.doa.title')),
    list.length
      ? h('ul', { class: 'plain' }, list.map((s) => h('li', { 'data-shipment': s.id },
        h('a', { href: `#/shipments/${s.id}` }, s.number), ' ', badge(s.state), ' ', fmtDate(s.created_at))))
      : h('p', { class: 'empty' }, t('shp.doa.none')),
    mayRoute('POST', '/api/v1/shipments')
      ? h('a', { href: `#/shipments/new?ticket=${k.id}`, class: 'btn', id: 'doa-raise' }, t('shp.new_replacement')) : null);
}
