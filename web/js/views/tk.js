// Shared pieces of the ticket screens: labels of ticket enums and live SLA
// countdowns. One timer ticks every countdown on the page from the
// seconds_left the server gave; nothing is refetched.
import { h } from '../dom.js';
import { t, has, fmtTime } from '../i18n.js';
import { columnMeta } from '../meta.js';

// The ticket enums are the server's (src/domain/ticket.c), read from GET /api/v1/meta:
// call these after sign-in, when the meta document is loaded.
const ticketEnum = (col) => columnMeta('ticket', col)?.enum || [];
export const ticketTypes = () => ticketEnum('type');
export const ticketStatuses = () => ticketEnum('status');
export const ticketPriorities = () => ticketEnum('priority');

// tl('status', 'new') -> 新建; unknown values show as they are
export function tl(kind, v) {
  if (v === null || v === undefined || v === '') return '';
  const k = `ui.tk.${kind}.${v}`;
  return has(k) ? t(k) : String(v);
}

export function statusBadge(s) {
  return h('span', { class: `badge badge-st badge-st-${s}`, 'data-status': s }, tl('status', s));
}

export function slaBadge(state) {
  if (!state) return '';
  return h('span', { class: `badge badge-sla-${state}` }, tl('sla', state));
}

// "1:05:09" / "2 d 03:00:00"
export function fmtDuration(sec) {
  const neg = sec < 0;
  let s = Math.abs(Math.trunc(sec));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hh = Math.floor(s / 3600); s -= hh * 3600;
  const mm = Math.floor(s / 60); s -= mm * 60;
  const p2 = (n) => String(n).padStart(2, '0');
  const core = `${hh}:${p2(mm)}:${p2(s)}`;
  return (neg ? '-' : '') + (d ? t('ui.sla.days', { d, rest: core }) : core);
}

const live = new Set();
let timer = null;

function paint(el) {
  const left = Math.round((Number(el.dataset.deadline) - Date.now()) / 1000);
  const txt = left >= 0 ? t('ui.sla.left', { t: fmtDuration(left) }) : t('ui.sla.over', { t: fmtDuration(-left) });
  if (el.textContent !== txt) el.textContent = txt;
  el.classList.toggle('cd-over', left < 0);
}

function tick() {
  for (const el of live) {
    if (!el.isConnected) live.delete(el);
    else paint(el);
  }
  if (live.size === 0) { clearInterval(timer); timer = null; }
}

// A countdown to now + secondsLeft, updated every second while on the page.
export function countdown(secondsLeft, dueAt) {
  const el = h('time', { class: 'countdown', datetime: dueAt || null, title: dueAt ? fmtTime(dueAt) : null, 'data-countdown': '' });
  el.dataset.deadline = String(Date.now() + secondsLeft * 1000);
  paint(el);
  live.add(el);
  if (!timer) timer = setInterval(tick, 1000);
  return el;
}
