// The technician picker in the assign dialog (issue 10 #14): for every role that may
// assign, typing part of a name finds the technician with skills and today's workload;
// picking and assigning shows the assignee. Phone-first (390 px) and both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, BASE, SEED } from '../lib.mjs';

let browser;
const PW = 'e2e-Pick-2024';
const sfx = String(Date.now() % 100000);
const people = {}; // key -> {id, username, name}
let skillName;

// The API as admin (cookie + CSRF), for set-up.
let cookie = '';
let csrf = '';
async function call(method, path, body) {
  const r = await fetch(BASE + '/api/v1' + path, {
    method,
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: body ? JSON.stringify(body) : undefined,
  });
  const sc = r.headers.get('set-cookie');
  if (sc) cookie = sc.split(';')[0];
  const data = r.status === 204 ? null : await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
  return data;
}

async function user(key, roles, name) {
  const username = `e2e_pk_${key}_${sfx}`;
  const u = await call('POST', '/users', { username, roles, password: PW, display_name: name });
  people[key] = { id: u.id, username, name };
}

async function ticket() {
  const customer = Object.values(SEED.customers)[0];
  return (await call('POST', '/tickets', { channel: 'phone', type: 'repair', customer_id: customer })).id;
}

before(async () => {
  browser = await launch();
  csrf = (await call('POST', '/session', { username: 'admin', password: SEED.adminPassword })).csrf_token;
  const code = `pk-${sfx}`;
  skillName = `制冷维修${sfx}`;
  await call('POST', '/skills', { code, name: skillName, kind: 'skill' });
  await user('sun', 'technician', `孙师傅${sfx}`);
  await user('zhou', 'technician', `周工${sfx}`);
  await user('head', 'dept_head', `部门经理${sfx}`);
  await user('gm', 'gm', `总经理${sfx}`);
  await call('POST', '/technicians', { user_id: people.sun.id, skills: `${code}:3`, shift: '1-7 08:00-18:00' });
  // 周工 already has one open ticket
  const busy = await ticket();
  await call('POST', `/tickets/${busy}/actions/assign`, { assignee_id: people.zhou.id });
});
after(async () => { await browser?.close(); });

// Opens a new ticket, assigns it to 孙师傅 by typing part of the name, sees the assignee.
async function pickAndAssign(page, texts) {
  const id = await ticket();
  await page.goto(`/#/tickets/${id}`);
  await page.locator('h1 .badge-st[data-status="new"]').waitFor();
  await page.locator('#ticket-actions [data-action="assign"]').click();
  const dlg = page.locator('dialog.dialog');
  await dlg.waitFor();
  const input = dlg.locator('input[name="assignee_id"][role="combobox"]');
  await input.fill('孙师');
  await dlg.locator('[role="listbox"][aria-busy="false"]').waitFor({ state: 'attached' });
  const opt = dlg.locator('[role="option"]', { hasText: people.sun.name });
  await opt.waitFor();
  const text = await opt.textContent();
  assert.ok(text.includes(skillName) && text.includes(texts.level), `skills in the option: ${text}`);
  assert.ok(text.includes(texts.load), `today's workload in the option: ${text}`);
  assert.equal(await dlg.locator('[role="option"]').count(), 1, 'only the matching technician');
  await opt.click();
  assert.equal(await input.inputValue(), people.sun.name);
  await dlg.locator('#dlg-ok').click();
  await page.locator('h1 .badge-st[data-status="assigned"]').waitFor({ timeout: 15000 });
  const details = await page.locator('.ticket-main').first().textContent();
  assert.ok(details.includes(people.sun.name) || details.includes(people.sun.username), `assignee shown: ${details.slice(0, 300)}`);
}

const ZH = { level: '3级', load: '今日派单' };

test('admin picks a technician by name in the assign dialog (English too)', async () => {
  await withPage(browser, { as: 'admin' }, async (page) => {
    await pickAndAssign(page, ZH);
    await page.evaluate(() => localStorage.setItem('shouhou.locale', 'en'));
    await page.reload();
    await page.locator('nav.nav').waitFor();
    await pickAndAssign(page, { level: 'L3', load: 'assigned, 0 visits' });
  });
});

test('department head picks a technician by name', async () => {
  await withPage(browser, { as: people.head.username, password: PW }, (page) => pickAndAssign(page, ZH));
});

test('dispatcher picks a technician by name on a 390 px phone, no typing of user ids', async () => {
  await withPage(browser, { as: 'dispatcher', viewport: { width: 390, height: 844 } }, async (page) => {
    await pickAndAssign(page, ZH);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `page fits the phone: ${wide}px`);
    // with nothing typed the list shows everyone with their workload
    const id = await ticket();
    await page.goto(`/#/tickets/${id}`);
    await page.locator('#ticket-actions [data-action="assign"]').click();
    const dlg = page.locator('dialog.dialog');
    await dlg.locator('input[name="assignee_id"]').focus();
    await dlg.locator('[role="option"]').first().waitFor();
    const box = await dlg.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `dialog fits: ${JSON.stringify(box)}`);
    const zhou = await dlg.locator('[role="option"]', { hasText: people.zhou.name }).textContent();
    assert.ok(zhou.includes('今日派单 1 · 上门 0 · 未结 1'), `周工's ticket of today counted: ${zhou}`);
  });
});

test('general manager: may list technicians for the picker, assigning is not a gm action', async () => {
  await withPage(browser, { as: people.gm.username, password: PW }, async (page) => {
    const id = await ticket();
    await page.goto(`/#/tickets/${id}`);
    await page.locator('h1 .badge-st[data-status="new"]').waitFor();
    const acts = await page.locator('#ticket-actions [data-action]').evaluateAll((b) => b.map((x) => x.dataset.action));
    assert.ok(!acts.includes('assign'), `assign is for admin, dept head, agent, dispatcher (R_ROUTE): ${acts}`);
    const r = await page.evaluate(async (q) => {
      const x = await fetch(`/api/v1/dispatch/technicians?q=${encodeURIComponent(q)}`, { credentials: 'same-origin' });
      return { status: x.status, body: await x.json() };
    }, people.sun.name);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items.map((i) => i.user_id), [people.sun.id]);
  });
});

test('a failed search is shown under the field, not swallowed', async () => {
  await withPage(browser, { as: 'dispatcher' }, async (page) => {
    const id = await ticket();
    await page.goto(`/#/tickets/${id}`);
    await page.locator('#ticket-actions [data-action="assign"]').click();
    const dlg = page.locator('dialog.dialog');
    await dlg.waitFor();
    await dlg.locator('input[name="assignee_id"]').fill('x'.repeat(101)); // the API refuses > 100
    await dlg.locator('.picker-note.field-error[role="alert"]').waitFor();
  });
});
