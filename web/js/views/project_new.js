// Opening an installation project by hand (#/projects/new, issue 12 item 2; the shipment's
// receipt opens one on its own): the customer (searched), the site, the units of one of the
// customer's contracts (the contract narrows the unit list; the server takes the units and
// finds their contract), the date agreed with the customer, the deadline in working days and
// a note. The server checks everything; its refusal is shown under the field it names, in the
// words of its reason code (required, out_of_range, unknown_reference, duplicate, guard).
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { t, has } from '../i18n.js';
import { errorText, go } from '../app.js';
import { reasonText } from './common.js';

const FIELDS = ['customer_id', 'site_id', 'unit_ids', 'agreed_date', 'deadline_days', 'note'];

function field(name, label, control, required) {
  const err = h('p', { class: 'field-error', id: `ip-n-err-${name}`, role: 'alert', hidden: true });
  return {
    err,
    el: h('div', { class: 'field', 'data-field': name },
      h('label', { for: control.id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
      control, err),
  };
}

// The text of a refusal for its field: the project's own cases first, then the reason's.
function fieldText(x) {
  if (x.reason === 'guard' && has(`install.new.err.${x.params?.guard}`)) return t(`install.new.err.${x.params.guard}`);
  if (x.reason === 'duplicate' && x.params?.project) return t('install.new.err.duplicate', { project: x.params.project });
  return reasonText(x) || errorText(x);
}

export async function projectNewView(main) {
  const q = h('input', { id: 'ip-n-q', type: 'search', autocomplete: 'off', placeholder: t('install.new.search') });
  const customer = h('select', { id: 'ip-n-customer', name: 'customer_id' }, h('option', { value: '' }, '—'));
  const site = h('select', { id: 'ip-n-site', name: 'site_id' }, h('option', { value: '' }, '—'));
  const contract = h('select', { id: 'ip-n-contract', name: 'contract' }, h('option', { value: '' }, t('install.new.all_contracts')));
  const units = h('fieldset', { id: 'ip-n-units', class: 'ip-units-pick' }, h('p', { class: 'empty' }, t('install.new.pick_customer')));
  const date = h('input', { id: 'ip-n-date', name: 'agreed_date', type: 'date' });
  const days = h('input', { id: 'ip-n-days', name: 'deadline_days', type: 'number', inputmode: 'numeric' });
  const note = h('textarea', { id: 'ip-n-note', name: 'note', rows: '2', maxlength: '2000' });
  const msg = h('p', { class: 'alert alert-error', role: 'alert', id: 'ip-n-error', hidden: true });
  const f = {
    customer_id: field('customer_id', t('install.col.customer'), customer, true),
    site_id: field('site_id', t('install.view.site'), site),
    contract: field('contract', t('install.view.contract'), contract),
    unit_ids: field('unit_ids', t('install.view.units'), units, true),
    agreed_date: field('agreed_date', t('install.col.agreed'), date),
    deadline_days: field('deadline_days', t('install.new.deadline_days'), days),
    note: field('note', t('install.new.note'), note),
  };
  let unitRows = [];

  async function search() {
    const { data } = await api('GET', '/customers', { query: { q: q.value.trim(), limit: 20 } });
    const keep = customer.value;
    clear(customer).append(h('option', { value: '' }, '—'),
      ...data.items.map((c) => h('option', { value: c.id, selected: String(c.id) === keep }, c.name)));
    if (data.items.length === 1 && customer.value !== String(data.items[0].id)) {
      customer.value = String(data.items[0].id);
      await loadCustomer();
    }
  }

  function drawUnits() {
    const k = contract.value;
    const rows = unitRows.filter((u) => !k || String(u.contract_id) === k);
    clear(units).append(h('legend', { class: 'sr-only' }, t('install.view.units')),
      ...(rows.length ? rows.map((u) => h('label', { class: 'field-check' },
        h('input', { type: 'checkbox', value: u.id, 'data-serial': u.serial_no }), ' ',
        `${u.serial_no} · ${u.model_name || ''}`)) : [h('p', { class: 'empty' }, t('install.new.no_units'))]));
  }

  async function loadCustomer() {
    const id = customer.value;
    clear(site).append(h('option', { value: '' }, '—'));
    clear(contract).append(h('option', { value: '' }, t('install.new.all_contracts')));
    unitRows = [];
    if (id) {
      const [ss, ks, us] = await Promise.all([
        api('GET', `/customers/${id}/sites`, { query: { limit: 200 } }),
        api('GET', '/contracts', { query: { customer_id: id, limit: 200 } }),
        api('GET', `/customers/${id}/units`, { query: { limit: 200, expand: 'all', sort: 'serial_no' } })]);
      site.append(...ss.data.items.map((s) => h('option', { value: s.id }, s.name)));
      contract.append(...ks.data.items.map((k) => h('option', { value: k.id }, k.number)));
      unitRows = us.data.items;
    }
    drawUnits();
  }

  function showErrors(x) {
    msg.hidden = true;
    for (const k of Object.keys(f)) { f[k].err.hidden = true; }
    for (const c of [customer, site, date, days, note, units]) c.removeAttribute('aria-invalid');
    if (!x) return;
    const target = f[x.field] && FIELDS.includes(x.field) ? f[x.field] : null;
    if (!target) { msg.hidden = false; msg.textContent = x.reason === 'guard' || x.reason === 'duplicate' ? fieldText(x) : errorText(x); return; }
    target.err.hidden = false;
    target.err.textContent = fieldText(x);
    const ctl = target.el.querySelector('select, input, textarea, fieldset');
    ctl?.setAttribute('aria-invalid', 'true');
    ctl?.focus?.();
  }

  q.addEventListener('input', () => { clearTimeout(q.timer); q.timer = setTimeout(search, 250); });
  customer.addEventListener('change', loadCustomer);
  contract.addEventListener('change', drawUnits);
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'ip-n-save' }, t('install.new.save'));
  const form = h('form', { class: 'card form', id: 'ip-n-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const body = { unit_ids: [...units.querySelectorAll('input:checked')].map((c) => Number(c.value)) };
    if (customer.value) body.customer_id = Number(customer.value); // missing: the server names it
    if (site.value) body.site_id = Number(site.value);
    if (date.value) body.agreed_date = date.value;
    if (days.value !== '') body.deadline_days = Number(days.value);
    if (note.value.trim()) body.note = note.value.trim();
    showErrors(null);
    save.disabled = true;
    try {
      const { data } = await api('POST', '/installation-projects', { body });
      go(`/projects/${data.id}`);
    } catch (x) {
      if (x.status === 401) return;
      showErrors(x);
    } finally { save.disabled = false; }
  } },
  h('div', { class: 'field' }, h('label', { for: q.id }, t('install.new.search')), q),
  f.customer_id.el, f.site_id.el, f.contract.el, f.unit_ids.el, f.agreed_date.el, f.deadline_days.el, f.note.el, msg, save);
  main.append(h('h1', null, t('install.new.title')), form);
  await search();
}
