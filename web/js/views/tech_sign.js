// The customer signs on the technician's phone (#/day/{id}/sign): what was done,
// their comment on the visit, their name and the signature drawn with a finger.
// The pad is signature_pad (web/vendor/dist), loaded only on this screen by
// engineer report's views/signature.js, whose POST /work-orders/{id}/signature
// stores the PNG with the signer's name and the time and freezes a version of
// the service report. The comment is also kept as the work order's
// customer_comment. Before the self-check passed (GET …/checklist → passed) the sheet shows
// the gate's message and a way back instead of the pad.
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { t, fmtMoney } from '../i18n.js';
import { go, errorText } from '../app.js';
import { woApi, context, windowText } from './tech.js';
import { loadSignaturePad, postSignature } from './signature.js';

// A canvas as wide as its box, sharp on high-density screens; resizing keeps the drawing.
export function mountPad(SignaturePad, canvas) {
  const pad = new SignaturePad(canvas, { minWidth: 1, maxWidth: 3, penColor: '#111', backgroundColor: 'rgba(0,0,0,0)' });
  function fit() {
    const data = pad.toData();
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext('2d').scale(ratio, ratio);
    pad.clear();
    if (data.length) pad.fromData(data);
  }
  fit();
  window.addEventListener('resize', fit);
  return { pad, stop: () => { window.removeEventListener('resize', fit); pad.off(); } };
}

// What the customer signs for: findings, work done, every part used (the work order's list
// and the parts taken from the van), hours and, for a chargeable job, the accepted quote and
// the charges with their total. Parts and money come from the report as a signature now would
// freeze it (GET /work-orders/{id}/reports → current), so the sheet shows what the PDF shows.
function whatWasDone(wo, cur) {
  const partText = (p) => `${[p.code, p.name].filter(Boolean).join(' ')} × ${p.quantity}${p.unit || ''}`;
  const list = (id, items) => (items.length ? h('ul', { class: 'sign-list', id }, items.map((x) => h('li', null, x))) : null);
  const charges = cur?.charges || [];
  const total = charges.reduce((n, c) => n + Number(c.amount_fen || 0), 0);
  const rows = [
    [t('tech.work.findings'), wo.findings],
    [t('tech.work.done'), wo.work_done],
    [t('tech.parts.title'), list('sign-parts', (cur ? cur.parts : wo.parts || []).map(partText))],
    [t('tech.work.hours'), wo.labour_minutes ? t('tech.hours_n', { n: Math.round((wo.labour_minutes / 60) * 100) / 100 }) : ''],
    [t('tech.sign.quote'), cur?.quote ? h('span', { id: 'sign-quote' }, `${cur.quote.number} · ${fmtMoney(cur.quote.total_fen)}`) : null],
    [t('tech.sign.charges'), charges.length ? list('sign-charges', [...charges.map((c) => `${c.item}  ${fmtMoney(c.amount_fen)}`),
      h('strong', { 'data-total-fen': String(total) }, t('tech.sign.total', { total: fmtMoney(total) }))]) : null],
  ].filter(([, v]) => v);
  if (!rows.length) return null;
  return h('dl', { class: 'details tech-times', id: 'sign-summary' }, rows.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))));
}

export async function signView(main, id) {
  const { data: wo, etag } = await woApi.get(id);
  const [c, SignaturePad, reports, checklist] = await Promise.all([context(wo), loadSignaturePad(),
    api('GET', `/work-orders/${id}/reports`).then((r) => r.data).catch(() => null),
    api('GET', `/work-orders/${id}/checklist`).then((r) => r.data).catch(() => null)]);
  const cur = reports?.current || null;
  if (!main.isCurrent()) return;
  // opened directly (a link, the back button) before the self-check passed: the customer is not
  // asked to sign what the server would refuse (409 self_check) — the gate's message instead
  if (checklist && !checklist.passed) {
    main.append(h('h1', null, t('tech.sign.title')),
      h('section', { class: 'card', id: 'sign-blocked' },
        h('p', { class: 'alert alert-error', id: 'sign-gate', role: 'alert' }, t('tech.sign.gate')),
        h('a', { href: `#/day/${id}`, class: 'btn btn-primary btn-wide', id: 'sign-back' }, t('tech.sign.to_checklist'))));
    return;
  }
  const msg = h('div', { id: 'sign-msg', role: 'status', 'aria-live': 'polite' });
  const name = h('input', { id: 'sign-name', autocomplete: 'off', maxlength: '60', required: true, value: c.contact || '' });
  const comment = h('textarea', { id: 'sign-comment', rows: '3', maxlength: '2000' });
  comment.value = wo.customer_comment || '';
  const canvas = h('canvas', { class: 'sign-canvas', id: 'sign-canvas', role: 'img', 'aria-label': t('tech.sign.canvas') });
  const save = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'sign-save' }, t('tech.sign.save'));
  const form = h('form', { class: 'card', id: 'sign-form', novalidate: true, onsubmit: submit },
    h('p', { class: 'sign-what' }, t('tech.sign.what', { number: wo.number, customer: c.customer || '', time: windowText(wo) })),
    whatWasDone(wo, cur),
    h('div', { class: 'field' }, h('label', { for: 'sign-comment' }, t('tech.sign.comment')), comment),
    h('div', { class: 'field' }, h('label', { for: 'sign-name' }, t('tech.sign.name'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), name),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('tech.sign.here')), h('div', { class: 'sign-box' }, canvas)),
    msg,
    h('div', { class: 'tech-reach' },
      h('button', { type: 'button', class: 'btn btn-quiet', id: 'sign-clear', onclick: () => pad.clear() }, t('tech.sign.clear')),
      h('a', { href: `#/day/${id}`, class: 'btn btn-quiet', id: 'sign-cancel' }, t('ui.cancel'))),
    save);
  main.append(h('h1', null, t('tech.sign.title')), form);
  const { pad, stop } = mountPad(SignaturePad, canvas);
  window.addEventListener('hashchange', stop, { once: true });

  function err(text, focus) {
    clear(msg).append(h('p', { class: 'alert alert-error', role: 'alert' }, text));
    focus?.focus();
  }
  async function submit(e) {
    e.preventDefault();
    if (!name.value.trim()) { name.setAttribute('aria-invalid', 'true'); err(t('tech.sign.need_name'), name); return; }
    name.removeAttribute('aria-invalid');
    if (pad.isEmpty()) { err(t('tech.sign.need_sign')); return; }
    save.disabled = true;
    try {
      let sha = cur?.content_sha256;
      if (comment.value.trim() !== (wo.customer_comment || '')) {
        await woApi.patch(id, { customer_comment: comment.value.trim() }, etag);
        // the comment is part of the report: sign the new content when it still shows the
        // same parts and money as this sheet, else refuse as stale (412) below
        const now = (await api('GET', `/work-orders/${id}/reports`)).data.current;
        const same = (x) => JSON.stringify([x?.parts, x?.charges, x?.quote]);
        if (cur && now && same(now) === same(cur)) sha = now.content_sha256;
      }
      await postSignature(id, pad.toDataURL('image/png'), name.value.trim(), comment.value.trim(), sha);
      go(`/day/${id}`);
    } catch (x) {
      save.disabled = false;
      if (x.status !== 401) err(x.status === 412 ? t('tech.stale') : errorText(x));
    }
  }
}

