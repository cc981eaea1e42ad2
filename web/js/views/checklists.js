// Checklist templates (检查表模板, issue 11 item 4): the list, one template's header (which
// product category, model series and work-order kind it applies to, photos it needs) and its
// items in order — a yes/no check, a measurement with a limit, a required photo or a conduct
// rule. Limits are typed as decimals ("2", "1.5") and sent as integer hundredths, the way the
// server stores them. Enums and lengths come from /meta; errors are shown by field and reason.
import { h, clear, nextId } from '../dom.js';
import { api } from '../api.js';
import { t, enumLabel } from '../i18n.js';
import { go, errorText } from '../app.js';
import { loadMeta, columnMeta } from '../meta.js';
import { reasonText } from './common.js';

const T = '/checklist-templates';
const I = '/checklist-items';

// '2.5' -> 250, '' -> null, anything else -> NaN (no float arithmetic: exact hundredths)
export function toCenti(s) {
  const v = String(s ?? '').trim();
  if (v === '') return null;
  const m = /^([+-]?)(\d*)(?:\.(\d{0,2}))?$/.exec(v);
  if (!m || (m[2] === '' && !m[3])) return NaN;
  const n = Number(m[2] || '0') * 100 + Number((m[3] || '').padEnd(2, '0'));
  return m[1] === '-' ? -n : n;
}

export function fromCenti(c) {
  if (c === null || c === undefined) return '';
  const neg = c < 0, a = Math.abs(c);
  const w = Math.floor(a / 100), f = a % 100;
  const s = f === 0 ? String(w) : f % 10 === 0 ? `${w}.${f / 10}` : `${w}.${String(f).padStart(2, '0')}`;
  return (neg ? '-' : '') + s;
}

// The limit as the server writes it: "< 2 mm", "5–35 °C".
export function limitText(it) {
  const u = it.unit ? ` ${it.unit}` : '';
  const lo = it.min_centi != null, hi = it.max_centi != null;
  if (lo && hi && it.min_inclusive && it.max_inclusive) return `${fromCenti(it.min_centi)}–${fromCenti(it.max_centi)}${u}`;
  const a = lo ? `${it.min_inclusive ? '≥' : '>'} ${fromCenti(it.min_centi)}` : '';
  const b = hi ? `${it.max_inclusive ? '≤' : '<'} ${fromCenti(it.max_centi)}` : '';
  return lo || hi ? `${[a, b].filter(Boolean).join(', ')}${u}` : '';
}

const kindLabel = (k) => t(`checklist.kind.${k}`);
const woKindLabel = (k) => (k ? t(`checklist.wo_kind.${k}`) : t('checklist.any'));
const catLabel = (c) => (c ? enumLabel('category', c) : t('checklist.any'));

export async function checklistsView(main) {
  const { data } = await api('GET', T, { query: { limit: 200, sort: 'code' } });
  if (!main.isCurrent()) return;
  const rows = data.items.map((r) => h('tr', null,
    h('td', null, h('a', { href: `#/checklists/${r.id}` }, r.code)),
    h('td', null, r.name),
    h('td', null, catLabel(r.product_category), r.model_series ? ` · ${r.model_series}` : ''),
    h('td', null, woKindLabel(r.work_order_kind)),
    h('td', null, r.active ? t('checklist.active') : t('checklist.inactive'))));
  main.append(h('div', { class: 'page-head' }, h('h1', null, t('checklist.title')),
    h('a', { href: '#/checklists/new', class: 'btn btn-primary', id: 'checklist-new' }, t('checklist.new'))),
  h('p', { class: 'hint' }, t('checklist.intro')),
  h('div', { class: 'table-wrap' }, h('table', { class: 'list', id: 'checklist-templates' },
    h('thead', null, h('tr', null, ['code', 'name', 'applies', 'wo_kind', 'state'].map((k) => h('th', { scope: 'col' }, t(`checklist.col.${k}`))))),
    h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: '5' }, t('checklist.none')))))));
}

