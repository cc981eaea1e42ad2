// Issue 18 item 2: an agent records an incoming call on a 390 × 844 phone (电话记录, F-12) —
// direction, caller, phone, content, key matters, linked to a customer — and forwards it to a
// department head with a due time; the record is forwarded and the superior has the task.
// No screen scrolls sideways. E2E_SHOTS=1 saves docs/screenshots/phone-record.zh-CN.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, noSideScroll, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { width: 390, height: 844 };
const tag = Math.random().toString(36).slice(2, 8);

test('an agent records a call on a phone and forwards it to a superior', async () => {
  const head = (await call('admin', 'POST', '/users', { username: `e2e_head_${tag}`, roles: 'dept_head',
    password: SEED.password, display_name: `周主管${tag}` })).data;
  const custName = `电话客户${tag}`;
  const cust = (await call('admin', 'POST', '/customers', { name: custName, type: 'company' })).data;
  await withPage(browser, { as: 'agent', viewport: PHONE }, async (page) => {
    await page.goto('/#/phone-records');
    await page.locator('#new-call').click();
    await page.locator('select[name="direction"]').selectOption('in');
    await page.locator('input[name="caller"]').fill('赵工');
    await page.locator('input[name="phone"]').fill('0871-6666888');
    await page.locator('textarea[name="content"]').fill(`设备开机报警 ${tag}`);
    await page.locator('textarea[name="key_matters"]').fill('客户要求明天上门');
    const q = page.locator('#fld-customer_id-q');
    await q.scrollIntoViewIfNeeded();
    await q.fill(custName);
    const sel = page.locator('select[name="customer_id"]');
    await sel.locator(`option[value="${cust.id}"]`).waitFor({ state: 'attached' });
    await sel.selectOption(String(cust.id));
    const save = page.getByRole('button', { name: '保存' });
    await save.scrollIntoViewIfNeeded();
    await save.click();
    await page.locator('#tel-forward-form').waitFor();
    await noSideScroll(page, 'record');
    await page.locator('select[name="superior_id"]').selectOption(String(head.id));
    const fwd = page.locator('#tel-forward');
    await fwd.scrollIntoViewIfNeeded();
    await fwd.click();
    await page.locator('#tel-flash', { hasText: '已转交' }).waitFor();
    await page.locator('.badge', { hasText: '已转主管' }).first().waitFor();
    if (process.env.E2E_SHOTS) await page.screenshot({ path: new URL('../../../docs/screenshots/phone-record.zh-CN.png', import.meta.url).pathname, fullPage: true });
    const list = (await call('agent', 'GET', `/phone-records?customer_id=${cust.id}`)).data.items;
    assert.equal(list.length, 1);
    assert.equal(list[0].status, 'forwarded');
    assert.equal(list[0].forwarded_to, head.id);
    assert.equal(list[0].caller, '赵工');
    assert.ok(list[0].task_id > 0);
  });
});
