// A minimal signing component for the customer's acceptance (issue 11 item 5), to embed in a
// work-order screen (the technician's phone view builds its own around the same call):
//   const el = await signatureForm({ workOrderId, signerName, comment, onSigned });
// The pad is signature_pad (web/vendor/dist/signature_pad.umd.min.js), loaded on first use
// only. Saving sends POST /api/v1/work-orders/{id}/signature with the PNG as a data: URL, the
// signer's name and the comment; the server checks the PNG, the self-check and the status,
// freezes the next report version and answers with it (onSigned gets it).
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { errorText } from '../app.js';

let lib = null;
export function loadSignaturePad() {
  if (globalThis.SignaturePad) return Promise.resolve(globalThis.SignaturePad);
  lib ??= new Promise((res, rej) => {
    const s = h('script', { src: '/vendor/dist/signature_pad.umd.min.js' });
    s.onload = () => res(globalThis.SignaturePad);
    s.onerror = () => { lib = null; rej(new Error('signature_pad')); };
    document.head.append(s);
  });
  return lib;
}

// contentSha256: the report the customer was shown (reports' current.content_sha256); the
// server refuses the signature (412 stale) when the report changed since
export function postSignature(workOrderId, dataUrl, signerName, comment, contentSha256) {
  const body = { signer_name: signerName, image_png_base64: dataUrl };
  if (comment !== undefined) body.comment = comment;
  if (contentSha256) body.content_sha256 = contentSha256;
  return api('POST', `/work-orders/${workOrderId}/signature`, { body });
}

export async function signatureForm({ workOrderId, signerName = '', comment = '', onSigned } = {}) {
  const SignaturePad = await loadSignaturePad();
  const msg = h('div', { class: 'sig-msg', role: 'status', 'aria-live': 'polite' });
  const name = h('input', { id: `sig-name-${workOrderId}`, maxlength: '60', autocomplete: 'off', required: true, value: signerName });
  const note = h('textarea', { id: `sig-comment-${workOrderId}`, rows: '2', maxlength: '2000' });
  note.value = comment;
  const canvas = h('canvas', { class: 'sign-canvas', role: 'img', 'aria-label': t('report.sign.here') });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, t('report.sign.save'));
  const form = h('form', { class: 'signature-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: note.id }, t('report.sign.comment')), note),
    h('div', { class: 'field' }, h('label', { for: name.id }, t('report.sign.name')), name),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('report.sign.here')), h('div', { class: 'sign-box' }, canvas)),
    msg,
    h('div', { class: 'actions' }, save, h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => pad.clear() }, t('report.sign.clear'))));
  const pad = new SignaturePad(canvas, { minWidth: 1, maxWidth: 3, penColor: '#111' });
  // sharp on high-density screens once the canvas is in the page and has its size
  requestAnimationFrame(() => {
    const r = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * r;
    canvas.height = canvas.offsetHeight * r;
    canvas.getContext('2d').scale(r, r);
    pad.clear();
  });
  const say = (kind, text) => clear(msg).append(h('p', { class: `alert alert-${kind}`, role: kind === 'error' ? 'alert' : null }, text));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!name.value.trim()) { name.setAttribute('aria-invalid', 'true'); say('error', t('report.sign.need_name')); name.focus(); return; }
    name.removeAttribute('aria-invalid');
    if (pad.isEmpty()) { say('error', t('report.sign.need_sign')); return; }
    save.disabled = true;
    try {
      const { data } = await postSignature(workOrderId, pad.toDataURL('image/png'), name.value.trim(), note.value.trim());
      say('info', t('report.sign.done', { version: data.version }));
      onSigned?.(data);
    } catch (x) {
      save.disabled = false;
      if (x.status !== 401) say('error', errorText(x));
    }
  });
  return h('section', { class: 'card signature', 'aria-label': t('report.sign.title') }, h('h2', null, t('report.sign.title')), form);
}
