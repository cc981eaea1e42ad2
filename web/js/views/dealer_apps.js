// Dealers' installation applications (工程项目安装服务申请, issue 13 item 2; WF-11, F-15, F-16).
// The dealer's form and list with each application's place in the queue (portal, phone-first
// at 390 px) and the after-sales queue: answer in order of submission (approve, or refuse
// with a reason; out of order needs a note), send the agreement with its fee, link the trip.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, enumLabel, fmtTime, fmtMoney } from '../i18n.js';
import { go, errorText } from '../app.js';
import { reasonText, detailList, missingText } from './common.js';

const PATH = '/dealer-applications';
const fl = (col) => fieldLabel('dealer_application', col);
const badge = (s) => h('span', { class: `badge badge-st badge-da-${s}` }, enumLabel('status', s));
const overdueBadge = (on) => h('span', { class: 'badge badge-overdue', 'data-overdue': on }, t(`da.overdue.${on}`));

function errBox() {
  return h('p', { class: 'field-error', role: 'alert', hidden: true });
}

function showErr(box, e, fields) {
  if (e.status === 401) return;
  const label = e.field && fields?.[e.field] ? `${fields[e.field]}: ` : '';
  box.textContent = label + (reasonText(e) || errorText(e));
  box.hidden = false;
}

const pdfLink = (a) => (a.agreement_sent_at
  ? h('p', null, h('a', { href: `/api/v1${PATH}/${a.id}/agreement.pdf`, target: '_blank', rel: 'noopener', class: 'da-pdf' }, t('da.agreement_pdf')))
  : null);

function facts(a) {
  return detailList([
    [fl('project_ref'), a.project_ref],
    [fl('sets'), t('da.sets_series', { sets: a.sets, series: a.series })],
    [fl('site_address'), a.site_address],
    [fl('wanted_from'), a.wanted_to ? `${a.wanted_from} – ${a.wanted_to}` : a.wanted_from],
    [fl('answer_note'), a.answer_note],
    [fl('departure_date'), a.departure_date],
    [fl('fee_fen'), a.fee_fen != null ? t('da.fee_line', { install: fmtMoney(a.install_fee_fen), mgmt: fmtMoney(a.management_fee_fen), total: fmtMoney(a.fee_fen) }) : ''],
    [fl('confirm_due_at'), a.status === 'agreement_sent' ? fmtTime(a.confirm_due_at) : ''],
  ]);
}

// ---- the dealer (portal) ----

export async function dealerAppsView(main) {
  const [list, queue] = await Promise.all([
    api('GET', PATH, { query: { limit: 100 } }),
    api('GET', `${PATH}/queue`),
  ]);
  if (!main.isCurrent()) return;
  const place = new Map(queue.data.items.map((i) => [i.application.id, i]));
  const box = h('div', { id: 'da-mine', class: 'appr-list' });
  const fill = (items) => {
    clear(box);
    if (!items.length) box.append(h('p', { class: 'empty' }, t('da.none')));
    for (const a of items) box.append(dealerCard(a, place.get(a.id), () => go('/dealer-apps')));
  };
  fill(list.data.items);
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('da.mine')),
    h('div', { class: 'toolbar' }, h('a', { href: '#/dealer-apps/new', class: 'btn btn-primary', id: 'da-new' }, t('da.new')))), box);
}

function dealerCard(a, q, reload) {
  const out = errBox();
  const act = async (action, btn) => {
    btn.disabled = true;
    try {
      await api('POST', `${PATH}/${a.id}/actions`, { body: { action } });
      reload();
    } catch (e) { showErr(out, e); } finally { btn.disabled = false; }
  };
  const confirm = a.status === 'agreement_sent'
    ? h('button', { type: 'button', class: 'btn btn-primary btn-big', 'data-act': 'confirm', onclick: (ev) => act('confirm', ev.target) }, t('da.confirm'))
    : null;
  return h('article', { class: 'card appr-card', 'data-id': a.id },
    h('h2', null, a.project_name, ' ', badge(a.status), q?.overdue ? overdueBadge(q.overdue) : null),
    q?.place ? h('p', { class: 'da-place', 'data-place': q.place }, t('da.place', { n: q.place })) : null,
    facts(a), pdfLink(a),
    h('p', { class: 'hint' }, t('da.submitted', { at: fmtTime(a.submitted_at), due: fmtTime(a.answer_due_at) })),
    out, confirm ? h('div', { class: 'actions' }, confirm) : null);
}

