// Installation projects (安装项目, issue 12 items 2, 5 and 8): the list with the deadline
// clock (#/projects), a project with its units, visits and signed forms (#/projects/{id}),
// and the two forms the customer's project lead signs on the technician's phone (390 px):
// the acceptance (项目验收单, #/projects/{id}/accept) and the training record (培训确认单,
// #/projects/{id}/training). The pad is signature_pad, loaded only on those two screens by
// views/signature.js; the server checks the PNG, the self-check of every visit and the
// configured topics, and answers with the project.
import { h, clear } from '../dom.js';
import { api, apiUrl } from '../api.js';
import { t, has, fmtTime, today } from '../i18n.js';
import { errorText, go, state } from '../app.js';
import { detailList } from './common.js';
import { loadSignaturePad } from './signature.js';
import { mountPad } from './tech_sign.js';
import { chargesPanel } from './charges.js';
import { may, P as POL } from '../policy.js';

const P = '/installation-projects';
const STATUSES = ['open', 'scheduled', 'in_progress', 'accepted', 'closed'];

function statusBadge(s) {
  return h('span', { class: `badge badge-ip badge-ip-${s}`, 'data-ip-status': s }, t(`install.status.${s}`));
}

function slaBadge(s) {
  return h('span', { class: `badge badge-sla badge-sla-${s}`, 'data-sla': s }, t(`install.sla.${s}`));
}

// A refusal in the words of the catalogue: the guards of acceptance and closing first.
function refusal(x) {
  const g = x?.reason === 'guard' ? x.params?.guard : null;
  return g && has(`install.guard.${g}`) ? t(`install.guard.${g}`) : errorText(x);
}

export async function projectsView(main) {
  const p = main.params;
  const st = h('select', { id: 'ip-f-status', name: 'status', onchange: () => go('/projects', { status: st.value }) },
    h('option', { value: '' }, t('wo.f.all')),
    STATUSES.map((s) => h('option', { value: s, selected: p.get('status') === s }, t(`install.status.${s}`))));
  const { data } = await api('GET', P, { query: { status: p.get('status') || '' } });
  if (!main.isCurrent()) return;
  const cols = ['number', 'customer', 'status', 'agreed', 'deadline', 'sla'];
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('install.list.title')),
    may(state.user, POL.projectOpen) ? h('a', { href: '#/projects/new', class: 'btn btn-primary', id: 'ip-new' }, t('install.new.title')) : null),
    h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: st.id }, t('install.col.status')), st)),
    data.items.length === 0 ? h('p', { class: 'empty' }, t('install.list.empty')) : h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'ip-list' },
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col' }, t(`install.col.${c}`))))),
      h('tbody', null, data.items.map((x) => h('tr', { 'data-ip-id': x.id },
        h('td', { 'data-label': t('install.col.number') }, h('a', { href: `#/projects/${x.id}` }, x.number)),
        h('td', { 'data-label': t('install.col.customer') }, x.customer_name),
        h('td', { 'data-label': t('install.col.status') }, statusBadge(x.status)),
        h('td', { 'data-label': t('install.col.agreed') }, x.agreed_date || '—'),
        h('td', { 'data-label': t('install.col.deadline') }, fmtTime(x.deadline_at)),
        h('td', { 'data-label': t('install.col.sla') }, slaBadge(x.sla_state))))))));
}

function signedLine(key, s, extra) {
  return h('p', { class: 'ip-signed' }, t(key, { name: s.signer_name, time: fmtTime(s.signed_at), ...extra }), ' ',
    h('a', { href: apiUrl(s.pdf_url.replace(/^\/api\/v1/, '')), target: '_blank', rel: 'noopener', class: 'ip-pdf' }, t('install.view.pdf')));
}

