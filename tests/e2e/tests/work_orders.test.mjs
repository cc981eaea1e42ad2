// Issue 11 item 8 at 390 × 844: the dispatcher books a visit from the ticket page by
// choosing one of the three best slots (technician, arrival window, SLA due time beside
// each); the conflicts are checked before saving; the work order appears on the page,
// the ticket moves to visit_scheduled, and the dispatcher's list shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { launch, withPage, SEED, call as apiCall } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const SHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

// the API as a user (lib.mjs), its body only
const call = async (who, method, path, body) => (await apiCall(who, method, path, body)).data;

async function scene() {
  const hd = SEED.customers['澜沧江精密仪器有限公司'];
  const stamp = Date.now().toString(36);
  const site = await call('admin', 'POST', '/sites', { customer_id: hd, name: '临港工厂', province: '上海', city: '上海', address: '浦东新区临港大道 8 号', latitude: 31.2, longitude: 121.55 });
  const unit = await call('admin', 'POST', '/units', { serial_no: `E2E-WO-${stamp}`, model_id: SEED.models['E2E-HX200'], customer_id: hd, site_id: site.id, install_date: new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10) });
  const user = await call('admin', 'POST', '/users', { username: `e2e_wo_${stamp}`, roles: 'technician', password: SEED.password, display_name: '孙技术员' });
  await call('admin', 'POST', '/technicians', { user_id: user.id, name: '孙技术员', home_latitude: 31.22, home_longitude: 121.5, shift: '1-7 08:00-18:00' });
  const tk = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: unit.id, caller_name: '王工', caller_phone: '13800000001', description: '培养箱温度偏高，需要上门', assignee_id: user.id });
  await call('agent', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  return tk;
}

test('dispatcher on a phone books one of the three best slots from the ticket page', async () => {
  const tk = await scene();
  await withPage(browser, { ...PHONE, as: 'dispatcher' }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('#wo-book').waitFor();
    await page.locator('#wo-suggest').click();
    const slots = page.locator('#wo-slots li.wo-slot');
    await slots.first().waitFor();
    const n = await slots.count();
    assert.ok(n >= 1 && n <= 3, `slots shown: ${n}`);
    for (let i = 0; i < n; i++) {
      const li = slots.nth(i);
      assert.ok((await li.locator('strong').textContent()).trim().length > 0, 'technician name');
      assert.match(await li.locator('.wo-slot-window').textContent(), /\d{2}:\d{2}–\d{2}:\d{2}/);
      await li.locator('.wo-slot-sla').waitFor();
    }
    const name = (await slots.first().locator('strong').textContent()).trim();
    await page.locator('[data-choose="0"]').click();
    await page.locator('#wo-no-conflict, #wo-conflicts li').first().waitFor();
    if (await page.locator('#wo-conflicts li').count()) await page.locator('#wo-override').fill('客户指定该时段');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling: ${width}px`);
    await page.locator('#wo-book').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SHOTS + 'work-order-booking.zh-CN.png', fullPage: false });
    await page.locator('#wo-save').click();
    await page.locator('article.wo[data-wo-status="planned"]').waitFor();
    await page.locator('h1 .badge-st[data-status="visit_scheduled"]').waitFor();
    const lead = await page.locator('article.wo').first().textContent();
    assert.ok(lead.includes(name), `the work order's lead is the chosen technician ${name}`);
    await page.locator('#timeline [data-kind="work_order"]').first().waitFor();
    // the dispatcher's list shows it on its day
    await page.goto('/#/work-orders?day=all&status=planned');
    await page.locator('#wo-list table').waitFor();
    const wos = await call('dispatcher', 'GET', `/work-orders?ticket_id=${tk.id}`);
    assert.equal(wos.items.length, 1);
    assert.equal(wos.items[0].status, 'planned');
  });
});

// Review 71 #15: a model whose required skill was retired from the catalogue gets no slot, and
// the booking panel names the skill instead of the generic 输入有误，请检查。
test('the booking panel names a model skill that is not in the catalogue', async () => {
  const hd = SEED.customers['澜沧江精密仪器有限公司'];
  const stamp = Date.now().toString(36);
  const code = `e2e_rt_${stamp}`;
  const sk = await call('admin', 'POST', '/skills', { code, name: '将停用', kind: 'skill' });
  const model = await call('admin', 'POST', '/models', { code: `E2E-SK-${stamp}`, name: '离心机', category: 'equipment', required_skills: code });
  const site = await call('admin', 'POST', '/sites', { customer_id: hd, name: '技能现场', province: '上海', city: '上海', address: '静安区 1 号', latitude: 31.23, longitude: 121.45 });
  const unit = await call('admin', 'POST', '/units', { serial_no: `E2E-SK-${stamp}`, model_id: model.id, customer_id: hd, site_id: site.id, install_date: new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10) });
  const user = await call('admin', 'POST', '/users', { username: `e2e_sk_${stamp}`, roles: 'technician', password: SEED.password, display_name: '钱技术员' });
  await call('admin', 'POST', '/technicians', { user_id: user.id, name: '钱技术员', home_latitude: 31.22, home_longitude: 121.5, shift: '1-7 08:00-18:00', skills: `${code}:2` });
  const tk = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: unit.id, caller_name: '王工', caller_phone: '13800000001', description: '离心机异响', assignee_id: user.id });
  await call('agent', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('admin', 'PATCH', `/skills/${sk.id}`, { active: false });
  await withPage(browser, { ...PHONE, as: 'dispatcher' }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('#wo-suggest').click();
    const msg = (await page.locator('#wo-no-slot').textContent()).trim();
    assert.ok(msg.includes(code) && msg.includes('技能目录'), `names the skill: ${msg}`);
    assert.equal(await page.locator('#wo-slots .alert-error').count(), 0);
  });
});

