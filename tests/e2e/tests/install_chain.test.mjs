// Issue 12, "Done when": the whole chain from the payment to a commissioned unit in the
// browser, each role signed in as itself on its own screen:
//   finance records the payment (shipments board) → sales files the shipping request →
//   finance issues the shipping order → after-sales hands the copies over → the warehouse (on
//   a phone) acknowledges, scans the serial and releases → logistics acknowledges and dispatches
//   with the waybill → after-sales records arrival and receipt (the installation project
//   opens) → the general manager approves the market-support request in the approvals inbox
//   on a 390 px phone → the technician departs on the trip (phone) → does the installation
//   visit: arrives, passes the self-check, finishes (phone) → the customer signs the acceptance
//   on the technician's phone → the project page shows the unit's warranty start.
// Through the API, as the role who would do it, only what is set up without being walked here:
// the users, customer, contract, model and its installation checklist (reference data, admin);
// the market-support request filed by sales and the trip planned by the dispatcher (their
// forms are covered by approvals.test and trips.test); booking the installation visit on the
// project (POST /installation-projects/{id}/work-orders has no screen).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, noSideScroll, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const stamp = Date.now().toString(36);
const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const users = {};

async function shpState(page, s) {
  await page.locator(`#shp-page h1 [data-shp-state="${s}"]`).waitFor();
}

async function scene() {
  for (const role of ['sales', 'finance', 'warehouse', 'logistics', 'gm', 'technician']) {
    users[role] = `e2e_ic_${role}_${stamp}`;
    const { data } = await call('admin', 'POST', '/users', { username: users[role], roles: role, password: SEED.password, display_name: `${role}${stamp}` });
    users[`${role}_id`] = data.id;
    SEED[`ic_${role}`] = users[role]; // lib.call signs in as SEED[who]
  }
  users.agent = SEED.agent;
  const { data: c } = await call('admin', 'POST', '/customers', { name: `安装链客户${stamp}`, type: 'company', province: '浙江', city: '杭州' });
  const { data: site } = await call('admin', 'POST', '/sites', { customer_id: c.id, name: '滨江院区', address: '杭州市滨江区江南大道 1 号' });
  const { data: k } = await call('admin', 'POST', '/contracts', { number: `HT-IC-${stamp}`, customer_id: c.id, start_date: '2026-01-01', installation_included: true, warranty_months: 24 });
  const series = `IC${stamp}`;
  const { data: m } = await call('admin', 'POST', '/models', { code: `IC-${stamp}`, name: '全自动生化分析仪', category: 'equipment', series, warranty_months: 12 });
  const { data: tpl } = await call('admin', 'POST', '/checklist-templates', { code: `IC-${stamp}`, name: '安装自检', model_series: series, work_order_kind: 'installation' });
  await call('admin', 'POST', '/checklist-items', { template_id: tpl.id, kind: 'check', label: '设备接地可靠', required: true });
  return { customer: c, site, contract: k, model: m.id };
}