export async function projectView(main, id) {
  const { data: p } = await api('GET', `${P}/${id}`);
  if (!main.isCurrent()) return;
  const units = h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'ip-units' },
    h('thead', null, h('tr', null, ['serial', 'model', 'install_date', 'warranty'].map((c) => h('th', { scope: 'col' }, t(`install.view.${c}`))))),
    h('tbody', null, p.units.map((u) => h('tr', null,
      h('td', { 'data-label': t('install.view.serial') }, h('a', { href: `#/units/${u.id}` }, u.serial_no)),
      h('td', { 'data-label': t('install.view.model') }, u.model_name),
      h('td', { 'data-label': t('install.view.install_date') }, u.install_date || '—'),
      h('td', { 'data-label': t('install.view.warranty') }, u.warranty_end ? `${u.warranty_start || ''} – ${u.warranty_end}` : '—'))))));
  const visits = p.work_orders.length === 0 ? h('p', { class: 'empty' }, t('install.view.no_visits'))
    : h('ul', { class: 'ip-visits' }, p.work_orders.map((w) => h('li', null,
      h('a', { href: `#/tickets/${p.ticket_id}` }, w.number), ' ', w.lead_name || '', ' ', w.appointment_at ? fmtTime(w.appointment_at) : '', ' ',
      h('span', { class: `badge badge-wo badge-wo-${w.status}` }, t(`wo.status.${w.status}`)), ' ',
      t(w.self_check_passed ? 'install.view.self_check_ok' : 'install.view.self_check_no'))));
  const forms = [];
  if (p.acceptance) forms.push(signedLine('install.view.accepted_by', p.acceptance));
  else if (p.status === 'in_progress') forms.push(h('a', { href: `#/projects/${id}/accept`, class: 'btn btn-primary btn-wide', id: 'ip-accept' }, t('install.view.accept')));
  if (p.training) forms.push(signedLine('install.view.trained_by', p.training, { n: p.training.trainees, extra: p.training.chargeable }));
  else if (p.status === 'in_progress' || p.status === 'accepted') forms.push(h('a', { href: `#/projects/${id}/training`, class: 'btn btn-wide', id: 'ip-train' }, t('install.view.train')));
  main.append(h('h1', null, t('install.view.title', { number: p.number }), ' ', statusBadge(p.status)),
    h('section', { class: 'card' }, detailList([
      [t('install.col.customer'), p.customer_name],
      [t('install.view.site'), p.site_name],
      [t('install.view.contract'), p.contract_number],
      [t('install.col.agreed'), p.agreed_date],
      [t('install.col.deadline'), h('span', null, fmtTime(p.deadline_at), ' ', slaBadge(p.sla_state))],
      [t('install.view.free_seats'), String(p.free_seats)],
    ])),
    h('section', { class: 'card' }, h('h2', null, t('install.view.units')), units),
    h('section', { class: 'card' }, h('h2', null, t('install.view.visits')), visits),
    h('section', { class: 'card', id: 'ip-forms' }, h('h2', null, t('install.view.forms')), forms));
  // charges and payments of the project (issue 13 item 6)
  if (may(state.user, POL.charges)) {
    const panel = await chargesPanel(main, { kind: 'install_project', id: Number(id) });
    if (main.isCurrent()) main.append(panel);
  }
}

// The signer's name, comment and pad, shared by both forms.
function signPart(SignaturePad) {
  const name = h('input', { id: 'ip-sign-name', autocomplete: 'off', maxlength: '60', required: true });
  const comment = h('textarea', { id: 'ip-sign-comment', rows: '2', maxlength: '2000' });
  const canvas = h('canvas', { class: 'sign-canvas', id: 'ip-sign-canvas', role: 'img', 'aria-label': t('install.sign.here') });
  const el = [
    h('div', { class: 'field' }, h('label', { for: comment.id }, t('install.sign.comment')), comment),
    h('div', { class: 'field' }, h('label', { for: name.id }, t('install.sign.name'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), name),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('install.sign.here')), h('div', { class: 'sign-box' }, canvas)),
  ];
  return { el, name, comment, canvas, mount: () => mountPad(SignaturePad, canvas) };
}

// The form shell: title, body, message, clear/cancel and the wide save button.
function signForm(main, id, title, body, sp, send) {
  const msg = h('div', { id: 'ip-sign-msg', role: 'status', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'ip-sign-save' }, t('install.sign.save'));
  let pad = null;
  const err = (text, focus) => { clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, text)); focus?.focus(); };
  const form = h('form', { class: 'card', id: 'ip-sign-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!sp.name.value.trim()) { sp.name.setAttribute('aria-invalid', 'true'); err(t('install.sign.need_name'), sp.name); return; }
    sp.name.removeAttribute('aria-invalid');
    if (pad.pad.isEmpty()) { err(t('install.sign.need_sign')); return; }
    const extra = send.check(err);
    if (!extra) return;
    save.disabled = true;
    try {
      const b = { signer_name: sp.name.value.trim(), image_png_base64: pad.pad.toDataURL('image/png'), ...extra };
      if (sp.comment.value.trim()) b.comment = sp.comment.value.trim();
      await api('POST', `${P}/${id}/${send.path}`, { body: b });
      go(`/projects/${id}`);
    } catch (x) {
      save.disabled = false;
      if (x.status !== 401) err(refusal(x));
    }
  } }, body, sp.el, msg,
  h('div', { class: 'tech-reach' },
    h('button', { type: 'button', class: 'btn btn-quiet', id: 'ip-sign-clear', onclick: () => pad.pad.clear() }, t('install.sign.clear')),
    h('a', { href: `#/projects/${id}`, class: 'btn btn-quiet' }, t('ui.cancel'))),
  save);
  main.append(h('h1', null, title), form);
  pad = sp.mount();
  window.addEventListener('hashchange', pad.stop, { once: true });
}