// Review 71 #18: a browser in UTC types the booking time in company time (Asia/Shanghai, as
// the card shows it): 10:00 typed is 02:00Z stored, not 10:00Z.
test('a booking typed in a UTC browser is stored in company time', async () => {
  const tk = await scene();
  await withPage(browser, { as: 'dispatcher', timezoneId: 'UTC' }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('#wo-suggest').click();
    await page.locator('[data-choose="0"]').click();
    const day = (await page.locator('#wo-at').inputValue()).slice(0, 10);
    await page.locator('#wo-at').fill(`${day}T10:00`);
    await page.locator('#wo-at').dispatchEvent('change');
    await page.locator('#wo-no-conflict, #wo-conflicts li').first().waitFor();
    if (await page.locator('#wo-conflicts li').count()) await page.locator('#wo-override').fill('客户指定该时段');
    await page.locator('#wo-save').click();
    await page.locator('article.wo[data-wo-status="planned"]').waitFor();
    const wos = await call('dispatcher', 'GET', `/work-orders?ticket_id=${tk.id}`);
    assert.equal(wos.items[0].appointment_at, `${day}T02:00:00Z`);
    assert.match(await page.locator('article.wo .wo-window').textContent(), /09:30/);
  });
});

// Review 71 #1: the dispatcher re-assigns and re-times a booked visit from its card (改派/改约)
// with the technician picker; the time is read in company time (browser in UTC).
test('a dispatcher re-assigns and re-times a booked work order from its card', async () => {
  const tk = await scene();
  const stamp = Date.now().toString(36);
  const other = await call('admin', 'POST', '/users', { username: `e2e_rb_${stamp}`, roles: 'technician', password: SEED.password, display_name: `周改派${stamp.slice(-3)}` });
  await call('admin', 'POST', '/technicians', { user_id: other.id, name: other.display_name, home_latitude: 31.22, home_longitude: 121.5, shift: '1-7 08:00-18:00' });
  const day = new Date(Date.now() + 3 * 86400e3 + 8 * 3600e3).toISOString().slice(0, 10);
  const wo = await call('dispatcher', 'POST', '/work-orders', { ticket_id: tk.id, lead_id: tk.assignee_id, appointment_at: `${day}T01:00:00Z`, override_reason: 'e2e' });
  await withPage(browser, { as: 'dispatcher', timezoneId: 'UTC', allow: /status of 409\b/ }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator(`#wo-rebook-${wo.id}`).click();
    assert.equal(await page.locator('#wo-rb-at').inputValue(), `${day}T09:00`, 'shown in company time');
    await page.locator('#wo-rb-lead').fill(other.display_name);
    await page.locator('[role="option"]', { hasText: other.display_name }).click();
    await page.locator('#wo-rb-at').fill(`${day}T15:00`);
    await page.locator('#wo-rb-note').fill('原技术员临时请假');
    await page.locator('#wo-rb-ok').click();
    // a conflict (e.g. after the on-site due time) asks for a reason, as the booking panel does
    await Promise.race([page.locator('#wo-rb-ok').waitFor({ state: 'detached' }), page.locator('#wo-rb-override').waitFor()]).catch(() => {});
    if (await page.locator('#wo-rb-override').isVisible().catch(() => false)) {
      assert.ok(await page.locator('#wo-rb-conflicts li').count() >= 1, 'the conflicts are listed');
      await page.locator('#wo-rb-override').fill('客户同意');
      await page.locator('#wo-rb-ok').click();
    }
    await page.locator('#wo-rb-ok').waitFor({ state: 'detached' });
    const w = await call('dispatcher', 'GET', `/work-orders/${wo.id}`);
    assert.equal(w.lead_id, other.id);
    assert.equal(w.appointment_at, `${day}T07:00:00Z`);
    assert.ok((await page.locator(`article.wo[data-wo-id="${wo.id}"]`).textContent()).includes(other.display_name));
  });
});
