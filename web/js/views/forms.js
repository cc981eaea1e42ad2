// Create and edit forms for customers and units, built from the server's entity
// declarations (GET /api/v1/meta: types, enums, maxlength, required, nullable).
// This file says only which columns a form shows, in which order, and how they
// look (hints, lookup labels). Edits send If-Match with the ETag they loaded; an
// API error is shown next to the field it names, translated from its reason.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, fieldLabel, enumLabel, today } from '../i18n.js';
import { go, render, errorText } from '../app.js';
import { loadMeta, entityMeta } from '../meta.js';
import { reasonText, yuanToFen, fenToYuan, missingText } from './common.js';

const CUSTOMER_FORM = ['name', 'type', ['code', { hint: 'ui.customer.code_hint' }], 'is_key', 'province',
  'city', 'region', 'address', 'phone', 'email', 'notes'];

const UNIT_FORM = ['serial_no',
  ['model_id', { label: (r) => `${r.code} ${r.name}`, title: 'ui.unit.model' }],
  ['customer_id', { label: (r) => `${r.name} (${r.code})`, title: 'ui.unit.customer' }],
  ['status', { optional: true }], 'production_date', 'ship_date', 'install_date',
  ['warranty_end_override', { hint: 'ui.unit.override_hint' }], 'notes'];

// The form field of column `name` of entity `ent`, from its declaration.
function fieldOf(meta, ent, spec) {
  const [name, extra] = Array.isArray(spec) ? spec : [spec, {}];
  const col = meta.columns.find((c) => c.name === name);
  if (!col) throw new Error(`${ent}.${name} is not declared`);
  const f = { name, required: !!col.required, nullable: !!col.nullable, maxlength: col.maxlength, ...extra };
  switch (col.type) {
    case 'enum': f.kind = 'select'; f.options = col.enum; break;
    case 'boolean': f.kind = 'checkbox'; break;
    case 'text': f.kind = 'textarea'; break;
    case 'date': f.kind = 'date'; if (col.past) f.max = today(); break; // a past event: not after today
    case 'integer': f.kind = f.kind || 'number'; break; // or a lookup the form spec gives
    case 'money': f.kind = 'money'; f.hint = f.hint || 'ui.form.money_hint'; break; // typed in yuan, sent in fen
    case 'id': {
      const ref = col.ref && entityMeta(col.ref);
      f.kind = 'lookup';
      f.source = f.source || (ref ? ref.path.replace(/^\/api\/v1/, '') : `/${col.ref}s`);
      f.label = f.label || ((r) => r.name);
      break;
    }
    default:
      f.kind = col.phone ? 'tel' : name === 'email' ? 'email' : undefined;
  }
  return f;
}

export async function fieldsOf(ent, form) {
  await loadMeta();
  const m = entityMeta(ent);
  if (!m) throw new Error(`no declaration of ${ent}`);
  return form.map((spec) => fieldOf(m, ent, spec));
}

export async function customerForm(main, id) {
  return entityForm(main, { ent: 'customer', path: '/customers', fields: await fieldsOf('customer', CUSTOMER_FORM), id,
    title: id ? 'ui.customer.edit' : 'ui.customer.new', back: id ? `/customers/${id}` : '/customers' });
}

export async function unitForm(main, id) {
  return entityForm(main, { ent: 'unit', path: '/units', fields: await fieldsOf('unit', UNIT_FORM), id,
    title: id ? 'ui.unit.edit' : 'ui.unit.new', back: id ? `/units/${id}` : '/units' });
}

// Message for a field error: from the catalogue, by the error's reason and parameters.
function fieldMessage(err) {
  return reasonText(err) || (err.status === 409 ? t('ui.err.duplicate') : t('ui.err.invalid'));
}

function lookupControl(f, id, initial) {
  const sel = h('select', { id, name: f.name, required: f.required || null });
  const qid = `${id}-q`;
  const search = h('input', { id: qid, type: 'search', class: 'lookup-q', autocomplete: 'off', placeholder: t('ui.form.lookup_placeholder') });
  let timer = null, seq = 0;
  async function fill(q) {
    const my = ++seq;
    let items = [];
    // f.query: a source without the q search lists its rows and f.map filters them
    try { items = (await api('GET', f.source, { query: f.query ? f.query(q) : { q, limit: 20 } })).data.items; } catch (e) { if (e.status === 401) return; }
    if (f.map) items = items.map(f.map);
    if (f.filter) items = items.filter((r) => f.filter(r, q));
    if (my !== seq) return;
    const keep = sel.value || (initial ? String(initial.id) : '');
    clear(sel).append(h('option', { value: '' }, f.required ? t('ui.form.choose') : t('ui.form.none')));
    const seen = new Set();
    if (initial && !items.some((r) => r.id === initial.id)) items.unshift(initial);
    for (const r of items) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      sel.append(h('option', { value: String(r.id), selected: String(r.id) === keep }, f.label(r)));
    }
  }
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => fill(search.value.trim()), 250); });
  const ready = fill('');
  return { node: h('div', { class: 'lookup' },
    h('label', { for: qid, class: 'sr-only' }, t('ui.form.lookup_search', { field: t(f.title) })), search, sel), control: sel, ready };
}

