// The customer's fault report from the QR label, without signing in:
//   /r/<serial>       model, serial, warranty; describe, photos, phone -> number + status link
//   /r/survey/<token> the satisfaction survey (views/survey_public.js)
//   /r/quote/<token>  the customer's quote: accept or reject (views/quote_public.js)
//   /r/s/<token>      the report's progress, like a parcel: 已受理 → 已派工 → 已出发 → 已到达 → 已完成,
//                     each step from an event that happened; the appointment, the engineer's
//                     name and the resolution written for the customer
// Only the public API is used; nothing about the customer is shown.
import { h, clear, append } from '../dom.js';
import { api, apiUpload } from '../api.js';
import { t, fmtDate, fmtTime } from '../i18n.js';
import { errorText } from '../app.js';
import { reasonText } from './common.js';

const MAX_PHOTOS = 5;
const MAX_PHOTO = 10 * 1024 * 1024;
const STEPS = ['received', 'dispatched', 'on_the_way', 'on_site', 'done'];

export async function publicView(main, path) {
  const sv = /^survey\/([^/]+)$/.exec(path);
  if (sv) return (await import('./survey_public.js')).surveyView(main, decodeURIComponent(sv[1]));
  const qt = /^quote\/([^/]+)$/.exec(path);
  if (qt) return (await import('./quote_public.js')).quoteView(main, decodeURIComponent(qt[1]));
  const m = /^s\/([^/]+)$/.exec(path);
  if (m) return statusView(main, decodeURIComponent(m[1]));
  return reportView(main, decodeURIComponent(path.replace(/\/+$/, '')));
}

function fail(main, e) {
  const text = e.status === 404 ? t('ui.pub.unknown') : e.status === 429 ? t('ui.err.too_many_requests') : errorText(e);
  clear(main).append(h('h1', null, t('ui.pub.title')), h('p', { class: 'alert alert-error', role: 'alert', id: 'pub-error' }, text));
}

