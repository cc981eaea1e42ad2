// Issue 18 item 1: the technical department records its phone diagnosis on the ticket page and
// sees it at the top of the ticket, with the RMA its decision opened, and in the timeline. The
// scene (a repair ticket of a unit, accepted by the technician) is set through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now().toString(36);

let n = 0;
async function scene() {
  n += 1;
  const { data: c } = await call('admin', 'POST', '/customers', { name: `诊断测试客户${stamp}${n}`, type: 'company', province: '江苏', city: '无锡' });
  const { data: u } = await call('admin', 'POST', '/units', { serial_no: `DG${stamp}${n}`.toUpperCase(), model_id: SEED.models['E2E-HX200'], customer_id: c.id, ship_date: '2026-10-01' });
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: u.id, caller_phone: '13900000018', description: '开机报警 E21', assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  return tk;
}

test('a technician records a diagnosis on the ticket page and sees it at the top', async () => {
  const tk = await scene();
  await withPage(browser, { as: 'technician', check: false }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('#diag-panel').waitFor();
    await page.locator('#diag-open').click();
    await page.locator('#diag-save').click();
    await page.locator('#diag-form [role="alert"]:not([hidden])').waitFor(); // findings required
    await page.locator('#diag-form [name="findings"]').fill('电话沟通：主轴异响，报警 E21');
    await page.locator('#diag-form [name="suspected_cause"]').fill('主轴轴承损坏');
    await page.locator('#diag-form [name="decision"]').selectOption('return_to_factory');
    await page.locator('#diag-form [name="reason"]').fill('远程无法排除，需返厂更换轴承');
    await page.locator('#diag-save').click();
    await page.locator('#diag-decision').waitFor();
    // at the top of the ticket: before the details card
    const first = await page.locator('.ticket-main > section').first().getAttribute('id');
    assert.equal(first, 'diag-panel');
    assert.match(await page.locator('#diag-panel').textContent(), /主轴异响[\s\S]*返厂单 RM/);
    assert.match(await page.locator('#timeline').textContent(), /技术部诊断：返厂维修/);
    assert.equal(await page.locator('#diag-form').count(), 0, 'at the factory: no second diagnosis');
    if (process.env.E2E_SHOTS) await page.locator('#diag-panel').screenshot({ path: new URL('../../../docs/screenshots/diagnosis.png', import.meta.url).pathname });
  });
});

test('a recommendation on the work order reaches sales as a lead', async () => {
  const tk = await scene();
  const { data: d } = await call('technician', 'POST', `/tickets/${tk.id}/diagnoses`, { findings: '需上门检查', decision: 'onsite_repair', reason: '远程无法排除' });
  await withPage(browser, { as: 'technician', check: false }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    const form = page.locator(`.rec-form[data-wo="${d.work_order_id}"]`);
    await page.locator(`.wo-recs[data-wo="${d.work_order_id}"] summary`).click();
    await form.locator('[name="item_kind"]').selectOption('part');
    await form.locator('[name="code"]').fill(`BRG${stamp}`);
    await form.locator('[name="description"]').fill('主轴轴承备件');
    await form.locator('button[type="submit"]').click();
    await page.locator(`.wo-recs[data-wo="${d.work_order_id}"] li`, { hasText: `BRG${stamp}` }).waitFor();
  });
  const salesName = `e2e_sales_${stamp}`;
  await call('admin', 'POST', '/users', { username: salesName, roles: 'sales', password: SEED.password, display_name: `销售${stamp}` });
  await withPage(browser, { as: salesName, check: false }, async (sales) => {
    await sales.goto('/#/leads');
    await sales.locator('td', { hasText: `BRG${stamp}` }).first().waitFor();
    if (process.env.E2E_SHOTS) await sales.screenshot({ path: new URL('../../../docs/screenshots/leads.png', import.meta.url).pathname });
  });
});