export async function entityForm(main, cfg) {
  const { ent, fields } = cfg;
  let record = null, etag = null;
  if (cfg.id) {
    const r = await api('GET', `${cfg.path}/${cfg.id}`, { query: { expand: 'all' } });
    record = r.data;
    etag = r.etag;
    if (!main.isCurrent()) return;
  }
  const summary = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, id: 'form-error', tabindex: '-1' });
  const controls = {};
  const errs = {};
  const waits = [];
  const rows = fields.map((f) => {
    const id = `fld-${f.name}`;
    const label = f.title ? t(f.title) : fieldLabel(ent, f.name);
    const v = record ? record[f.name] : undefined;
    const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
    const hint = f.hint ? h('small', { class: 'hint', id: `${id}-hint` }, t(f.hint)) : null;
    const describedBy = [hint ? `${id}-hint` : null, `${id}-err`].filter(Boolean).join(' ');
    let control, node;
    switch (f.kind) {
      case 'select':
        control = h('select', { id, name: f.name, required: f.required || null },
          f.required && !record ? h('option', { value: '' }, t('ui.form.choose')) : null,
          f.optional && !record ? h('option', { value: '' }, t('ui.form.auto')) : null,
          f.options.map((o) => h('option', { value: o, selected: v === o }, enumLabel(f.name, o))));
        break;
      case 'checkbox':
        control = h('input', { id, name: f.name, type: 'checkbox', checked: !!v });
        break;
      case 'textarea':
        control = h('textarea', { id, name: f.name, rows: '3', maxlength: f.maxlength }, );
        control.value = v ?? '';
        break;
      case 'lookup': {
        const initial = v ? { id: v, code: '', name: record[f.name.replace(/_id$/, '_name')] || `#${v}` } : null;
        const lk = lookupControl({ ...f, label: (r) => (r !== initial && (r.code || f.query) ? f.label(r) : r.name) }, id, initial);
        control = lk.control;
        node = lk.node;
        waits.push(lk.ready);
        break;
      }
      case 'money':
        control = h('input', { id, name: f.name, type: 'text', inputmode: 'decimal', required: f.required || null, value: v == null ? '' : fenToYuan(v) });
        break;
      default:
        control = h('input', { id, name: f.name, type: f.kind || 'text', maxlength: f.maxlength || null, max: f.max || null, required: f.required || null, value: v ?? '' });
    }
    control.setAttribute('aria-describedby', describedBy);
    controls[f.name] = control;
    errs[f.name] = err;
    const lab = h('label', { for: id }, label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
    return h('div', { class: `field${f.kind === 'checkbox' ? ' field-check' : ''}`, 'data-field': f.name },
      f.kind === 'checkbox' ? [control, lab] : [lab, node || control], hint, err);
  });

  const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary' }, t('ui.save'));
  const form = h('form', { class: 'card form', novalidate: true, onsubmit: submit },
    summary, h('div', { class: 'grid' }, rows),
    h('p', { class: 'hint' }, t('ui.form.required_note')),
    h('div', { class: 'actions' }, submitBtn, h('a', { href: '#' + cfg.back, class: 'btn btn-quiet' }, t('ui.cancel'))));
  main.append(h('h1', null, t(cfg.title)), form);
  await Promise.all(waits);

  function value(f) {
    const c = controls[f.name];
    if (f.kind === 'checkbox') return c.checked;
    const s = c.value.trim();
    if (f.kind === 'lookup') return s ? Number(s) : null;
    if (f.kind === 'number') return s === '' ? null : Number(s);
    if (f.kind === 'money') {
      if (s === '') return null;
      const fen = yuanToFen(s);
      if (fen === null) throw Object.assign(new Error('money'), { field: f.name, reason: 'invalid_format', params: { format: 'decimal' } });
      return fen;
    }
    if (s === '' && (f.nullable || f.kind === 'date')) return null;
    return s;
  }

  function clearErrors() {
    summary.hidden = true;
    for (const [name, e] of Object.entries(errs)) {
      e.hidden = true;
      e.textContent = '';
      controls[name].removeAttribute('aria-invalid');
    }
  }

  async function submit(e) {
    e.preventDefault();
    clearErrors();
    const body = {};
    try {
      for (const f of fields) {
        const v = value(f);
        if (record) {
          const old = record[f.name] ?? (f.kind === 'checkbox' ? false : f.nullable || f.kind === 'date' || f.kind === 'lookup' || f.kind === 'money' ? null : '');
          if (v !== old) body[f.name] = v;
        } else if (v !== null && v !== '' && !(f.kind === 'checkbox' && v === false)) {
          body[f.name] = v;
        }
      }
    } catch (err) { // a value the browser can already tell is wrong (a money amount)
      showError(err);
      return;
    }
    submitBtn.disabled = true;
    try {
      const r = record
        ? await api('PATCH', `${cfg.path}/${cfg.id}`, { body, ifMatch: etag })
        : await api('POST', cfg.path, { body });
      go(`${cfg.path}/${r.data.id}`);
    } catch (err) {
      if (err.status === 401) return;
      showError(err);
    } finally {
      submitBtn.disabled = false;
    }
  }

  function showError(err) {
    clear(summary);
    summary.hidden = false;
    if (err.status === 412) {
      summary.append(h('p', null, t('ui.err.stale')),
        h('button', { type: 'button', class: 'btn', onclick: () => render() }, t('ui.reload')));
      summary.focus();
      return;
    }
    const f = err.field && fields.find((x) => x.name === err.field);
    if (f) {
      const msg = fieldMessage(err);
      const label = f.title ? t(f.title) : fieldLabel(ent, f.name);
      errs[f.name].hidden = false;
      errs[f.name].textContent = msg;
      controls[f.name].setAttribute('aria-invalid', 'true');
      summary.append(h('p', null, err.reason === 'required' ? missingText(label, controls[f.name]) : t('ui.form.fix', { field: label })));
      controls[f.name].focus();
    } else {
      summary.append(h('p', null, errorText(err)));
      summary.focus();
    }
  }
}
