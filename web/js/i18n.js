// Message catalogues (web/i18n/<locale>.json) and locale-aware formatting.
// zh-CN is the default; the choice is remembered in localStorage.

export const LOCALES = ['zh-CN', 'en'];
const STORE_KEY = 'shouhou.locale';
const TZ = 'Asia/Shanghai'; // the company's time zone
const cats = {};
let locale = 'zh-CN';

export function currentLocale() { return locale; }

function remembered() {
  try { return localStorage.getItem(STORE_KEY); } catch { return null; }
}

async function load(loc) {
  if (!cats[loc]) {
    const r = await fetch(`/i18n/${loc}.json`, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(`catalogue ${loc}: HTTP ${r.status}`);
    cats[loc] = await r.json();
  }
  return cats[loc];
}

export async function initLocale() {
  const want = remembered();
  await setLocale(LOCALES.includes(want) ? want : 'zh-CN', false);
}

export async function setLocale(loc, remember = true) {
  if (!LOCALES.includes(loc)) loc = 'zh-CN';
  await load(loc);
  locale = loc;
  document.documentElement.lang = loc;
  if (remember) {
    try { localStorage.setItem(STORE_KEY, loc); } catch { /* private mode: not remembered */ }
  }
}

// t('ui.list.total', {n: 3}) -> "共 3 条"; {name} placeholders.
export function t(key, vars) {
  let s = cats[locale]?.[key];
  if (s === undefined) s = cats['zh-CN']?.[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

export function has(key) { return cats[locale]?.[key] !== undefined; }

// The label of column `col` of entity `ent` (field.<ent>.<col>, then field.<col>).
export function fieldLabel(ent, col) {
  for (const k of [`field.${ent}.${col}`, `field.${col}`]) if (has(k)) return t(k);
  return col;
}

export function enumLabel(col, v) {
  if (v === null || v === undefined || v === '') return '';
  const k = `enum.${col}.${v}`;
  return has(k) ? t(k) : String(v);
}

export function roleLabel(r) {
  return has(`role.${r}`) ? t(`role.${r}`) : r;
}

// 'YYYY-MM-DD' (a calendar day) in the user's locale.
export function fmtDate(d) {
  if (!d) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return String(d);
  const dt = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(dt);
}

// An ISO UTC timestamp shown in the company's time zone.
export function fmtTime(ts) {
  if (!ts) return '';
  const dt = new Date(ts);
  if (Number.isNaN(dt.getTime())) return String(ts);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: TZ }).format(dt);
}

// datetime-local controls are read and written in the company's time, as fmtTime shows it,
// whatever the browser's zone (review 71 #18). Asia/Shanghai is UTC+8 all year.
const TZ_OFFSET_MS = 8 * 3600e3;

// A datetime-local value ("YYYY-MM-DDTHH:MM[:SS]", company time) as the API's UTC text
// ("…Z", no milliseconds); '' for an empty or unreadable value.
export function fromCompanyInput(v) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(v || '');
  if (!m) return '';
  return new Date(`${m[1]}T${m[2]}${m[3] || ':00'}+08:00`).toISOString().replace(/\.\d+Z$/, 'Z');
}

// A UTC timestamp (text or Date) as a datetime-local value in company time; '' for none.
export function toCompanyInput(ts) {
  if (!ts) return '';
  const ms = ts instanceof Date ? ts.getTime() : Date.parse(ts);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + TZ_OFFSET_MS).toISOString().slice(0, 16);
}

// Integer fen -> ¥ amount.
export function fmtMoney(fen) {
  if (fen === null || fen === undefined || fen === '') return '';
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' })
    .format(Number(fen) / 100);
}

export function fmtNumber(n) {
  return new Intl.NumberFormat(locale).format(n);
}

// Today's calendar day in the company's time zone, 'YYYY-MM-DD'.
export function today() {
  return localDay(new Date());
}

// The company's calendar day of an instant (a Date or an ISO time), 'YYYY-MM-DD'.
export function localDay(when) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(when));
}
