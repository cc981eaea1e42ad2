// Issue 12, closing items 3 and 4 (engineer proj).
// 1. After-sales opens an installation project from the projects board: the server's refusals
//    are shown under the field they name (units required, deadline out of range, a unit
//    already in an open project), then the project opens.
// 2. A dead-on-arrival ticket's page shows its replacement shipment: none at first, raised from
//    the ticket's card, then listed with its number, state and link; the shipment page links
//    back to the ticket. The shipping chain up to the receipt is set through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now().toString(36);
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

test('after-sales opens an installation project from the board; refusals shown per field', async () => {
  const name = `开项目测试客户${stamp}`;
  const { data: c } = await call('admin', 'POST', '/customers', { name, type: 'company', province: '四川', city: '成都' });
  const { data: site } = await call('admin', 'POST', '/sites', { customer_id: c.id, name: '东区院区', address: '成都市锦江区' });
  const { data: k } = await call('admin', 'POST', '/contracts', { number: `HT-PN-${stamp}`, customer_id: c.id, start_date: '2026-01-01', installation_included: true });
  const model = Object.values(SEED.models)[0];
  const serial = `PN${stamp}-1`;
  const { data: u } = await call('admin', 'POST', '/units', { serial_no: serial, model_id: model, customer_id: c.id, contract_id: k.id, ship_date: '2026-11-20' });
  await withPage(browser, { as: 'agent', allow: /status of 409/ }, async (page) => {
    await page.goto('/#/projects');
    await page.locator('#ip-new').click();
    await page.locator('#ip-n-form').waitFor();
    await page.locator('#ip-n-q').fill(name);
    await page.locator(`#ip-n-customer option[value="${c.id}"]`).waitFor({ state: 'attached' });
    await page.locator('#ip-n-customer').selectOption(String(c.id));
    await page.locator(`#ip-n-units input[value="${u.id}"]`).waitFor();
    await page.locator(`#ip-n-site option[value="${site.id}"]`).waitFor({ state: 'attached' });
    await page.locator('#ip-n-site').selectOption(String(site.id));
    await page.locator('#ip-n-contract').selectOption(String(k.id));
    // no unit ticked: the server's "required" under the units
    await page.locator('#ip-n-save').click();
    await page.locator('#ip-n-err-unit_ids:not([hidden])').waitFor();
    assert.match(await page.locator('#ip-n-err-unit_ids').textContent(), /必填/);
    // a deadline of 0 working days: out of range, under the deadline
    await page.locator(`#ip-n-units input[value="${u.id}"]`).check();
    await page.locator('#ip-n-days').fill('0');
    await page.locator('#ip-n-save').click();
    await page.locator('#ip-n-err-deadline_days:not([hidden])').waitFor();
    assert.match(await page.locator('#ip-n-err-deadline_days').textContent(), /1.*365/);
    assert.ok(await page.locator('#ip-n-err-unit_ids').isHidden(), 'the earlier error is cleared');
    await page.locator('#ip-n-days').fill('8');
    await page.locator('#ip-n-date').fill('2026-12-28');
    await page.locator('#ip-n-save').click();
    await page.waitForURL(/#\/projects\/\d+$/);
    await page.locator('[data-ip-status="scheduled"]').first().waitFor();
    // the same unit again: already in an open project, named under the units
    await page.goto('/#/projects/new');
    await page.locator('#ip-n-q').fill(name);
    await page.locator(`#ip-n-units input[value="${u.id}"]`).waitFor();
    await page.locator(`#ip-n-units input[value="${u.id}"]`).check();
    await page.locator('#ip-n-save').click();
    await page.locator('#ip-n-err-unit_ids:not([hidden])').waitFor();
    assert.match(await page.locator('#ip-n-err-unit_ids').textContent(), /已在未关闭的安装项目/);
  });
  const { data: list } = await call('agent', 'GET', `/installation-projects?customer_id=${c.id}`);
  assert.equal(list.items.length, 1);
  const p = list.items[0];
  assert.equal(p.status, 'scheduled');
  assert.equal(p.agreed_date, '2026-12-28');
  assert.equal(p.deadline_days, 8);
});

// The shipping chain through the API, by the roles (no screen is under test here).
async function receivedUnit() {
  const users = {};
  for (const role of ['sales', 'finance', 'warehouse', 'logistics']) {
    users[role] = `e2e_pd_${role}_${stamp}`;
    await call('admin', 'POST', '/users', { username: users[role], roles: role, password: SEED.password, display_name: `${role}${stamp}` });
    SEED[`pd_${role}`] = users[role];
  }
  const { data: c } = await call('admin', 'POST', '/customers', { name: `到货即损客户${stamp}`, type: 'company', province: '湖北', city: '武汉' });
  const { data: k } = await call('admin', 'POST', '/contracts', { number: `HT-DOA-${stamp}`, customer_id: c.id, start_date: '2026-01-01', installation_included: false });
  const model = Object.values(SEED.models)[0];
  await call('pd_finance', 'POST', '/payments', { contract_id: k.id, amount_fen: 9900000, received_on: today(), reference: `BANK-${stamp}` });
  const { data: s0 } = await call('pd_sales', 'POST', '/shipments', { contract_id: k.id, lines: [{ model_id: model, quantity: 1 }] });
  const id = s0.shipment.id;
  const act = (who, action, body = {}) => call(who, 'POST', `/shipments/${id}/actions`, { action, ...body });
  await act('pd_finance', 'issue_order');
  const { data: v } = await act('agent', 'hand_over');
  for (const cp of v.copies) await call(`pd_${cp.role}`, 'POST', `/tasks/${cp.id}/done`, { reply: '已收到' });
  await call('pd_warehouse', 'PUT', `/shipments/${id}/lines/${v.lines[0].id}`, { serial_no: `DOA${stamp}`, production_date: '2026-11-02', ship_date: today() });
  await act('pd_warehouse', 'release');
  await act('pd_logistics', 'dispatch', { carrier: '顺丰速运', waybill_no: `SF${stamp}`, certificate_sent: true });
  await act('agent', 'arrive');
  const { data: r } = await act('agent', 'receive', { signer: '王工' });
  return { unit: r.lines[0].unit_id, model, customer: c.id };
}

test('a DOA ticket shows its replacement shipment, and the shipment its ticket', async () => {
  const { unit, model, customer } = await receivedUnit();
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: unit, customer_id: customer, caller_phone: '13800000021', description: '开箱即坏' });
  await withPage(browser, { as: 'agent', allow: /status of 409/ }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('#ticket-replacements').waitFor();
    assert.match(await page.locator('#ticket-replacements').textContent(), /尚未安排换货发货/);
    await page.locator('#doa-raise').click();
    await page.locator('#shp-ticket').waitFor();
    await page.locator('#shp-model').selectOption(String(model));
    await page.locator('#shp-submit').click();
    await page.locator('#shp-page h1 [data-shp-state="requested"]').waitFor();
    const number = (await call('agent', 'GET', `/tickets/${tk.id}`)).data.replacement_shipments[0].number;
    // the shipment page links back to the ticket
    await page.locator(`#shp-page a[href="#/tickets/${tk.id}"]`).click();
    await page.locator('#ticket-replacements li a[href^="#/shipments/"]').waitFor();
    const card = await page.locator('#ticket-replacements').textContent();
    assert.ok(card.includes(number), `the card names ${number}: ${card}`);
    assert.equal(await page.locator('#ticket-replacements [data-shp-state="requested"]').count(), 1);
  });
});
