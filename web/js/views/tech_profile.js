// A technician's profile (issue 15 item 5): the record's main facts and the calendar feed —
// a secret link (and its QR code) that a phone's calendar subscribes to, with a button that
// replaces it (the old link stops working).
import { h, clear } from '../dom.js';
import { api } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { errorText } from '../app.js';
import { detailList } from './common.js';

export async function techProfileView(main, id) {
  let tech;
  try {
    if (id === 'me') {
      const mine = (await api('GET', '/technicians', { query: { limit: 1 } })).data.items;
      if (!mine.length) throw Object.assign(new Error('none'), { status: 404, code: 'not_found' });
      tech = mine[0];
    } else {
      tech = (await api('GET', `/technicians/${id}`)).data;
    }
  } catch (x) {
    main.append(h('h1', null, t('ical.profile')), h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
    return;
  }
  const facts = detailList(['skills', 'authorisations', 'shift'].map((k) => [t(`ical.f.${k}`), tech[k]]));
  main.append(h('h1', null, tech.name || t('ical.profile')), facts, await feedCard(tech.id));
}

async function feedCard(techId) {
  const base = `/technicians/${techId}/calendar-feed`;
  const out = h('div', { role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'ical-feed' });
  const card = h('section', { class: 'card', 'aria-labelledby': 'ical-t' },
    h('h2', { id: 'ical-t' }, t('ical.title')), h('p', { class: 'hint' }, t('ical.intro')), out, body);
  const show = (f) => {
    clear(body);
    const make = h('button', { type: 'button', class: 'btn', id: 'ical-rotate' }, f.path ? t('ical.rotate') : t('ical.make'));
    make.addEventListener('click', async () => {
      if (f.path && !window.confirm(t('ical.rotate_confirm'))) return;
      make.disabled = true;
      try {
        show((await api('POST', base)).data);
        clear(out).append(h('p', { class: 'alert alert-info' }, f.path ? t('ical.rotated') : t('ical.made')));
      } catch (x) {
        make.disabled = false;
        clear(out).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
      }
    });
    if (!f.path) {
      body.append(h('p', null, t('ical.none')), make);
      return;
    }
    const url = f.url || location.origin + f.path;
    const input = h('input', { id: 'ical-url', readonly: true, value: url, 'aria-label': t('ical.url') });
    input.addEventListener('focus', () => input.select());
    body.append(
      h('div', { class: 'field' }, h('label', { for: 'ical-url' }, t('ical.url')), input),
      h('p', null, h('a', { href: url.replace(/^https?:/, 'webcal:'), id: 'ical-subscribe' }, t('ical.subscribe')),
        ' · ', h('span', { class: 'muted' }, t('ical.since', { at: fmtTime(f.created_at) }))),
      h('img', { src: `/api/v1${base}/qr.svg?v=${encodeURIComponent(f.created_at)}`, alt: t('ical.qr'), id: 'ical-qr' }),
      h('div', { class: 'actions' }, make));
  };
  try {
    show((await api('GET', base)).data);
  } catch (x) {
    clear(out).append(h('p', { class: 'alert alert-error', role: 'alert' }, errorText(x)));
  }
  return card;
}
