// The service report (售后服务报告单, issue 11 item 5) on the ticket page: each work order of
// the ticket with its report versions — signed ones with the signer and the time, the draft
// when the work order changed since the last signature — and a link to each version's PDF
// (GET /api/v1/work-orders/{id}/report.pdf?version=n, every print audited by the server).
import { h, clear } from '../dom.js';
import { api, apiUrl } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { errorText } from '../app.js';

function versionItem(v) {
  const what = v.signed ? t('report.signed', { name: v.signer_name || '', time: fmtTime(v.signed_at) }) : t('report.draft');
  return h('li', { class: `report-version${v.signed ? ' signed' : ' draft'}`, 'data-version': String(v.version) },
    h('span', { class: 'report-v' }, t('report.version', { version: v.version })), ' · ', what, ' ',
    h('a', { href: apiUrl(v.pdf_url.replace(/^\/api\/v1/, '')), target: '_blank', rel: 'noopener', class: 'report-pdf' }, t('report.pdf_link')));
}

function workOrderBlock(wo, rep) {
  const changed = rep.items.some((v) => v.signed) && !rep.current_signed;
  return h('div', { class: 'report-wo', 'data-wo': String(wo.id) },
    h('h3', null, t('report.wo', { number: wo.number })),
    changed ? h('p', { class: 'hint report-changed' }, t('report.draft_changed')) : null,
    h('ol', { class: 'report-versions', 'aria-label': t('report.versions') }, rep.items.map(versionItem)));
}

async function fill(box, ticketId) {
  try {
    const wos = (await api('GET', '/work-orders', { query: { ticket_id: ticketId, limit: 20 } })).data.items
      .filter((w) => w.status !== 'cancelled');
    if (!wos.length) { clear(box).append(h('p', { class: 'empty' }, t('report.none'))); return; }
    const reps = await Promise.all(wos.map((w) => api('GET', `/work-orders/${w.id}/reports`).then((r) => r.data)));
    clear(box).append(...wos.map((w, i) => workOrderBlock(w, reps[i])));
  } catch (x) {
    if (x.status !== 401) clear(box).append(h('p', { class: 'alert alert-error' }, errorText(x)));
  }
}

// The card, filled when the work orders have loaded (the ticket page does not wait for it).
export function reportSection(ticketId) {
  const box = h('div', { id: 'report-body' }, h('p', { class: 'hint' }, t('ui.loading')));
  fill(box, ticketId);
  return h('section', { class: 'card', id: 'ticket-report', 'aria-labelledby': 'rp-t' },
    h('h2', { id: 'rp-t' }, t('report.section')), box);
}
