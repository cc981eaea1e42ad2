// Saves each main screen of the web UI in both languages as PNG:
//   docs/screenshots/<screen>.<locale>.png
// Run through `tests/e2e/run.sh BUILD_DIR --screenshots` (starts and seeds a server),
// or directly with SHOUHOU_URL and SHOUHOU_SEED set: node screenshots.mjs OUT_DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, SEED } from './lib.mjs';

const out = process.argv[2] || new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const hd = SEED.customers['澜沧江精密仪器有限公司'];
const screens = [
  ['signin', null, '/', '#username'],
  ['home', 'admin', '/#/', '.tiles'],
  ['customers', 'admin', '/#/customers', 'table.list'],
  ['customer', 'admin', `/#/customers/${hd}`, '.details'],
  ['customer-form', 'admin', '/#/customers/new', '#fld-name'],
  ['units', 'admin', '/#/units', 'table.list'],
  ['unit', 'admin', `/#/units/${SEED.units['E2E-0001']}`, '#warranty-basis'],
  ['unit-form', 'admin', `/#/units/${SEED.units['E2E-0001']}/edit`, '#fld-serial_no'],
  ['labels', 'admin', `/#/labels?customer_id=${hd}`, '.label-sheet'],
  ['customer-portal', 'customer', '/#/units', 'table.list'],
  ['customers-mobile', 'admin', '/#/customers', 'table.list', { width: 360, height: 740 }],
  ['intake', 'agent', '/#/intake', '#intake-q', null, async (page) => {
    await page.locator('#intake-q').pressSequentially('E2E-0001');
    await page.locator('#intake-warranty').waitFor();
    await page.locator('#in-description').fill('开机无显示 / no display');
  }],
  ['intake-phone', 'agent', '/#/intake', '#intake-q', { width: 390, height: 844 }, async (page) => {
    await page.locator('#intake-q').pressSequentially('021-55551234');
    await page.locator('#in-unit option').nth(1).waitFor({ state: 'attached' });
  }],
  ['queues', 'agent', '/#/queues?queue=open', 'table.list'],
  ['dashboard', 'admin', '/#/dashboard', '#chart-trend canvas'],
  ['queues-dispatcher', 'dispatcher', '/#/queues?queue=open', 'table.list', null, async (page) => {
    await page.locator('input[data-bulk]').first().check();
  }],
  ['ticket', 'agent', () => `/#/tickets/${ticketId}`, '#timeline'],
  ['ticket-phone', 'technician', () => `/#/tickets/${ticketId}`, '#timeline', { width: 390, height: 844 }],
  ['ticket-edit', 'agent', () => `/#/tickets/${ticketId}`, '#timeline', null, async (page) => {
    await page.locator('#ticket-edit').click();
    await page.locator('#te-priority').waitFor();
  }],
  // the knowledge base and its suggestions at intake (issue 18 item 4)
  ['kb', 'agent', '/#/kb', 'table.list'],
  ['kb-intake', 'agent', '/#/intake', '#intake-q', null, async (page) => {
    await page.locator('#in-description').fill('开机后指示灯不亮，屏幕无显示');
    await page.locator('#kb-suggest-list li').first().waitFor();
  }],
  ['kb-phone', 'technician', '/#/kb/1', '#kb-solution', { width: 390, height: 844 }],
  ['qr-report', null, '/r/E2E-0003', '#pub-serial', { width: 390, height: 844 }],
  ['qr-status', null, () => statusUrl, '.track', { width: 390, height: 844 }],
  ['portal', 'customer', '/#/portal', 'table.list'],
  ['portal-new', 'customer', '/#/portal/new', '#pf-description'],
  // the technician's day on a phone and the customer's signature on it (issue 11 item 3)
  ['tech-day', 'technician', '/#/day', '.wo-card', { width: 390, height: 844 }],
  ['tech-visit', 'technician', () => `/#/day/${dayWos[0]}`, '#visit-work', { width: 390, height: 844 }],
  ['tech-sign', 'technician', () => `/#/day/${dayWos[0]}/sign`, '#sign-canvas', { width: 390, height: 844 }, async (page) => {
    await page.locator('#sign-name').fill('王工');
    await page.locator('#sign-comment').fill('工程师准时到达，服务认真 / On time, careful work');
    const b = await page.locator('#sign-canvas').boundingBox();
    await page.mouse.move(b.x + 24, b.y + b.height * 0.6);
    await page.mouse.down();
    for (let i = 1; i <= 28; i++) await page.mouse.move(b.x + 24 + i * 10, b.y + b.height * (0.55 - 0.3 * Math.sin(i / 2.5)), { steps: 2 });
    await page.mouse.up();
  }],
];