test('payment → shipment with serials → receipt → project → GM approval → trip → visit → self-check → acceptance → warranty', async () => {
  const sc = await scene();
  const serial = `IC${stamp}-01`;
  let id;
  // 1. finance records the payment on the shipments board
  await withPage(browser, { as: users.finance, allow: /status of 409/ }, async (page) => {
    await page.goto('/#/shipments');
    await page.locator('#pay-contract').selectOption(String(sc.contract.id));
    await page.locator('#pay-amount').fill('256000');
    await page.locator('#pay-submit').click();
    await page.locator('#pay-ok:not([hidden])').waitFor();
  });
  // 2. sales files the shipping request (发货申请单)
  await withPage(browser, { as: users.sales, allow: /status of 409/ }, async (page) => {
    await page.goto('/#/shipments/new');
    await page.locator('#shp-contract').selectOption(String(sc.contract.id));
    await page.locator(`#shp-site option[value="${sc.site.id}"]`).waitFor({ state: 'attached' });
    await page.locator('#shp-site').selectOption(String(sc.site.id));
    await page.locator('#shp-model').selectOption(String(sc.model));
    await page.locator('#shp-qty').fill('1');
    await page.locator('#shp-submit').click();
    await shpState(page, 'requested');
    id = Number(/#\/shipments\/(\d+)/.exec(page.url())[1]);
  });
  // 3. finance issues the shipping order (发货单)
  await withPage(browser, { as: users.finance, allow: /status of 409/ }, async (page) => {
    await page.goto(`/#/shipments/${id}`);
    await page.locator('#shp-do-issue_order').click();
    await shpState(page, 'ordered');
  });
  // 4. after-sales hands one copy each to logistics and the warehouse
  await withPage(browser, { as: users.agent, allow: /status of 409/ }, async (page) => {
    await page.goto(`/#/shipments/${id}`);
    await page.locator('#shp-do-hand_over').click();
    await shpState(page, 'handed_over');
  });
  // 5. the warehouse on a phone: acknowledges, scans the serial (a scanner types + Enter), releases
  await withPage(browser, { as: users.warehouse, ...PHONE, allow: /status of 409/ }, async (page) => {
    await page.goto(`/#/shipments/${id}`);
    await page.locator('#shp-ack-warehouse').click();
    await page.locator('#shp-copies [data-copy-role="warehouse"]:not(:has(button))').waitFor();
    await page.locator('#shp-serial-1').click();
    await page.keyboard.type(serial);
    await page.keyboard.press('Enter');
    await page.locator('#shp-prod-1').fill('2026-11-20');
    await page.locator('#shp-save-1').click();
    await page.locator('#shp-timeline [data-ev="line"]').waitFor();
    await page.locator('#shp-do-release').scrollIntoViewIfNeeded();
    await page.locator('#shp-do-release').click();
    await shpState(page, 'released');
  });
  // 6. logistics acknowledges and dispatches with the waybill and the quality certificate
  await withPage(browser, { as: users.logistics, allow: /status of 409/ }, async (page) => {
    await page.goto(`/#/shipments/${id}`);
    await page.locator('#shp-ack-logistics').click();
    await page.locator('#shp-copies [data-copy-role="logistics"]:not(:has(button))').waitFor();
    await page.locator('#shp-dispatch-carrier').fill('顺丰速运');
    await page.locator('#shp-dispatch-waybill_no').fill(`SF${stamp}`);
    await page.locator('#shp-do-dispatch').click();
    await shpState(page, 'in_transit');
  });
  // 7. after-sales records the arrival and the customer's receipt: the project opens
  await withPage(browser, { as: users.agent, allow: /status of 409/ }, async (page) => {
    await page.goto(`/#/shipments/${id}`);
    await page.locator('#shp-do-arrive').click();
    await shpState(page, 'arrived');
    await page.locator('#shp-receive-signer').fill('王主任');
    await page.locator('#shp-do-receive').click();
    await shpState(page, 'received');
    await page.locator('#shp-timeline [data-ev="installation_project"]').waitFor();
  });
  const { data: list } = await call('agent', 'GET', `/installation-projects?customer_id=${sc.customer.id}`);
  assert.equal(list.items.length, 1, 'the receipt opened one project');
  const project = list.items[0];
  assert.equal(project.status, 'open');
  const { data: pv } = await call('agent', 'GET', `/installation-projects/${project.id}`);
  assert.deepEqual(pv.units.map((u) => u.serial_no), [serial]);
  const unitId = pv.units[0].id;
  // 8. the market-support request (API, as sales), approved by the GM in the inbox on a phone
  const { data: req } = await call('ic_sales', 'POST', '/approvals', {
    kind: 'installation', purpose: `安装调试生化分析仪 ${stamp}`, customer_id: sc.customer.id,
    site: '杭州市滨江区江南大道 1 号', units: serial, technicians: 1, trip_days: 2, cost_fen: 260000,
    ticket_id: pv.ticket_id });
  await withPage(browser, { as: users.gm, ...PHONE, allow: /status of 409/ }, async (page) => {
    await page.locator('nav a[data-nav="inbox"]').click();
    const card = page.locator(`.appr-card[data-id="${req.id}"]`);
    // the inbox renders every pending request with its names: under CI's side-by-side load
    // (the API suites and the sanitizer builds) it once took longer than the default 10 s
    await card.waitFor({ timeout: 30000 });
    await noSideScroll(page, 'approvals inbox');
    await card.locator('textarea[name="comment"]').fill('同意，按期安装');
    await card.locator('[data-act="approve"]').scrollIntoViewIfNeeded();
    await card.locator('[data-act="approve"]').click();
    await page.locator(`.appr-done[data-id="${req.id}"]`, { hasText: '已批准' }).waitFor();
  });
  // 9. the trip (planned through the API by the dispatcher) and the installation visit
  //    (booked through the API: the project has no booking screen)
  const { data: trip } = await call('dispatcher', 'POST', '/trips', {
    lead_id: users.technician_id, purpose: `安装调试 ${serial}`, customer_id: sc.customer.id,
    site_id: sc.site.id, address: '杭州市滨江区江南大道 1 号', contact_name: '王主任',
    contact_phone: '13900002222', est_days: 2, planned_departure_at: isoZ(Date.now() + 10 * 60e3),
    project_id: project.id });
  const { data: wo } = await call('dispatcher', 'POST', `/installation-projects/${project.id}/work-orders`, {
    lead_id: users.technician_id, appointment_at: isoZ(Date.now() + 3600e3), override_reason: 'e2e: the chain' });
  // 10. the technician on a phone: departs on the trip, does the visit, passes the self-check
  await withPage(browser, { as: users.technician, ...PHONE, allow: /status of 409/ }, async (page) => {
    await page.goto(`/#/trips/${trip.id}`);
    await page.locator('#trip-head[data-status="planned"]').waitFor();
    await page.locator('#trip-act-depart').scrollIntoViewIfNeeded();
    await page.locator('#trip-act-depart').click();
    await page.locator('#trip-head[data-status="departed"]').waitFor();
    await page.goto(`/#/day/${wo.id}`);
    await page.locator('#act-arrive').scrollIntoViewIfNeeded();
    await page.locator('#act-arrive').click();
    await page.locator('#visit-head[data-status="on_site"]').waitFor();
    const cl = page.locator('#visit-checklist');
    const item = cl.locator('.tech-cl-item').first();
    await item.waitFor();
    await item.locator('.tech-radio label').first().scrollIntoViewIfNeeded();
    await item.locator('.tech-radio label').first().click();
    await cl.locator('#cl-gate[data-passed="true"]').waitFor();
    await page.locator('#wo-work-done').fill('设备安装调试完成，试运行正常');
    await page.locator('#act-finish').scrollIntoViewIfNeeded();
    await page.locator('#act-finish').click();
    await page.locator('#visit-summary').waitFor();
    // 11. the customer signs the acceptance on the technician's phone
    await page.goto(`/#/projects/${project.id}`);
    await page.locator('#ip-accept').scrollIntoViewIfNeeded();
    await page.locator('#ip-accept').click();
    await page.locator('#ip-accept-units', { hasText: serial }).waitFor();
    await page.locator('#ip-sign-name').fill('王主任');
    const canvas = page.locator('#ip-sign-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + 20 + i * 14, box.y + box.height / 2 - Math.sin(i / 3) * 40, { steps: 2 });
    await page.mouse.up();
    await page.locator('#ip-sign-save').scrollIntoViewIfNeeded();
    await page.locator('#ip-sign-save').click();
    await page.locator('.ip-signed').first().waitFor();
    // 12. the unit's warranty start, shown on the project page
    await page.locator('[data-ip-status="accepted"]').first().waitFor();
    const { data: unit } = await call('admin', 'GET', `/units/${unitId}`);
    assert.ok(unit.warranty_start && unit.install_date, `warranty started: ${JSON.stringify(unit)}`);
    const row = await page.locator('#ip-units tbody tr', { hasText: serial }).textContent();
    assert.ok(row.includes(unit.warranty_start), `the page shows the warranty start ${unit.warranty_start}: ${row}`);
  });
  const { data: done } = await call('agent', 'GET', `/installation-projects/${project.id}`);
  assert.equal(done.status, 'accepted');
  assert.equal(done.acceptance.signer_name, '王主任');
  const { data: ap } = await call('agent', 'GET', `/approvals/${req.id}`);
  assert.equal(ap.status, 'approved');
});
