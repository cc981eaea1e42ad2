// Photos on the visit screen: the phone's camera (capture=environment) or its
// gallery, downscaled in the browser (long edge ≤ 1600 px, JPEG) before the
// upload, so that a photo costs ~200–400 KB on a slow connection, not 5 MB.
import { h, clear, nextId } from '../dom.js';
import { api, apiUpload, apiUrl } from '../api.js';
import { t } from '../i18n.js';
import { errorText } from '../app.js';

const MAX_EDGE = 1600;
const QUALITY = 0.8;

// The file as a JPEG whose long edge is at most MAX_EDGE; the file itself when it is
// already small or the browser cannot decode it.
export async function downscale(file, maxEdge = MAX_EDGE) {
  if (!file.type?.startsWith('image/') || typeof createImageBitmap !== 'function') return file;
  let bmp;
  try { bmp = await createImageBitmap(file, { imageOrientation: 'from-image' }); } catch { return file; }
  const scale = Math.min(1, maxEdge / Math.max(bmp.width, bmp.height));
  if (scale === 1 && file.size <= 400 * 1024) { bmp.close?.(); return file; }
  const w = Math.max(1, Math.round(bmp.width * scale)), hgt = Math.max(1, Math.round(bmp.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = hgt;
  canvas.getContext('2d').drawImage(bmp, 0, 0, w, hgt);
  bmp.close?.();
  const blob = await new Promise((res) => canvas.toBlob(res, 'image/jpeg', QUALITY));
  if (!blob) return file;
  const base = String(file.name || 'photo').replace(/\.[^.]*$/, '') || 'photo';
  return new File([blob], `${base}.jpg`, { type: 'image/jpeg' });
}

// A block "before" or "after": take / pick buttons, thumbnails of what was sent.
//   upload(file, kind) -> Promise (the caller knows the route)
export function photoBlock(kind, upload, existing = []) {
  const fid = nextId(`ph-${kind}`);
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite', 'data-photo-status': kind });
  const thumbs = h('ul', { class: 'tech-thumbs', 'data-photos': kind },
    existing.map((p) => h('li', null, p.url ? h('img', { src: p.url, alt: t('tech.photo.alt', { kind: t(`tech.photo.${kind}`) }), class: 'thumb', loading: 'lazy' }) : h('span', null, p.filename || '✓'))));
  async function take(input) {
    const files = [...input.files];
    input.value = '';
    for (const f of files) {
      status.textContent = t('tech.photo.preparing');
      try {
        const small = await downscale(f);
        status.textContent = t('tech.photo.uploading', { kb: Math.ceil(small.size / 1024) });
        await upload(small, kind);
        const url = URL.createObjectURL(small);
        thumbs.append(h('li', null, h('img', { src: url, alt: t('tech.photo.alt', { kind: t(`tech.photo.${kind}`) }), class: 'thumb' })));
        status.textContent = t('tech.photo.sent', { kb: Math.ceil(small.size / 1024) });
      } catch (e) {
        if (e.status === 401) return;
        clear(status).append(h('span', { class: 'field-error', role: 'alert' }, errorText(e)));
      }
    }
  }
  const cam = h('input', { id: `${fid}-cam`, type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', 'data-camera': kind, onchange: (e) => take(e.target) });
  const pick = h('input', { id: `${fid}-pick`, type: 'file', accept: 'image/*', multiple: true, class: 'file-input', 'data-pick': kind, onchange: (e) => take(e.target) });
  return h('div', { class: 'tech-photos', 'data-kind': kind },
    h('h3', null, t(`tech.photo.${kind}`)),
    h('div', { class: 'tech-reach' },
      h('label', { for: `${fid}-cam`, class: 'btn' }, t('tech.photo.take')), cam,
      h('label', { for: `${fid}-pick`, class: 'btn btn-quiet' }, t('tech.photo.pick')), pick),
    thumbs, status);
}

// Upload helper for the work-order photo route (engineer checklist's POST …/photos?phase=before|after).
export function uploadWoPhoto(woId) {
  return (file, phase) => apiUpload(`/work-orders/${woId}/photos`, file, { phase });
}

// The photos of a work order ([{id, phase, url}]); none when they cannot be read.
export async function woPhotos(woId) {
  try {
    const { data } = await api('GET', `/work-orders/${woId}/photos`);
    return (data?.items || []).map((p) => ({ ...p, url: apiUrl(`/work-orders/${woId}/photos/${p.id}`) }));
  } catch { return []; }
}
