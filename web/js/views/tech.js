// The technician's day on a phone (issue 11 item 3): today's work orders in
// appointment order, each with its address, a map link, call and message
// buttons and what to bring. A technician signing in lands here (#/day).
// The visit itself (depart … signature) is views/tech_visit.js, loaded when
// a work order is opened, so that the first load of the day stays small.
//
// The last day seen is kept in localStorage: on a dead connection the phone
// shows it (marked as saved at HH:MM) instead of an error page.
import { h, clear, append } from '../dom.js';
import { api } from '../api.js';
import { t, has, today, localDay, currentLocale } from '../i18n.js';
import { state, go } from '../app.js';
import { woOpen } from './wo.js';

const TZ = 'Asia/Shanghai';
const CACHE = 'shouhou.tech.day';

// ---- the work-order API (engineer wo's routes; one place to adapt) ----

export const woApi = {
  list: (day) => api('GET', '/work-orders', { query: { day, mine: 'true', limit: 50 } }),
  get: (id) => api('GET', `/work-orders/${id}`),
  action: (id, action, body, etag) => api('POST', `/work-orders/${id}/actions`, { body: { action, ...body }, ifMatch: etag || undefined }),
  patch: (id, body, etag) => api('PATCH', `/work-orders/${id}`, { body, ifMatch: etag || undefined }),
};

// ---- formatting ----

export function clock(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(currentLocale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TZ }).format(d);
}