// A field of a small form: label, control, error line.
function field(name, label, control, opts = {}) {
  const id = control.id || nextId(`cl-${name}`);
  control.id = id;
  control.name = name;
  const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
  control.setAttribute('aria-describedby', `${id}-err`);
  const lab = h('label', { for: id }, label, opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
  const node = h('div', { class: `field${control.type === 'checkbox' ? ' field-check' : ''}`, 'data-field': name },
    control.type === 'checkbox' ? [control, lab] : [lab, control], err);
  return { name, control, err, node };
}

function select(values, current, labelOf) {
  return h('select', null, values.map((v) => h('option', { value: v ?? '', selected: (current ?? '') === (v ?? '') }, labelOf(v))));
}

function showErrors(summary, fields, err) {
  clear(summary);
  summary.hidden = false;
  for (const f of fields) { f.err.hidden = true; f.control.removeAttribute('aria-invalid'); }
  const f = err.field && fields.find((x) => x.name === err.field);
  if (f) {
    f.err.hidden = false;
    f.err.textContent = reasonText(err) || errorText(err);
    f.control.setAttribute('aria-invalid', 'true');
    summary.append(h('p', null, t('checklist.fix')));
    f.control.focus();
  } else {
    summary.append(h('p', null, errorText(err)));
    summary.focus();
  }
}

function headerForm(tpl, etag) {
  const cats = [null, ...(columnMeta('checklist_template', 'product_category')?.enum || [])];
  const kinds = [null, ...(columnMeta('checklist_template', 'work_order_kind')?.enum || [])];
  const v = tpl || { active: true, photos_before_min: 0, photos_after_min: 0 };
  const num = (x) => h('input', { type: 'number', min: '0', max: '20', step: '1', value: String(x ?? 0) });
  const fs = [
    field('code', t('checklist.f.code'), h('input', { type: 'text', maxlength: '40', value: v.code || '', required: true }), { required: true }),
    field('name', t('checklist.f.name'), h('input', { type: 'text', maxlength: '100', value: v.name || '', required: true }), { required: true }),
    field('name_en', t('checklist.f.name_en'), h('input', { type: 'text', maxlength: '100', value: v.name_en || '' })),
    field('product_category', t('checklist.f.product_category'), select(cats, v.product_category, catLabel)),
    field('model_series', t('checklist.f.model_series'), h('input', { type: 'text', maxlength: '40', value: v.model_series || '' })),
    field('work_order_kind', t('checklist.f.work_order_kind'), select(kinds, v.work_order_kind, woKindLabel)),
    field('photos_before_min', t('checklist.f.photos_before_min'), num(v.photos_before_min)),
    field('photos_after_min', t('checklist.f.photos_after_min'), num(v.photos_after_min)),
    field('active', t('checklist.f.active'), h('input', { type: 'checkbox', checked: !!v.active })),
    field('notes', t('checklist.f.notes'), h('textarea', { rows: '2', maxlength: '2000' })),
  ];
  fs[9].control.value = v.notes || '';
  const summary = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
  const value = (f) => {
    const c = f.control;
    if (c.type === 'checkbox') return c.checked;
    if (c.type === 'number') return c.value === '' ? 0 : Number(c.value);
    if (c.tagName === 'SELECT') return c.value || null;
    return c.value.trim();
  };
  async function save(e) {
    e.preventDefault();
    const body = {};
    for (const f of fs) if (!tpl || value(f) !== (tpl[f.name] ?? (f.control.tagName === 'SELECT' ? null : ''))) body[f.name] = value(f);
    try {
      const r = tpl ? await api('PATCH', `${T}/${tpl.id}`, { body, ifMatch: etag }) : await api('POST', T, { body });
      go(`/checklists/${r.data.id}`);
    } catch (err) {
      if (err.status !== 401) showErrors(summary, fs, err);
    }
  }
  return h('form', { class: 'card form', id: 'checklist-header', novalidate: true, onsubmit: save },
    summary, h('div', { class: 'grid' }, fs.map((f) => f.node)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('checklist.save')),
      h('a', { href: '#/checklists', class: 'btn btn-quiet' }, t('checklist.back'))));
}

// The editor of one item (a new one when it is null).
function itemForm(tplId, it, nextPos, done) {
  const kinds = columnMeta('checklist_item', 'kind')?.enum || [];
  const v = it || { kind: 'check', required: true, min_inclusive: true, max_inclusive: false };
  const fs = [
    field('kind', t('checklist.f.kind'), select(kinds, v.kind, kindLabel)),
    field('label', t('checklist.f.label'), h('input', { type: 'text', maxlength: '200', value: v.label || '' }), { required: true }),
    field('label_en', t('checklist.f.label_en'), h('input', { type: 'text', maxlength: '200', value: v.label_en || '' })),
    field('required', t('checklist.f.required'), h('input', { type: 'checkbox', checked: !!v.required })),
    field('min_centi', t('checklist.f.min'), h('input', { type: 'text', inputmode: 'decimal', maxlength: '16', value: fromCenti(v.min_centi) })),
    field('min_inclusive', t('checklist.f.min_inclusive'), h('input', { type: 'checkbox', checked: !!v.min_inclusive })),
    field('max_centi', t('checklist.f.max'), h('input', { type: 'text', inputmode: 'decimal', maxlength: '16', value: fromCenti(v.max_centi) })),
    field('max_inclusive', t('checklist.f.max_inclusive'), h('input', { type: 'checkbox', checked: !!v.max_inclusive })),
    field('unit', t('checklist.f.unit'), h('input', { type: 'text', maxlength: '20', value: v.unit || '' })),
    field('source', t('checklist.f.source'), h('input', { type: 'text', maxlength: '60', value: v.source || '' })),
  ];
  const by = Object.fromEntries(fs.map((f) => [f.name, f]));
  const limitBox = h('fieldset', { class: 'cl-limit' }, h('legend', null, t('checklist.limit')),
    ['min_centi', 'min_inclusive', 'max_centi', 'max_inclusive', 'unit'].map((n) => by[n].node));
  const sync = () => { limitBox.hidden = by.kind.control.value !== 'measure'; };
  by.kind.control.addEventListener('change', sync);
  sync();
  const summary = h('div', { class: 'alert alert-error', role: 'alert', hidden: true, tabindex: '-1' });
  async function save(e) {
    e.preventDefault();
    const measure = by.kind.control.value === 'measure';
    const body = { kind: by.kind.control.value, label: by.label.control.value.trim(), label_en: by.label_en.control.value.trim(),
      required: by.required.control.checked, source: by.source.control.value.trim(),
      unit: measure ? by.unit.control.value.trim() : '', min_inclusive: by.min_inclusive.control.checked, max_inclusive: by.max_inclusive.control.checked };
    for (const n of ['min_centi', 'max_centi']) {
      const c = measure ? toCenti(by[n].control.value) : null;
      if (Number.isNaN(c)) { showErrors(summary, fs, { field: n, reason: 'invalid_format', params: { format: 'decimal' } }); return; }
      body[n] = c;
    }
    try {
      if (it) await api('PATCH', `${I}/${it.id}`, { body, ifMatch: `"${it.version}"` });
      else await api('POST', I, { body: { ...body, template_id: tplId, position: nextPos } });
      done();
    } catch (err) {
      if (err.status !== 401) showErrors(summary, fs, err);
    }
  }
  return h('form', { class: 'card form', id: 'checklist-item-form', novalidate: true, onsubmit: save },
    h('h3', null, it ? t('checklist.item_edit') : t('checklist.item_new')), summary,
    h('div', { class: 'grid' }, ['kind', 'label', 'label_en', 'required', 'source'].map((n) => by[n].node)), limitBox,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('checklist.item_save')),
      it ? h('button', { type: 'button', class: 'btn btn-quiet', onclick: done }, t('checklist.cancel')) : null));
}