const FORM = [
  ['project_name', 'text', { maxlength: '200', required: true }],
  ['project_ref', 'text', { maxlength: '60' }],
  ['sets', 'number', { min: '1', max: '100000', required: true, inputmode: 'numeric' }],
  ['series', 'select', { required: true }],
  ['sample_order', 'checkbox', {}],
  ['install_flagged', 'checkbox', { checked: true }],
  ['site_address', 'text', { maxlength: '300', required: true }],
  ['site_contact', 'text', { maxlength: '60', autocomplete: 'name' }],
  ['site_phone', 'tel', { maxlength: '40', autocomplete: 'tel' }],
  ['wanted_from', 'date', { required: true }],
  ['wanted_to', 'date', {}],
  ['notes', 'textarea', { maxlength: '2000', rows: '3' }],
];

export async function dealerAppNewView(main) {
  const { data: ser } = await api('GET', `${PATH}/series`);
  if (!main.isCurrent()) return;
  const F = {}, labels = {};
  const out = errBox();
  const grid = h('div', { class: 'grid' });
  for (const [name, type, attrs] of FORM) {
    const id = `da-${name}`;
    let c;
    if (type === 'select') {
      c = h('select', attrs, h('option', { value: '' }, t('ui.form.choose')), ser.series.map((s) => h('option', { value: s.key }, s.label)));
    } else if (type === 'textarea') {
      c = h('textarea', attrs);
    } else {
      c = h('input', { type, ...attrs });
    }
    c.id = id; c.name = name; F[name] = c; labels[name] = fl(name);
    grid.append(h('div', { class: `field${type === 'checkbox' ? ' field-check' : ''}`, 'data-field': name },
      h('label', { for: id }, fl(name), attrs.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), c));
  }
  const form = h('form', { class: 'card form', novalidate: true, onsubmit: submit }, out, grid,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary btn-big', id: 'da-submit' }, t('da.submit')),
      h('a', { href: '#/dealer-apps', class: 'btn btn-quiet' }, t('ui.cancel'))));
  main.append(h('h1', null, t('da.new')), h('p', { class: 'hint' }, t('da.form_hint')), form);

  async function submit(e) {
    e.preventDefault();
    out.hidden = true;
    for (const c of Object.values(F)) c.removeAttribute('aria-invalid');
    const body = {};
    for (const [name, type] of FORM) {
      if (type === 'checkbox') body[name] = F[name].checked;
      else if (type === 'number') { if (F[name].value !== '') body[name] = Number(F[name].value); }
      else if (F[name].value.trim()) body[name] = F[name].value.trim();
    }
    const missing = FORM.find(([n, , a]) => a.required && body[n] === undefined);
    if (missing) {
      out.textContent = missingText(labels[missing[0]], F[missing[0]]);
      out.hidden = false;
      F[missing[0]].setAttribute('aria-invalid', 'true');
      F[missing[0]].focus();
      return;
    }
    try {
      await api('POST', PATH, { body });
      go('/dealer-apps');
    } catch (x) {
      showErr(out, x, labels);
      if (x.field && F[x.field]) { F[x.field].setAttribute('aria-invalid', 'true'); F[x.field].focus(); }
    }
  }
}

// ---- after-sales: the queue ----

function input(name, attrs) {
  const id = nextId(`da-${name}`);
  const c = h('input', { id, name, ...attrs });
  return [c, h('div', { class: 'field', 'data-field': name }, h('label', { for: id }, fl(name)), c)];
}

