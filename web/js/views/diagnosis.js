// The technical department's phone diagnosis on a ticket's page (issue 18 item 1, R-058):
// the latest diagnosis at the top with what its decision opened (work order, RMA, linked
// ticket), and the form that records one (findings, suspected cause, decision, reason) for
// the roles the route allows while the ticket takes one. Decisions come from /meta.
import { h, append, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { meta, routeRoles } from '../meta.js';
import { state, render, errorText } from '../app.js';
import { tl } from './tk.js';
import { missingText } from './common.js';

const ROUTE = '/api/v1/tickets/{id}/diagnoses';
const mayRoute = (m) => state.user.roles.some((r) => routeRoles(m, ROUTE).has(r));

function opened(d) {
  if (d.incoming) return h('a', { href: `#/tickets/${d.ticket_id}` }, t('ui.diag.incoming', { number: d.ticket_number }));
  switch (d.effect) {
    case 'work_order': return t('ui.diag.opened.work_order', { number: d.work_order_number || '' });
    case 'rma':
    case 'replacement': return d.rma_id ? h('a', { href: `#/rmas/${d.rma_id}` }, t(`ui.diag.opened.${d.effect}`, { number: d.rma_number || '' })) : t('ui.diag.opened.no_unit');
    case 'linked_ticket': return h('a', { href: `#/tickets/${d.linked_ticket_id}`, id: 'diag-linked' }, t('ui.diag.opened.linked_ticket', { number: d.linked_ticket_number, type: tl('type', d.linked_ticket_type) }));
    default: return t('ui.diag.opened.resolve_remote');
  }
}

function card(d) {
  return h('div', { class: 'diag', 'data-decision': d.decision },
    h('p', null, h('span', { class: 'badge badge-diag', id: d.incoming ? null : 'diag-decision' }, t(`ui.diag.decision.${d.decision}`)), ' ',
      h('span', { class: 'muted' }, fmtTime(d.created_at), ' · ', d.created_by_name || '')),
    h('dl', { class: 'details' },
      h('dt', null, t('ui.diag.f.findings')), h('dd', { class: 'diag-findings' }, d.findings),
      d.suspected_cause ? [h('dt', null, t('ui.diag.f.suspected_cause')), h('dd', null, d.suspected_cause)] : null,
      h('dt', null, t('ui.diag.f.reason')), h('dd', null, d.reason),
      h('dt', null, t('ui.diag.f.opened')), h('dd', { class: 'diag-opened' }, opened(d))));
}

function form(k) {
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const ctl = {};
  const field = (name, control, required) => {
    const id = nextId('diag');
    control.id = id;
    control.name = name;
    if (required) control.required = true;
    ctl[name] = control;
    return h('div', { class: 'field' }, h('label', { for: id }, t(`ui.diag.f.${name}`), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), control);
  };
  const decisions = meta()?.enums?.diag_decision || [];
  const f = h('form', { id: 'diag-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const body = {};
    for (const [name, c] of Object.entries(ctl)) {
      const v = c.value.trim();
      if (c.required && !v) {
        err.hidden = false;
        err.textContent = missingText(t(`ui.diag.f.${name}`), c);
        c.focus();
        return;
      }
      if (v) body[name] = v;
    }
    ok.disabled = true;
    try {
      await api('POST', `/tickets/${k.id}/diagnoses`, { body });
      state.flash = { kind: 'info', text: t('ui.diag.saved') };
      render();
    } catch (x) {
      ok.disabled = false;
      err.hidden = false;
      err.textContent = errorText(x);
    }
  } });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', id: 'diag-save' }, t('ui.diag.record'));
  append(f, [err,
    field('findings', h('textarea', { rows: '3', maxlength: '4000' }), true),
    field('suspected_cause', h('input', { type: 'text', maxlength: '2000' })),
    field('decision', h('select', null, h('option', { value: '' }, t('ui.form.choose')), decisions.map((d) => h('option', { value: d }, t(`ui.diag.decision.${d}`)))), true),
    field('reason', h('textarea', { rows: '2', maxlength: '2000' }), true),
    h('div', { class: 'actions' }, ok)]);
  return h('details', { class: 'diag-new' }, h('summary', { id: 'diag-open' }, t('ui.diag.record')), f);
}

// The card; null for those who may not read diagnoses.
export async function diagnosisPanel(k) {
  if (!mayRoute('GET')) return null;
  let items = [];
  try {
    items = (await api('GET', `/tickets/${k.id}/diagnoses`)).data.items;
  } catch (e) {
    return h('section', { class: 'card' }, h('p', { class: 'alert alert-error', role: 'alert' }, errorText(e)));
  }
  const takes = k.status === 'in_progress' || (k.type === 'consultation' && k.status === 'new');
  const canRecord = takes && mayRoute('POST');
  if (!items.length && !canRecord) return null;
  return h('section', { class: 'card', id: 'diag-panel', 'aria-labelledby': 'diag-t' },
    h('h2', { id: 'diag-t' }, t('ui.diag.title')),
    items.length ? items.map(card) : h('p', { class: 'empty' }, t('ui.diag.none')),
    canRecord ? form(k) : null);
}