async function itemsSection(tplId) {
  const box = h('section', { class: 'card', id: 'checklist-items', 'aria-labelledby': 'cl-items-h' });
  const status = h('p', { role: 'status', class: 'sr-only' });
  async function refresh(editing) {
    const { data } = await api('GET', I, { query: { template_id: tplId, sort: 'position', limit: 200 } });
    const items = data.items;
    const move = async (i, d) => {
      const a = items[i], b = items[i + d];
      if (!b) return;
      try {
        await api('PATCH', `${I}/${a.id}`, { body: { position: b.position }, ifMatch: `"${a.version}"` });
        await api('PATCH', `${I}/${b.id}`, { body: { position: a.position }, ifMatch: `"${b.version}"` });
      } catch (err) { if (err.status !== 401) status.textContent = errorText(err); }
      await refresh();
    };
    const del = async (it) => {
      if (!window.confirm(t('checklist.item_delete_confirm', { label: it.label }))) return;
      try { await api('DELETE', `${I}/${it.id}`, { ifMatch: `"${it.version}"` }); await refresh(); } catch (err) {
        if (err.status === 409) {
          // answered on a work order: kept, switched off instead
          await api('PATCH', `${I}/${it.id}`, { body: { active: false }, ifMatch: `"${it.version}"` });
          await refresh();
          status.textContent = t('checklist.item_deactivated');
        } else if (err.status !== 401) status.textContent = errorText(err);
      }
    };
    const rows = items.map((it, i) => h('tr', { 'data-item': String(it.id), class: it.active ? null : 'muted' },
      h('td', null, String(i + 1)),
      h('td', null, kindLabel(it.kind)),
      h('td', null, it.label, it.active ? '' : ` (${t('checklist.inactive')})`),
      h('td', null, limitText(it)),
      h('td', null, it.required ? t('checklist.yes') : t('checklist.no')),
      h('td', { class: 'cl-actions' },
        h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': t('checklist.up', { n: i + 1 }), disabled: i === 0, onclick: () => move(i, -1) }, '↑'),
        h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': t('checklist.down', { n: i + 1 }), disabled: i === items.length - 1, onclick: () => move(i, 1) }, '↓'),
        h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => refresh(it) }, t('checklist.edit')),
        h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => del(it) }, t('checklist.delete')))));
    const nextPos = (items.length ? Math.max(...items.map((x) => x.position)) : 0) + 10;
    clear(box).append(h('h2', { id: 'cl-items-h' }, t('checklist.items', { n: items.length })), status,
      h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
        h('thead', null, h('tr', null, ['n', 'kind', 'label', 'limit', 'required', 'actions'].map((k) => h('th', { scope: 'col' }, t(`checklist.icol.${k}`))))),
        h('tbody', null, rows))),
      itemForm(tplId, editing || null, nextPos, () => refresh()));
  }
  await refresh();
  return box;
}

export async function checklistView(main, id) {
  await loadMeta();
  let tpl = null, etag = null;
  if (id) {
    const r = await api('GET', `${T}/${id}`);
    tpl = r.data;
    etag = r.etag;
  }
  const items = id ? await itemsSection(Number(id)) : null;
  if (!main.isCurrent()) return;
  main.append(h('h1', null, tpl ? t('checklist.edit_title', { name: tpl.name }) : t('checklist.new')),
    headerForm(tpl, etag), items);
}