// a ticket with some history and a QR report to show: made through the API
const BASEURL = process.env.SHOUHOU_URL;
async function apiAs(username, password) {
  const r = await fetch(BASEURL + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = r.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await r.json();
  return async (method, path, body) => {
    const x = await fetch(BASEURL + '/api/v1' + path, { method, headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf }, body: body ? JSON.stringify(body) : undefined });
    if (!x.ok) throw new Error(`${method} ${path}: ${x.status} ${await x.text()}`);
    return x.json();
  };
}
const agentApi = await apiAs(SEED.agent, SEED.password);
const tk = await agentApi('POST', '/tickets', { channel: 'phone', type: 'repair', serial_no: 'E2E-0004', caller_name: '刘老师', caller_phone: '13700001234', description: '离心机启动报警 E07', priority: 'high' });
const ticketId = tk.id;
await agentApi('POST', `/tickets/${ticketId}/comments`, { body: '已电话指导复位，仍报警', visibility: 'internal' });
await agentApi('POST', `/tickets/${ticketId}/actions/assign`, { assignee_id: SEED.userIds.technician });
const rep = await (await fetch(BASEURL + '/api/v1/public/units/E2E-0001/reports', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: '温度显示不准', phone: '13911112222' }) })).json();
const statusUrl = rep.status_url || `/r/s/${rep.token}`;
// the QR report assigned, accepted and booked: the status page shows the appointment and engineer
const techApi = await apiAs(SEED.technician, SEED.password);
const dispatchApi = await apiAs(SEED.dispatcher, SEED.password);
const qr = (await agentApi('GET', `/tickets?number=${rep.number}`)).items[0];
await agentApi('POST', `/tickets/${qr.id}/actions/assign`, { assignee_id: SEED.userIds.technician });
await techApi('POST', `/tickets/${qr.id}/actions/accept`, {});
await dispatchApi('POST', `/tickets/${qr.id}/actions/schedule_visit`, { visit_at: new Date(Date.now() + 86400e3).toISOString().replace(/\.\d+Z$/, 'Z') });

// two visits booked for today for the technician; the first one is on site
const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const shDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const dayWos = [];
for (const [serial_no, description, mins] of [['E2E-0001', '冷却风扇异响，温度偏高', 40], ['E2E-0003', '转速不稳，偶发 E07 报警', 150]]) {
  const x = await agentApi('POST', '/tickets', { channel: 'phone', type: 'repair', serial_no, caller_name: '王工', caller_phone: '13800000001', description });
  await agentApi('POST', `/tickets/${x.id}/actions/assign`, { assignee_id: SEED.userIds.technician });
  await techApi('POST', `/tickets/${x.id}/actions/accept`, {});
  const at = Math.min(Date.now() + mins * 60e3, Date.parse(`${shDay}T23:50:00+08:00`));
  await dispatchApi('POST', `/tickets/${x.id}/actions/schedule_visit`, { visit_at: isoZ(at) });
  dayWos.push((await techApi('GET', `/work-orders?ticket_id=${x.id}`)).items[0].id);
}
await techApi('POST', `/work-orders/${dayWos[0]}/actions`, { action: 'depart' });
await techApi('POST', `/work-orders/${dayWos[0]}/actions`, { action: 'arrive', lat: 31.2304, lon: 121.4737 });
await techApi('PATCH', `/work-orders/${dayWos[0]}`, { findings: '风扇轴承磨损 / worn fan bearing', work_done: '更换冷却风扇，清理散热片 / fan replaced, fins cleaned', labour_minutes: 90, parts: [{ name: '冷却风扇 FAN-80', quantity: 1, unit: '个' }] });

const browser = await launch();
let saved = 0, failed = 0;
try {
  for (const locale of ['zh-CN', 'en']) {
    for (const [name, who, pathOrFn, ready, viewport, prepare] of screens) {
      // SHOTS=a,b saves only those screens (one capability's screenshots without the rest)
      if (process.env.SHOTS && !process.env.SHOTS.split(',').includes(name)) continue;
      const path = typeof pathOrFn === 'function' ? pathOrFn() : pathOrFn;
      const page = await newPage(browser, { viewport });
      try {
        await page.goto('/');
        await page.evaluate((l) => localStorage.setItem('shouhou.locale', l), locale);
        if (who) {
          await page.reload();
          await page.locator('#username').fill(who === 'admin' ? 'admin' : SEED[who]);
          await page.locator('#password').fill(who === 'admin' ? SEED.adminPassword : SEED.password);
          await page.locator('#password').press('Enter');
          await page.locator('nav.nav').waitFor();
        }
        await page.goto(path);
        await page.reload();
        await page.locator(ready).first().waitFor();
        if (prepare) await prepare(page);
        await page.waitForLoadState('networkidle');
        await page.evaluate(() => document.activeElement?.blur());
        const file = join(out, `${name}.${locale}.png`);
        await page.screenshot({ path: file, fullPage: true });
        saved += 1;
      } catch (e) {
        failed += 1;
        console.error(`screenshot ${name}.${locale}: ${e.message.split('\n')[0]}`);
      } finally {
        await page.context().close();
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`screenshots: ${saved} saved in ${out}, ${failed} failed`);
process.exit(failed ? 1 : 0);
