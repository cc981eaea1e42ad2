// Shared helpers: the browser (Debian's chromium-headless-shell via playwright-core), pages
// that record console errors, sign-in, and the seeded data.
import { readFileSync } from 'node:fs';
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
  const context = await browser.newContext({ baseURL: BASE, viewport: opts.viewport || { width: 1280, height: 800 }, locale: 'zh-CN' });
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

export async function signIn(page, username, password) {
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