async function reportView(main, serial) {
  let u;
  try {
    u = (await api('GET', `/public/units/${encodeURIComponent(serial)}`, { quiet401: true })).data;
  } catch (e) { fail(main, e); return; }
  if (!main.isCurrent()) return;
  const w = u.warranty_status === 'in' ? 'in' : u.warranty_status === 'out' ? 'expired' : 'unknown';
  const err = h('div', { id: 'pub-msg' });
  const desc = h('textarea', { id: 'pub-desc', name: 'description', rows: '5', maxlength: '4000', required: true });
  const phone = h('input', { id: 'pub-phone', name: 'phone', type: 'tel', autocomplete: 'tel', inputmode: 'tel', maxlength: '40', required: true });
  const name = h('input', { id: 'pub-name', name: 'name', autocomplete: 'name', maxlength: '60' });
  const photos = [];
  const thumbs = h('ul', { class: 'pub-photos', id: 'pub-photos' });
  const cam = h('input', { id: 'pub-camera', type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', onchange: (e) => addPhotos(e.target) });
  const pick = h('input', { id: 'pub-pick', type: 'file', accept: 'image/*', multiple: true, class: 'file-input', onchange: (e) => addPhotos(e.target) });
  const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-wide', id: 'pub-submit' }, t('ui.pub.submit'));

  function addPhotos(input) {
    clear(err);
    for (const f of input.files) {
      if (photos.length >= MAX_PHOTOS) { err.append(h('p', { class: 'alert alert-error', role: 'alert' }, t('ui.pub.max_photos', { n: MAX_PHOTOS }))); break; }
      if (f.size > MAX_PHOTO) { err.append(h('p', { class: 'alert alert-error', role: 'alert' }, t('ui.pub.photo_big', { name: f.name }))); continue; }
      photos.push(f);
    }
    input.value = '';
    drawThumbs();
  }
  function drawThumbs() {
    append(clear(thumbs), photos.map((f, i) => h('li', null, h('span', null, f.name), ' ',
      h('button', { type: 'button', class: 'btn btn-quiet', onclick: () => { photos.splice(i, 1); drawThumbs(); } }, t('ui.pub.remove')))));
  }

  const form = h('form', { class: 'card form', novalidate: true, onsubmit: submit },
    err,
    h('div', { class: 'field' }, h('label', { for: 'pub-desc' }, t('ui.pub.describe'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), desc,
      h('small', { class: 'hint' }, t('ui.pub.describe_hint'))),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('ui.pub.photos')),
      h('div', { class: 'actions' },
        h('label', { for: 'pub-camera', class: 'btn' }, t('ui.attach.camera')), cam,
        h('label', { for: 'pub-pick', class: 'btn btn-quiet' }, t('ui.pub.pick')), pick),
      h('small', { class: 'hint' }, t('ui.pub.photos_hint', { n: MAX_PHOTOS })), thumbs),
    h('div', { class: 'field' }, h('label', { for: 'pub-phone' }, t('ui.pub.phone'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), phone),
    h('div', { class: 'field' }, h('label', { for: 'pub-name' }, t('ui.pub.name')), name),
    h('p', { class: 'hint' }, t('ui.pub.privacy')),
    h('div', { class: 'actions' }, btn));

  main.append(
    h('h1', null, t('ui.pub.title')),
    h('section', { class: `card warranty warranty-${w}`, id: 'pub-unit', 'aria-labelledby': 'pub-u' },
      h('h2', { id: 'pub-u' }, u.model_name || u.model_code),
      h('dl', { class: 'details' },
        h('div', null, h('dt', null, t('ui.pub.model')), h('dd', null, [u.model_code, u.model_name].filter(Boolean).join(' · '))),
        h('div', null, h('dt', null, t('ui.pub.serial')), h('dd', { id: 'pub-serial' }, u.serial_no)),
        h('div', null, h('dt', null, t('ui.unit.warranty')), h('dd', { id: 'pub-warranty' },
          h('span', { class: `badge badge-w-${w}` }, t(`ui.warranty.${w}`)), u.warranty_end ? ` ${t('ui.pub.until', { end: fmtDate(u.warranty_end) })}` : '')))),
    form);

  async function submit(e) {
    e.preventDefault();
    clear(err);
    const bad = !desc.value.trim() ? desc : !/^[+\d][\d\s\-()]{4,19}$/.test(phone.value.trim()) ? phone : null;
    for (const c of [desc, phone]) c.removeAttribute('aria-invalid');
    if (bad) {
      bad.setAttribute('aria-invalid', 'true');
      err.append(h('p', { class: 'alert alert-error', role: 'alert' }, bad === desc ? t('ui.pub.need_desc') : t('ui.err.phone')));
      bad.focus();
      return;
    }
    btn.disabled = true;
    try {
      const body = { description: desc.value.trim(), phone: phone.value.trim() };
      if (name.value.trim()) body.name = name.value.trim();
      const { data } = await api('POST', `/public/units/${encodeURIComponent(serial)}/reports`, { body, quiet401: true });
      let sent = 0, failed = 0;
      // a repeat has no token here (its link went to the reporter's phone): photos go there
      for (const f of data.repeat ? [] : photos) {
        btn.textContent = t('ui.pub.uploading', { i: sent + failed + 1, n: photos.length });
        try { await apiUpload(`/public/reports/${encodeURIComponent(data.token)}/photos`, f); sent += 1; } catch { failed += 1; }
      }
      done(data, sent, failed);
    } catch (x) {
      btn.disabled = false;
      btn.textContent = t('ui.pub.submit');
      // a refused field is named and marked, its words from the reason (review 71 #7)
      const c = { phone, description: desc, name }[x.field];
      const why = c && (reasonText(x) || errorText(x));
      if (c) { c.setAttribute('aria-invalid', 'true'); c.focus(); }
      err.append(h('p', { class: 'alert alert-error', role: 'alert' }, x.status === 429 ? t('ui.err.too_many_requests')
        : c ? `${c.labels[0].textContent.replace(/\s*\*$/, '')}：${why}` : errorText(x)));
    }
  }

  function done(data, sent, failed) {
    const card = h('section', { class: 'card', id: 'pub-done' },
      h('p', null, t('ui.pub.number')), h('p', { class: 'big-number', id: 'pub-number' }, data.number));
    if (data.repeat) {
      // the open report's link is not in the answer: it was sent to the reporter's phone
      card.append(h('p', { class: 'alert alert-info', id: 'pub-repeat' }, t('ui.pub.repeat')),
        photos.length ? h('p', { class: 'alert alert-info', id: 'pub-repeat-photos' }, t('ui.pub.repeat_photos', { n: photos.length })) : '');
    } else {
      const href = data.status_url && data.status_url.startsWith('/') ? data.status_url : `/r/s/${encodeURIComponent(data.token)}`;
      card.append(
        sent ? h('p', null, t('ui.pub.photos_sent', { n: sent })) : '',
        failed ? h('p', { class: 'alert alert-error' }, t('ui.pub.photos_failed', { n: failed })) : '',
        h('p', null, t('ui.pub.keep_link')),
        h('p', null, h('a', { href, class: 'btn btn-primary', id: 'pub-status-link' }, t('ui.pub.follow'))),
        h('p', { class: 'label-url' }, location.origin + href));
    }
    clear(main).append(h('h1', null, t('ui.pub.thanks')), card);
    main.focus();
  }
}

async function statusView(main, token) {
  let s;
  try {
    s = (await api('GET', `/public/reports/${encodeURIComponent(token)}`, { quiet401: true })).data;
  } catch (e) { fail(main, e); return; }
  if (!main.isCurrent()) return;
  const at = Object.fromEntries((s.steps || []).map((x) => [x.status, x.at]));
  const done = Object.fromEntries((s.steps || []).map((x) => [x.status, x.done]));
  const reached = STEPS.indexOf(s.status);
  const facts = [
    s.appointment_at ? [t('ui.pub.appointment'), h('time', { datetime: s.appointment_at, id: 'pub-appointment' }, fmtTime(s.appointment_at))] : null,
    s.engineer ? [t('ui.pub.engineer'), h('span', { id: 'pub-engineer' }, s.engineer)] : null,
  ].filter(Boolean);
  main.append(
    h('h1', null, t('ui.pub.status_title')),
    h('section', { class: 'card', id: 'pub-status', 'data-status': s.status },
      h('p', null, t('ui.pub.number'), ' ', h('strong', { id: 'pub-number' }, s.number)),
      h('p', { class: 'muted' }, [s.model_name, s.serial_no].filter(Boolean).join(' · ')),
      s.status === 'cancelled' ? h('p', { class: 'alert alert-error' }, t('ui.pub.st.cancelled')) : null,
      facts.length ? h('dl', { class: 'details' }, facts.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))) : null,
      h('ol', { class: 'track' }, STEPS.map((st, i) => {
        const ok = done[st] ?? i <= reached;
        return h('li', { class: `step${ok ? ' step-done' : ''}${i === reached ? ' step-now' : ''}`, 'data-step': st, 'data-done': String(!!ok), 'aria-current': i === reached ? 'step' : null },
          h('span', { class: 'step-dot', 'aria-hidden': 'true' }, ok ? '✓' : String(i + 1)),
          h('span', { class: 'step-name' }, t(`ui.pub.st.${st}`)),
          at[st] ? h('time', { class: 'muted', datetime: at[st] }, fmtTime(at[st])) : null);
      })),
      s.resolution ? h('section', { id: 'pub-resolution', 'aria-labelledby': 'pub-res-t' },
        h('h2', { id: 'pub-res-t' }, t('ui.pub.resolution')), h('p', { class: 'description' }, s.resolution)) : null),
    h('p', null, h('button', { type: 'button', class: 'btn', onclick: () => location.reload() }, t('ui.reload'))));
}
