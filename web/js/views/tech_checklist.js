// The self-check on the phone (engineer checklist's GET /work-orders/{id}/checklist and
// PUT …/checklist/items/{item}): each answer is saved as it is given — one tap on a slow
// connection, nothing to lose. Items are a yes/no check or conduct rule (pass / fail), a
// measurement (the value; the server judges it against the limit and keeps a failed one),
// or a required photo (taken here, downscaled, then recorded on the item).
import { h, clear, nextId } from '../dom.js';
import { api, apiUpload } from '../api.js';
import { t, currentLocale } from '../i18n.js';
import { errorText } from '../app.js';
import { downscale } from './tech_photo.js';

const label = (it) => (currentLocale() === 'en' && it.label_en) || it.label || it.text || it.name || it.code || '';
const resultOf = (it) => it.result || it.answer || null;
const itemId = (it) => it.id ?? it.item_id;

// "< 2 mm", "1 – 3 mm", "≥ 0.5 mm" from min/max (numbers or decimal text) and their inclusiveness
export function limitText(it) {
  if (typeof it.limit === 'string' && it.limit) return it.limit;
  if (it.limit_text) return it.limit_text;
  const centi = (v) => (v === null || v === undefined ? null : Number(v) / 100);
  const min = it.min ?? centi(it.min_centi), max = it.max ?? centi(it.max_centi);
  const u = it.unit ? ` ${it.unit}` : '';
  if (min !== null && max !== null) return `${min} – ${max}${u}`;
  if (max !== null) return `${it.max_inclusive ? '≤' : '<'} ${max}${u}`;
  if (min !== null) return `${it.min_inclusive === false ? '>' : '≥'} ${min}${u}`;
  return '';
}

function passedOf(it) {
  const r = resultOf(it);
  if (!r) return null;
  if (typeof r.passed === 'boolean') return r.passed;
  if (r.result === 'pass' || r.result === 'fail') return r.result === 'pass';
  return null;
}

// The card at once (loading), filled when the checklist arrives; onChange(d) gets every state
// of the checklist (d.passed is the self-check gate), null when there is none to load.
export function checklistCard(woId, onChange) {
  const box = h('section', { class: 'card', id: 'visit-checklist', 'aria-labelledby': 'cl-t', 'aria-busy': 'true' },
    h('h2', { id: 'cl-t' }, t('tech.checklist.title')), h('p', { class: 'hint' }, t('tech.loading')));
  load();
  box.reload = load; // after a photo: the gate counts photos before and after
  return box;

  async function load() {
    try {
      draw((await api('GET', `/work-orders/${woId}/checklist`)).data);
    } catch (e) {
      if (e.status === 401) return;
      clear(box).append(h('h2', { id: 'cl-t' }, t('tech.checklist.title')),
        h('p', { class: 'hint', id: 'cl-none' }, e.status === 404 ? t('tech.checklist.none') : errorText(e)));
      onChange?.(null); // no checklist to pass (or unknown): the server judges the signature
    }
    box.removeAttribute('aria-busy');
  }

  function draw(d) {
    const items = d?.items || d?.lines || [];
    const gate = h('p', { id: 'cl-gate', class: d?.passed ? 'alert alert-info' : 'hint', 'data-passed': String(!!d?.passed) },
      items.length ? (d?.passed ? t('tech.checklist.passed') : t('tech.checklist.open')) : '');
    clear(box).append(h('h2', { id: 'cl-t' }, t('tech.checklist.title')),
      items.length ? h('ol', { class: 'tech-cl' }, items.map(row)) : h('p', { class: 'hint', id: 'cl-none' }, t('tech.checklist.none')),
      items.length ? gate : null);
    onChange?.(d);
  }

  async function record(it, body, status) {
    status.textContent = t('tech.checklist.saving');
    try {
      const { data } = await api('PUT', `/work-orders/${woId}/checklist/items/${itemId(it)}`, { body });
      if (data && (data.items || data.lines)) draw(data);
      else status.textContent = t('tech.checklist.saved');
    } catch (e) {
      if (e.status !== 401) clear(status).append(h('span', { class: 'field-error', role: 'alert' }, errorText(e)));
    }
  }

  function row(it) {
    const gid = nextId('cl');
    const r = resultOf(it);
    const passed = passedOf(it);
    const status = h('span', { class: 'hint', role: 'status', 'data-cl-status': String(itemId(it)) },
      passed === true ? t('tech.checklist.ok') : passed === false ? t('tech.checklist.failed') : '');
    const lim = limitText(it);
    let control;
    if (it.kind === 'measure') {
      const input = h('input', { type: 'text', inputmode: 'decimal', id: `${gid}-v`, value: r?.value ?? '', 'data-cl-value': String(itemId(it)), autocomplete: 'off' });
      input.addEventListener('change', () => {
        const v = input.value.trim().replace(',', '.');
        if (!/^-?\d+(\.\d{1,2})?$/.test(v)) { clear(status).append(h('span', { class: 'field-error', role: 'alert' }, t('tech.checklist.value_bad'))); return; }
        record(it, { value: v }, status);
      });
      control = h('div', { class: 'field' }, h('label', { for: `${gid}-v` }, t('tech.checklist.value'), it.unit ? ` (${it.unit})` : ''), input);
    } else if (it.kind === 'photo') {
      const cam = h('input', { id: `${gid}-cam`, type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', 'data-cl-photo': String(itemId(it)), onchange: async (e) => {
        const f = e.target.files[0];
        e.target.value = '';
        if (!f) return;
        status.textContent = t('tech.photo.preparing');
        try {
          const small = await downscale(f);
          const { data } = await apiUpload(`/work-orders/${woId}/photos`, small, { phase: 'check', item_id: itemId(it) });
          await record(it, { passed: true, photo_id: data?.id }, status);
        } catch (x) {
          if (x.status !== 401) clear(status).append(h('span', { class: 'field-error', role: 'alert' }, errorText(x)));
        }
      } });
      control = h('div', { class: 'tech-reach' }, h('label', { for: `${gid}-cam`, class: 'btn' }, t('tech.photo.take')), cam);
    } else {
      const choice = (v) => h('div', { class: 'tech-radio' },
        h('input', { type: 'radio', name: gid, id: `${gid}-${v}`, value: v, checked: passed === (v === 'pass'), 'data-cl': String(itemId(it)),
          onchange: () => record(it, { passed: v === 'pass' }, status) }),
        h('label', { for: `${gid}-${v}` }, t(`tech.checklist.${v}`)));
      control = h('div', { class: 'tech-pair' }, choice('pass'), choice('fail'));
    }
    return h('li', { class: `tech-cl-item${passed === false ? ' tech-cl-failed' : ''}`, 'data-item': String(itemId(it)), 'data-kind': it.kind || 'check' },
      h('fieldset', { class: 'tech-choice' },
        h('legend', null, label(it), it.required === false ? h('span', { class: 'hint' }, ' · ', t('tech.checklist.optional')) : null),
        lim ? h('p', { class: 'hint' }, t('tech.checklist.limit', { limit: lim })) : null,
        control, status));
  }
}