export async function acceptView(main, id) {
  const [{ data: p }, SignaturePad] = await Promise.all([api('GET', `${P}/${id}`), loadSignaturePad()]);
  if (!main.isCurrent()) return;
  const body = [
    h('p', { class: 'sign-what' }, t('install.accept.intro', { number: p.number, customer: p.customer_name })),
    h('ul', { class: 'ip-serials', id: 'ip-accept-units' }, p.units.map((u) => h('li', null, h('strong', null, u.serial_no), ' ', u.model_name))),
  ];
  signForm(main, id, t('install.accept.title'), body, signPart(SignaturePad), { path: 'acceptance', check: () => ({}) });
}

export async function trainingView(main, id) {
  const [{ data: p }, { data: tp }, SignaturePad] = await Promise.all([
    api('GET', `${P}/${id}`), api('GET', '/training-topics'), loadSignaturePad()]);
  if (!main.isCurrent()) return;
  const rows = h('ol', { class: 'ip-trainees', id: 'ip-trainees' });
  const seat = () => rows.querySelectorAll('li').forEach((li, i) => {
    li.querySelector('.ip-seat').textContent = t(i < p.free_seats ? 'install.train.free' : 'install.train.chargeable');
  });
  const addRow = () => {
    const n = rows.children.length + 1;
    const li = h('li', { class: 'ip-trainee' },
      h('input', { class: 'ip-t-name', 'aria-label': `${t('install.train.trainee_name')} ${n}`, placeholder: t('install.train.trainee_name'), maxlength: '60' }),
      h('input', { class: 'ip-t-pos', 'aria-label': `${t('install.train.trainee_position')} ${n}`, placeholder: t('install.train.trainee_position'), maxlength: '60' }),
      h('span', { class: 'ip-seat badge' }),
      h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => { li.remove(); seat(); } }, t('install.train.remove')));
    rows.append(li);
    seat();
    return li;
  };
  addRow();
  const topics = h('fieldset', { class: 'ip-topics', id: 'ip-topics' }, h('legend', null, t('install.train.topics')),
    tp.items.map((x, i) => h('div', { class: 'field field-check' },
      h('input', { type: 'checkbox', id: `ip-topic-${i}`, value: x }), h('label', { for: `ip-topic-${i}` }, x))));
  const date = h('input', { type: 'date', id: 'ip-train-date', value: today() });
  const body = [
    h('p', { class: 'sign-what' }, t('install.train.intro', { free: p.free_seats })),
    h('div', { class: 'field' }, h('label', { for: date.id }, t('install.train.date')), date),
    h('h2', null, t('install.train.trainees')), rows,
    h('button', { type: 'button', class: 'btn', id: 'ip-add-trainee', onclick: () => addRow().querySelector('input').focus() }, t('install.train.add')),
    topics,
  ];
  const check = (err) => {
    const trainees = [...rows.querySelectorAll('li')].map((li) => ({ name: li.querySelector('.ip-t-name').value.trim(), position: li.querySelector('.ip-t-pos').value.trim() })).filter((x) => x.name);
    const chosen = [...topics.querySelectorAll('input:checked')].map((x) => x.value);
    if (!trainees.length) { err(t('install.train.need_trainee'), rows.querySelector('input')); return null; }
    if (!chosen.length) { err(t('install.train.need_topic')); return null; }
    return { trainees, topics: chosen, ...(date.value ? { trained_on: date.value } : {}) };
  };
  signForm(main, id, t('install.train.title'), body, signPart(SignaturePad), { path: 'training', check });
}
