// Issue 12 items 1 and 8: the shipping chain in the browser by the roles who do each step.
// Sales is refused before the payment; finance confirms the payment and issues the shipping
// order; after-sales hands the copies over; the warehouse (on a phone) acknowledges its copy,
// types serial numbers as a USB scanner does (Enter moves on), is refused release while a line
// lacks its dates, and releases; logistics acknowledges and dispatches with the waybill and
// quality certificate; after-sales records arrival and the customer's receipt.
// A failure soon after receipt is classified DOA at intake and after-sales raises the
// replacement (no payment) from the ticket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const stamp = Date.now().toString(36);
const users = {};

async function scene() {
  for (const role of ['sales', 'finance', 'warehouse', 'logistics']) {
    const username = `e2e_${role}_${stamp}`;
    await call('admin', 'POST', '/users', { username, roles: role, password: SEED.password, display_name: `${role}${stamp}` });
    users[role] = username;
  }
  users.agent = SEED.agent;
  // a customer of its own: the units it receives stay out of the other tests' customers
  const { data: c } = await call('admin', 'POST', '/customers', { name: `发货测试客户${stamp}`, type: 'company', province: '上海', city: '上海' });
  const { data: k } = await call('admin', 'POST', '/contracts', { number: `HT-E2E-${stamp}`, customer_id: c.id, start_date: '2026-01-01', installation_included: true });
  return k;
}

async function state(page, s) {
  await page.locator(`#shp-page h1 [data-shp-state="${s}"]`).waitFor();
}

test('the shipping chain by sales, finance, after-sales, warehouse and logistics', async () => {
  const k = await scene();
  const model = SEED.models['E2E-HX200'];
  let id;
  const request = async (page) => {
    await page.goto('/#/shipments/new');
    await page.locator('#shp-contract').selectOption(String(k.id));
    await page.locator('#shp-model').selectOption(String(model));
    await page.locator('#shp-qty').fill('2');
    await page.locator('#shp-ship-to').fill('上海市浦东新区临港大道 8 号');
  };
  // sales: refused before the payment
  await withPage(browser, { as: users.sales, check: false }, async (page) => {
    await request(page);
    await page.locator('#shp-submit').click();
    await page.locator('#shp-error:not([hidden])').waitFor();
    assert.match(await page.locator('#shp-error').textContent(), /货款到账/);
  });
  // finance confirms the payment on the board
  await withPage(browser, { as: users.finance, check: false }, async (page) => {
    await page.goto('/#/shipments');
    await page.locator('#pay-contract').selectOption(String(k.id));
    await page.locator('#pay-amount').fill('128000');
    await page.locator('#pay-submit').click();
    await page.locator('#pay-ok:not([hidden])').waitFor();
  });
  await withPage(browser, { as: users.sales, check: false }, async (page) => {
    await request(page);
    await page.locator('#shp-submit').click();
    await state(page, 'requested');
    id = Number(/#\/shipments\/(\d+)/.exec(page.url())[1]);
    assert.equal(await page.locator('#shp-do-issue_order').count(), 0, 'sales does not issue the order');
  });
  await withPage(browser, { as: users.finance, check: false }, async (page) => {
    await page.goto(`/#/shipments/${id}`);
    await page.locator('#shp-do-issue_order').click();
    await state(page, 'ordered');
  });
  await withPage(browser, { as: users.agent, check: false }, async (page) => {
    await page.goto(`/#/shipments/${id}`);
    await page.locator('#shp-do-hand_over').click();
    await state(page, 'handed_over');
    await page.locator('#shp-copies [data-copy-role="warehouse"]').waitFor();
  });
  // the warehouse on a phone: acknowledge, scan (type + Enter), save, release
  await withPage(browser, { as: users.warehouse, ...PHONE, check: false }, async (page) => {
    await page.goto(`/#/shipments/${id}`);
    await page.locator('#shp-ack-warehouse').click();
    await page.locator('#shp-copies [data-copy-role="warehouse"]:not(:has(button))').waitFor();
    const serial = page.locator('#shp-serial-1');
    await serial.click();
    await page.keyboard.type(`SHP${stamp}-1`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'shp-prod-1', 'Enter moves to the production date');
    await page.locator('#shp-prod-1').fill('2026-11-20');
    await page.locator('#shp-save-1').click();
    await page.locator('#shp-timeline [data-ev="line"]').waitFor();
    await page.locator('#shp-do-release').click();
    await page.locator('#shp-act-error:not([hidden])').waitFor();
    assert.match(await page.locator('#shp-act-error').textContent(), /1 台/);
    await page.locator('#shp-serial-2').fill(`SHP${stamp}-2`);
    await page.locator('#shp-prod-2').fill('2026-11-20');
    await page.locator('#shp-save-2').click();
    await page.locator('#shp-timeline [data-ev="line"]').nth(1).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling: ${width}px`);
    await page.locator('#shp-do-release').click();
    await state(page, 'released');
    await page.locator('#shp-lines a[href^="#/units/"]').first().waitFor();
  });
  await withPage(browser, { as: users.logistics, check: false }, async (page) => {
    await page.goto(`/#/shipments/${id}`);
    await page.locator('#shp-ack-logistics').click();
    await page.locator('#shp-copies [data-copy-role="logistics"]:not(:has(button))').waitFor();
    await page.locator('#shp-dispatch-carrier').fill('顺丰');
    await page.locator('#shp-dispatch-waybill_no').fill(`SF${stamp}`);
    await page.locator('#shp-do-dispatch').click();
    await state(page, 'in_transit');
  });
  await withPage(browser, { as: users.agent, check: false }, async (page) => {
    await page.goto('/#/shipments?state=in_transit');
    await page.locator(`#shp-list tr[data-shp-id="${id}"]`).waitFor();
    await page.goto(`/#/shipments/${id}`);
    // the arrival is between the day the goods left (today here) and today
    const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
    assert.equal(await page.locator('#shp-arrive-date').getAttribute('min'), today);
    assert.equal(await page.locator('#shp-arrive-date').getAttribute('max'), today);
    await page.locator('#shp-do-arrive').click();
    await state(page, 'arrived');
    assert.equal(await page.locator('#shp-receive-date').getAttribute('min'), today);
    await page.locator('#shp-receive-signer').fill('王工');
    await page.locator('#shp-do-receive').click();
    await state(page, 'received');
    await page.locator('#shp-timeline [data-ev="installation_project"]').waitFor();
  });
  const { data } = await call('admin', 'GET', `/shipments/${id}`);
  assert.equal(data.shipment.received_signer, '王工');
  assert.equal(data.shipment.certificate_sent, true);
  assert.ok(data.lines.every((l) => l.unit_id), 'every line has its unit');
  // WF-08: the unit fails a few days after receipt: DOA at intake, a replacement with no payment
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: data.lines[0].unit_id, caller_phone: '13800000002', description: '开箱后无法开机' });
  const { data: t } = await call('agent', 'GET', `/tickets/${tk.id}`);
  assert.equal(t.type, 'doa');
  await withPage(browser, { as: users.agent, check: false }, async (page) => {
    await page.goto(`/#/shipments/new?ticket=${tk.id}`);
    await page.locator('#shp-model').selectOption(String(model));
    await page.locator('#shp-submit').click();
    await state(page, 'requested');
    assert.match(await page.locator('#shp-page dl').textContent(), /换货发货/);
  });
});