function staffActions(item, reload) {
  const a = item.application;
  const out = errBox();
  const send = async (body, btn) => {
    btn.disabled = true;
    out.hidden = true;
    try {
      await api('POST', `${PATH}/${a.id}/actions`, { body });
      reload();
    } catch (e) { showErr(out, e); } finally { btn.disabled = false; }
  };
  const parts = [];
  if (a.status === 'submitted') {
    const nid = nextId('da-note');
    const note = h('textarea', { id: nid, name: 'note', rows: '2', maxlength: '2000' });
    parts.push(h('div', { class: 'field' }, h('label', { for: nid }, t('da.note')), note));
    let qn = null;
    if (item.place > 1) {
      const qid = nextId('da-qn');
      qn = h('textarea', { id: qid, name: 'queue_note', rows: '2', maxlength: '500' });
      parts.push(h('div', { class: 'field' }, h('label', { for: qid }, t('da.queue_note', { n: item.place - 1 })), qn));
    }
    const body = (action) => {
      const b = { action };
      if (note.value.trim()) b.note = note.value.trim();
      if (qn && qn.value.trim()) b.queue_note = qn.value.trim();
      return b;
    };
    const ok = h('button', { type: 'button', class: 'btn btn-primary btn-big', 'data-act': 'approve', onclick: () => send(body('approve'), ok) }, t('da.approve'));
    const no = h('button', { type: 'button', class: 'btn btn-big', 'data-act': 'refuse', onclick: () => {
      if (!note.value.trim()) { out.textContent = t('da.refuse_needs_reason'); out.hidden = false; note.focus(); return; }
      send(body('refuse'), no);
    } }, t('da.refuse'));
    parts.push(out, h('div', { class: 'actions appr-actions' }, ok, no));
  } else if (a.status === 'approved') {
    const [order, fo] = input('order_no', { maxlength: '60' });
    const [price, fp] = input('price_fen', { type: 'number', min: '0', step: '0.01', inputmode: 'decimal' });
    const [appl, fa] = input('appliances', { type: 'number', min: '0', value: '0' });
    const [acc, fc] = input('accessories', { type: 'number', min: '0', value: '0' });
    const [dep, fd] = input('departure_date', { type: 'date' });
    const go2 = h('button', { type: 'button', class: 'btn btn-primary', 'data-act': 'send_agreement', onclick: () => send({
      action: 'send_agreement', order_no: order.value.trim(), price_fen: Math.round(Number(price.value || 0) * 100),
      appliances: Number(appl.value || 0), accessories: Number(acc.value || 0), departure_date: dep.value || undefined,
    }, go2) }, t('da.send_agreement'));
    parts.push(h('div', { class: 'grid' }, fo, fp, fa, fc, fd), out, h('div', { class: 'actions' }, go2));
  }
  if (['approved', 'agreement_sent', 'confirmed'].includes(a.status)) {
    const [trip, ft] = input('trip_id', { type: 'number', min: '1', inputmode: 'numeric', value: a.trip_id || '' });
    const link = h('button', { type: 'button', class: 'btn', 'data-act': 'assign_trip', onclick: () => send({ action: 'assign_trip', trip_id: Number(trip.value) }, link) }, t('da.assign_trip'));
    parts.push(ft, h('div', { class: 'actions' }, link));
    if (a.status !== 'approved') parts.push(out);
  }
  return parts;
}

export async function dealerQueueView(main) {
  const [queue, counts] = await Promise.all([api('GET', `${PATH}/queue`), api('GET', `${PATH}/counts`)]);
  if (!main.isCurrent()) return;
  const n = counts.data;
  const summary = h('p', { id: 'da-counts', class: 'hint' }, t('da.counts', {
    queue: n.queue_length, answer: n.answer_overdue, agreement: n.agreement_overdue, confirmation: n.confirmation_overdue,
  }));
  const list = h('div', { id: 'da-queue', class: 'appr-list' });
  if (!queue.data.items.length) list.append(h('p', { class: 'empty' }, t('da.queue_empty')));
  for (const item of queue.data.items) {
    const a = item.application;
    list.append(h('article', { class: `card appr-card${item.overdue ? ' appr-overdue' : ''}`, 'data-id': a.id },
      h('h2', null, item.place ? h('span', { class: 'da-place', 'data-place': item.place }, `#${item.place} `) : null,
        a.project_name, ' ', badge(a.status), item.overdue ? overdueBadge(item.overdue) : null),
      h('p', null, item.dealer_name),
      facts(a), pdfLink(a),
      h('p', { class: 'hint' }, t('da.submitted', { at: fmtTime(a.submitted_at), due: fmtTime(a.answer_due_at) })),
      ...staffActions(item, () => go('/dealer-queue'))));
  }
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('da.queue'))), summary, list);
}