export function dayTitle(day) {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(currentLocale(), { month: 'long', day: 'numeric', weekday: 'short', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

// tt('status', 'on_site') -> 在现场; unknown values show as they are
export function tt(kind, v) {
  if (v === null || v === undefined || v === '') return '';
  const k = `tech.${kind}.${v}`;
  return has(k) ? t(k) : String(v);
}

export function woStatusBadge(s) {
  return h('span', { class: `badge badge-wo badge-wo-${s}`, 'data-status': s }, tt('status', s));
}

// "09:00 ±30" with the arrival window as a title; a job on another day than today carries its
// date ("12月9日 周三 14:00 ±30"), so a link to tomorrow's job never reads as today's
export function windowText(wo) {
  const at = wo.appointment_at;
  if (!at) return t('tech.no_time');
  const tol = Number(wo.tolerance_min ?? 30);
  const day = localDay(at);
  if (day !== today()) return t('tech.window_day', { date: dayTitle(day), time: clock(at), tol });
  return t('tech.window', { time: clock(at), tol });
}

// 'YYYY-MM-DD' n days after day
export function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

// The day shown on #/day: previous / 今天 / 明天 / next, and any date (review 71 #23)
function dayPicker(day) {
  const now = today();
  const btn = (id, label, d) => h('button', { type: 'button', class: `btn${d === day ? ' btn-primary' : ' btn-quiet'}`, id, 'aria-pressed': String(d === day),
    onclick: () => go('/day', d === now ? {} : { day: d }) }, label);
  const pick = h('input', { type: 'date', id: 'tech-date', value: day, 'aria-label': t('tech.day.pick'),
    onchange: () => { if (/^\d{4}-\d{2}-\d{2}$/.test(pick.value)) go('/day', pick.value === now ? {} : { day: pick.value }); } });
  return h('nav', { class: 'tech-reach tech-days', id: 'tech-days', 'aria-label': t('tech.day.pick') },
    h('button', { type: 'button', class: 'btn btn-quiet', id: 'tech-prev', 'aria-label': t('tech.day.prev'), onclick: () => go('/day', { day: addDays(day, -1) }) }, '‹'),
    btn('tech-today', t('tech.day.today'), now),
    btn('tech-tomorrow', t('tech.day.tomorrow'), addDays(now, 1)),
    h('button', { type: 'button', class: 'btn btn-quiet', id: 'tech-next', 'aria-label': t('tech.day.next'), onclick: () => go('/day', { day: addDays(day, 1) }) }, '›'),
    pick);
}

// ---- what we know about the place: the work order first, then its ticket, customer, unit, site ----

// Reads the fields the work order carries itself: a row of the list has them all (customer_name,
// address, phone, contact_name, description, serial_no, model_name, latitude, longitude); for a
// single work order what is missing is fetched from the ticket and its customer, unit and site.
export async function context(wo) {
  const c = {
    customer: wo.customer_name || wo.customer?.name || '',
    address: wo.address || wo.site_address || wo.customer?.address || '',
    phone: wo.phone || wo.contact_phone || wo.customer?.phone || '',
    contact: wo.contact_name || '',
    lat: wo.latitude ?? wo.site_latitude ?? null,
    lon: wo.longitude ?? wo.site_longitude ?? null,
    model: wo.model_name || '',
    serial: wo.serial_no || '',
    fault: wo.description || wo.fault || '',
    ticketNumber: wo.ticket_number || '',
  };
  // the list answer carries the place (GET /work-orders: address, phone, …): no more requests
  if (!wo.ticket_id || ('address' in wo && 'phone' in wo)) return c;
  try {
    const tk = (await api('GET', '/tickets', { query: { id: wo.ticket_id, expand: 'customer_id,unit_id,model_id', limit: 1 } })).data.items[0];
    if (!tk) return c;
    c.ticketNumber ||= tk.number;
    c.customer ||= tk.customer_id_label || tk.customer_id_name || '';
    c.contact ||= tk.caller_name || '';
    c.phone ||= tk.caller_phone || '';
    c.fault ||= tk.description || '';
    c.model ||= tk.model_id_label || '';
    c.serial ||= tk.unit_id_label || '';
    const [cu, un] = await Promise.all([
      tk.customer_id && !c.address ? api('GET', `/customers/${tk.customer_id}`).then((r) => r.data).catch(() => null) : null,
      tk.unit_id ? api('GET', `/units/${tk.unit_id}`).then((r) => r.data).catch(() => null) : null,
    ]);
    if (un?.serial_no) c.serial = un.serial_no;
    if (un?.site_id && (c.lat === null || !c.address)) {
      const site = await api('GET', `/sites/${un.site_id}`).then((r) => r.data).catch(() => null);
      if (site) {
        c.address = c.address || place(site);
        if (site.latitude != null && site.longitude != null) { c.lat = site.latitude; c.lon = site.longitude; }
      }
    }
    if (cu) {
      if (!c.customer) c.customer = cu.name;
      if (!c.address) c.address = place(cu);
      if (!c.phone) c.phone = cu.phone || '';
    }
  } catch { /* the card shows what the work order has */ }
  return c;
}

// "city address", without the city when the address already names it
function place(x) {
  const a = x.address || '';
  return x.city && !a.includes(x.city) ? `${x.city} ${a}`.trim() : a;
}

// geo: opens the phone's map app; the fallback is a web map (高德) that works on every phone.
export function mapLinks(c) {
  const label = c.customer || c.address;
  const haveXY = c.lat !== null && c.lat !== undefined && c.lon !== null && c.lon !== undefined;
  if (!haveXY && !c.address) return null;
  const geo = haveXY
    ? `geo:${c.lat},${c.lon}?q=${c.lat},${c.lon}(${encodeURIComponent(label)})`
    : `geo:0,0?q=${encodeURIComponent(c.address)}`;
  const web = haveXY
    ? `https://uri.amap.com/marker?position=${c.lon},${c.lat}&name=${encodeURIComponent(label)}&coordinate=wgs84&callnative=1`
    : `https://uri.amap.com/search?keyword=${encodeURIComponent(c.address)}&callnative=1`;
  return { geo, web };
}

const telOf = (p) => String(p || '').replace(/[^\d+]/g, '');

// The row of big buttons: navigate, call, message (each only when we have what it needs).
export function reachButtons(c, woNumber) {
  const m = mapLinks(c);
  const tel = telOf(c.phone);
  const smsBody = t('tech.sms_body', { number: woNumber || '' });
  return h('div', { class: 'tech-reach' },
    m ? h('a', { class: 'btn btn-primary', href: m.geo, 'data-reach': 'map' }, t('tech.navigate')) : null,
    tel ? h('a', { class: 'btn', href: `tel:${tel}`, 'data-reach': 'tel' }, t('tech.call')) : null,
    tel ? h('a', { class: 'btn', href: `sms:${tel}?body=${encodeURIComponent(smsBody)}`, 'data-reach': 'sms' }, t('tech.message')) : null,
    m ? h('a', { class: 'tech-weblink', href: m.web, target: '_blank', rel: 'noopener noreferrer', 'data-reach': 'webmap' }, t('tech.web_map')) : null);
}

// What to bring: the unit and its fault (for the spares), what the work order lists,
// and the kit every visit needs (R-165: tools, badge, uniform, cap, gloves, shoe covers, cloths).
export function bringList(wo, c) {
  const items = [];
  if (c.model || c.serial) items.push(t('tech.bring.unit', { unit: [c.model, c.serial].filter(Boolean).join(' · ') }));
  for (const p of wo.parts || []) if (p?.name) items.push(`${p.name} × ${p.quantity ?? 1}${p.unit || ''}`);
  // the accepted quote's parts: what the customer agreed to have fitted (review M10)
  for (const p of wo.accepted_quote?.parts || []) {
    items.push(t('tech.bring.quoted', { part: [p.code, p.name].filter(Boolean).join(' '), qty: `${p.quantity}${p.unit || ''}`, quote: wo.accepted_quote.number }));
  }
  if (wo.bring) items.push(String(wo.bring));
  items.push(t('tech.bring.kit'));
  return h('details', { class: 'tech-bring', 'data-bring': '' },
    h('summary', null, t('tech.bring.title')),
    h('ul', null, items.map((s) => h('li', null, s))));
}

// ---- the day ----

function saveCache(day, rows) {
  try { localStorage.setItem(CACHE, JSON.stringify({ user: state.user?.id, day, at: new Date().toISOString(), rows })); } catch { /* full or private */ }
}
function readCache(day) {
  try {
    const x = JSON.parse(localStorage.getItem(CACHE) || 'null');
    return x && x.day === day && x.user === state.user?.id ? x : null;
  } catch { return null; }
}

export async function dayView(main) {
  const asked = main.params.get('day') || '';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : today();
  const isToday = day === today();
  const status = h('p', { class: 'tech-status', id: 'tech-status', role: 'status', 'aria-live': 'polite' }, t('tech.loading'));
  const list = h('ol', { class: 'tech-day', id: 'tech-day', 'aria-busy': 'true' },
    [0, 1].map(() => h('li', { class: 'wo-card wo-skeleton', 'aria-hidden': 'true' })));
  const refresh = h('button', { type: 'button', class: 'btn btn-quiet', id: 'tech-refresh', onclick: () => go('/day', { day: main.params.get('day') }) }, t('tech.refresh'));
  main.classList.add('tech');
  main.append(
    h('div', { class: 'page-head' }, h('h1', null, isToday ? t('tech.day.title') : t('tech.day.title_on'), ' ', h('span', { class: 'count', id: 'tech-day-date', 'data-day': day }, dayTitle(day))), refresh),
    dayPicker(day), status, list);

  let rows;
  try {
    const items = (await woApi.list(day)).data.items || [];
    items.sort((a, b) => String(a.appointment_at || '').localeCompare(String(b.appointment_at || '')));
    const ctxs = await Promise.all(items.map((wo) => context(wo)));
    rows = items.map((wo, i) => ({ wo, c: ctxs[i] }));
    if (!main.isCurrent()) return;
    saveCache(day, rows);
    status.textContent = rows.length ? (isToday ? t('tech.day.count', { n: rows.length }) : t('tech.day.count_on', { n: rows.length })) : '';
  } catch (e) {
    if (e.status === 401 || !main.isCurrent()) return;
    const saved = readCache(day);
    if (!saved) {
      list.removeAttribute('aria-busy');
      clear(list);
      status.className = 'alert alert-error';
      status.textContent = e.status === 0 ? t('tech.offline') : t('tech.load_failed');
      return;
    }
    rows = saved.rows;
    status.className = 'alert alert-info';
    status.textContent = t('tech.offline_saved', { time: clock(saved.at) });
  }
  list.removeAttribute('aria-busy');
  clear(list);
  if (rows.length === 0) {
    list.replaceWith(h('p', { class: 'empty', id: 'tech-empty' }, isToday ? t('tech.day.empty') : t('tech.day.empty_on')));
    return;
  }
  const next = rows.find((r) => woOpen(r.wo.status));
  append(list, rows.map(({ wo, c }) => card(wo, c, wo === next?.wo)));
}

function card(wo, c, isNext) {
  const id = `wo-${wo.id}`;
  const late = wo.eta_at && wo.appointment_at && wo.eta_at > wo.appointment_at;
  return h('li', { class: `wo-card${isNext ? ' wo-next' : ''}${woOpen(wo.status) ? '' : ' wo-closed'}`, 'data-wo': String(wo.id), 'aria-labelledby': id },
    h('div', { class: 'wo-top' },
      h('time', { class: 'wo-time', datetime: wo.appointment_at || null }, windowText(wo)),
      woStatusBadge(wo.status)),
    late ? h('p', { class: 'wo-late' }, t('tech.eta', { time: clock(wo.eta_at) })) : null,
    h('h2', { id, class: 'wo-customer' }, c.customer || wo.number),
    h('p', { class: 'wo-meta' }, [tt('kind', wo.kind), wo.number, c.ticketNumber && !String(wo.number).startsWith(c.ticketNumber) ? c.ticketNumber : ''].filter(Boolean).join(' · ')),
    c.address ? h('p', { class: 'wo-address' }, c.address) : null,
    c.fault ? h('p', { class: 'wo-fault' }, c.fault) : null,
    reachButtons(c, wo.number),
    bringList(wo, c),
    h('a', { class: `btn btn-wide${isNext ? ' btn-primary' : ''}`, href: `#/day/${wo.id}`, 'data-open': String(wo.id) },
      woOpen(wo.status) ? t('tech.open') : t('tech.view')));
}

// the visit screen and the signature screen load on first use
export async function visitView(main, id) {
  main.classList.add('tech');
  return (await import('./tech_visit.js')).visitView(main, id);
}
export async function signView(main, id) {
  main.classList.add('tech');
  return (await import('./tech_sign.js')).signView(main, id);
}
