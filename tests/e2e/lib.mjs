// Shared helpers: the browser (Debian's chromium-headless-shell via playwright-core), pages
// that record console errors, sign-in, and the seeded data.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const BASE = process.env.SHOUHOU_URL || 'http://127.0.0.1:8080';
export const SEED = process.env.SHOUHOU_SEED ? JSON.parse(readFileSync(process.env.SHOUHOU_SEED, 'utf8')) : null;

export function browserOptions() {
  return {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium-headless-shell',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  };
}

// The suite's shared browser when run.sh started one (browser_server.mjs), else a new one.
// close() on a connected browser closes this file's contexts and disconnects.
export function launch() {
  const ws = process.env.SHOUHOU_BROWSER_WS;
  return ws ? chromium.connect(ws) : chromium.launch(browserOptions());
}

// API answers the UI expects and handles itself (wrong password, validation,
// stale edit, signed out, an unknown serial on the public QR page): Chromium
// logs them as "Failed to load resource". A missing static file is still caught
// by the response check below.
const EXPECTED = /Failed to load resource: the server responded with a status of (400|401|404|412|422)\b/;

// A page in a fresh context; page.errors collects console errors, uncaught
// exceptions and CSP violations.
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ baseURL: BASE, viewport: opts.viewport || { width: 1280, height: 800 }, locale: 'zh-CN', ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}) });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED.test(m.text())) page.errors.push(`console: ${m.text()} @ ${page.url()}`);
  });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message} @ ${page.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 500 || (r.status() === 404 && !r.url().includes('/api/'))) page.errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.setDefaultTimeout(10000);
  return page;
}

// password: the seed's users' one unless given
export async function signIn(page, username, password = SEED.password) {
  await page.goto('/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#password').press('Enter');
  await page.locator('nav.nav').waitFor();
}

export async function navKeys(page) {
  return page.locator('nav.nav a').evaluateAll((as) => as.map((a) => a.dataset.nav));
}

export async function close(page) {
  const errors = page.errors;
  await page.context().close();
  return errors;
}

// Who signs in: 'admin', a user the seed made ('agent', 'customer', 'technician',
// 'dispatcher'), or any username; the password is the seed's (the admin's for admin).
export function credentials(who) {
  if (who === 'admin') return ['admin', SEED.adminPassword];
  return [typeof SEED[who] === 'string' && !/password/i.test(who) ? SEED[who] : who, SEED.password];
}

// Runs fn with a fresh page (newPage: opts.viewport) and closes it afterwards, whatever fn did.
//   opts.as        signs in first as this user (credentials(); opts.password overrides)
//   opts.allow     a RegExp of console errors the test provokes on purpose (a 409 it asks for)
//   opts.check     false: console errors do not fail the test (scenes that never checked them)
// The test fails on any other console error seen on the way; when fn fails, fn's error is the
// one reported.
export async function withPage(browser, opts, fn) {
  const page = await newPage(browser, opts);
  let errors;
  try {
    if (opts.as) {
      const [username, password] = credentials(opts.as);
      await signIn(page, username, opts.password || password);
    }
    await fn(page);
  } catch (e) {
    if (page.errors.length && e instanceof Error) e.message += `\n(console errors: ${page.errors.join(' | ')})`;
    throw e;
  } finally {
    errors = await close(page);
  }
  if (opts.check === false) return;
  errors = errors.filter((e) => !opts.allow?.test(e));
  assert.deepEqual(errors, [], `console errors on the pages visited${opts.as ? ` as ${opts.as}` : ''}`);
}

// The page does not scroll sideways (a phone's screen).
export async function noSideScroll(page, where) {
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw, `${where}: scrollWidth ${sw} > ${cw}`);
}

// The API as a user (cookie + CSRF), for setting the scene.
const sessions = {};
export async function call(who, method, path, body, ifMatch) {
  if (!sessions[who]) {
    const r = await fetch(BASE + '/api/v1/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: who === 'admin' ? 'admin' : SEED[who], password: who === 'admin' ? SEED.adminPassword : SEED.password }),
    });
    const data = await r.json();
    sessions[who] = { cookie: r.headers.get('set-cookie').split(';')[0], csrf: data.csrf_token };
  }
  const s = sessions[who];
  const headers = { 'Content-Type': 'application/json', Cookie: s.cookie, 'X-CSRF-Token': s.csrf };
  if (ifMatch) headers['If-Match'] = ifMatch;
  const r = await fetch(BASE + '/api/v1' + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = r.status === 204 ? null : await r.json();
  if (!r.ok) throw new Error(`${who} ${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
  return { data, etag: r.headers.get('etag') };
}

// A small PNG (w × h, RGBA) with a dark diagonal stroke: a signature, or a photo.
export function png(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + 4 * w);
    for (let x = 0; x < w; x++) {
      const on = Math.abs(y - Math.round((x * h) / w)) < 3;
      row.set(on ? [20, 20, 60, 255] : [0, 0, 0, 0], 1 + 4 * x);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

// A raw image upload as the technician (the photo route takes the body as it is).
let techSession;
export async function uploadPhoto(woId, query, body) {
  if (!techSession) {
    const r = await fetch(BASE + '/api/v1/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: SEED.technician, password: SEED.password }),
    });
    techSession = { cookie: r.headers.get('set-cookie').split(';')[0], csrf: (await r.json()).csrf_token };
  }
  const q = new URLSearchParams({ filename: 'photo.png', ...query });
  const r = await fetch(`${BASE}/api/v1/work-orders/${woId}/photos?${q}`, {
    method: 'POST', headers: { 'Content-Type': 'image/png', Cookie: techSession.cookie, 'X-CSRF-Token': techSession.csrf }, body,
  });
  if (!r.ok) throw new Error(`photo upload ${r.status} ${await r.text()}`);
}

// The technician records the work order's self-check as passed, whatever template the data
// has (the demo's on-site repair checklist, a test's own): every item (a measurement in the
// middle of its limits, a photo item with a photo) and the photos before and after the
// template asks for. finish with result done and the customer's signature wait for it (R-149).
export async function passSelfCheck(woId) {
  const cl = (await call('technician', 'GET', `/work-orders/${woId}/checklist`)).data;
  const photo = png(160, 120);
  for (const it of cl.items || []) {
    if (it.kind === 'photo') { await uploadPhoto(woId, { phase: 'check', item_id: String(it.id) }, photo); continue; }
    const body = {};
    if (it.kind === 'measure') {
      const lo = it.min_centi, hi = it.max_centi;
      const c = lo !== null && hi !== null ? (lo + hi) / 2 : lo !== null ? lo + 100 : hi / 2;
      body.value = (Math.round(c) / 100).toFixed(2);
    } else body.passed = true;
    await call('technician', 'PUT', `/work-orders/${woId}/checklist/items/${it.id}`, body);
  }
  for (let i = 0; i < (cl.template?.photos_before_min || 0); i++) await uploadPhoto(woId, { phase: 'before' }, photo);
  for (let i = 0; i < (cl.template?.photos_after_min || 0); i++) await uploadPhoto(woId, { phase: 'after' }, photo);
}
