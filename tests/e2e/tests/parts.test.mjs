// Issue 14 item 1: the technician uses a part on a 390 × 844 phone. Through the API the
// warehouse receives a part and issues 3 to the technician's van, and a visit of a customer
// of this test's own is quoted, accepted, booked for today, departed and arrived (on site,
// chargeable). In the
// browser the technician opens 我的车载库 (3 carried, nothing used today), opens the visit,
// uses 2 of the part on the work order, sees it listed with its amount, and finds the van at
// 1 with the part under 今日已用. Using more than the van holds shows the insufficient-stock
// message. No screen scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, noSideScroll, SEED, call as apiCall } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { width: 390, height: 844 };
const call = async (who, method, path, body, ifMatch) => (await apiCall(who, method, path, body, ifMatch)).data;
const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

async function scene() {
  const tag = String(Date.now()).slice(-6);
  const tech = SEED.userIds.technician;
  const part = await call('admin', 'POST', '/parts', { code: `PE-${tag}`, name: `风扇组件${tag}`, unit: '套', price_fen: 8800, cost_fen: 5000 });
  const wh = await call('admin', 'POST', '/stock-locations', { code: `WH-${tag}`, name: `总库${tag}`, kind: 'warehouse' });
  const vans = await call('admin', 'GET', `/stock-locations?technician_id=${tech}`);
  const van = vans.items[0] || await call('admin', 'POST', '/stock-locations', { code: `VAN-${tag}`, name: '技术员车载库', kind: 'van', technician_id: tech });
  await call('admin', 'POST', '/stock-movements', { kind: 'receipt', part_id: part.id, qty: 5, to_location_id: wh.id });
  await call('admin', 'POST', '/stock-movements', { kind: 'issue', part_id: part.id, qty: 3, from_location_id: wh.id, to_location_id: van.id });
  // a customer and unit of this test's own (other tests count the seed customer's units)
  const seedUnit = await call('admin', 'GET', `/units/${SEED.units['E2E-0001']}`);
  const customer = await call('admin', 'POST', '/customers', { name: `配件测试客户${tag}`, type: 'company', province: '江苏', city: '苏州' });
  const unit = await call('admin', 'POST', '/units', { serial_no: `PARTS-${tag}`, model_id: seedUnit.model_id, customer_id: customer.id, ship_date: '2020-01-10' });
  const tk = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: unit.id, caller_name: '李工', caller_phone: '13800000002', description: '风扇不转' });
  await call('agent', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: tech });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  // out of warranty: the customer accepts a quote (labour only) before the visit is booked
  const q = await call('agent', 'POST', `/tickets/${tk.id}/quotes`, { lines: [{ kind: 'labour', name: '维修工时', hours: 1, rate_fen: 12000 }] });
  await call('agent', 'POST', `/quotes/${q.id}/send`, {});
  await call('agent', 'POST', `/quotes/${q.id}/decision`, { decision: 'accept', channel: 'phone', note: '客户电话同意报价' });
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/schedule_visit`, { visit_at: isoZ(Date.now() + 30 * 60e3) });
  const wo = (await call('technician', 'GET', `/work-orders?ticket_id=${tk.id}`)).items[0];
  for (const action of ['depart', 'arrive']) {
    const cur = await apiCall('technician', 'GET', `/work-orders/${wo.id}`);
    await call('technician', 'POST', `/work-orders/${wo.id}/actions`, { action }, cur.etag);
  }
  return { part, van, wo, tk };
}

test('technician on a phone: my van, use a part on the work order, used today', async () => {
  const { part, wo, tk } = await scene();
  const t = await call('admin', 'GET', `/tickets/${tk.id}`);
  await withPage(browser, { as: 'technician', viewport: PHONE, allow: /409/ }, async (page) => {
    // 我的车载库: what I carry
    const vanLink = page.locator('a[data-nav="van"]');
    await vanLink.scrollIntoViewIfNeeded();
    await vanLink.click();
    const carried = page.locator(`#van-list li[data-part="${part.id}"]`);
    await carried.waitFor();
    assert.match(await carried.textContent(), /3\s*套/);
    await noSideScroll(page, 'van');
    // the visit, on site: use 2 on this work order
    await page.goto(`/#/day/${wo.id}`);
    const card = page.locator('#visit-parts');
    await card.waitFor();
    await card.scrollIntoViewIfNeeded();
    await page.locator('#use-part').selectOption(String(part.id));
    await page.locator('#use-qty').fill('2');
    const save = page.locator('#use-save');
    await save.scrollIntoViewIfNeeded();
    await save.click();
    const used = page.locator('#wo-used li');
    await used.first().waitFor();
    const text = await used.first().textContent();
    assert.ok(text.includes(`${part.name} × 2`), text);
    // the amount follows the ticket's billing (the unit shipped in 2020: out of warranty)
    if (t.billing === 'chargeable') assert.ok(text.includes('176'), `the amount at the unified price: ${text}`);
    await noSideScroll(page, 'visit');
    // more than the van holds: the server's refusal in words
    await page.locator('#use-part').selectOption(String(part.id));
    await page.locator('#use-qty').fill('5');
    await page.locator('#use-save').click();
    await page.locator('#use-msg .alert-error').waitFor();
    assert.match(await page.locator('#use-msg').textContent(), /库存不足/);
    // back to the van: 1 left, the part under 今日已用
    await page.goto('/#/van');
    await page.locator(`#van-list li[data-part="${part.id}"]`).waitFor();
    assert.match(await page.locator(`#van-list li[data-part="${part.id}"]`).textContent(), /1\s*套/);
    assert.ok((await page.locator('#used-list').textContent()).includes(`${part.name} × 2`));
    await noSideScroll(page, 'van after');
  });
});
