// Issue 18 item 7: the department head records a spot check on a phone, adds the problem found
// with its corrective action, owner and due date, and follows it to closure on the
// corrective-action list (marked done, then verified). E2E_SHOTS=1 saves
// docs/screenshots/disc-actions-phone.png (the follow-up list with an overdue action).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const stamp = Date.now().toString(36);

async function tap(page, sel) {
  const el = page.locator(sel).first();
  await el.scrollIntoViewIfNeeded();
  await el.click();
}

test('the head records a spot check with a problem and closes its corrective action', async () => {
  const head = `e2e_head_${stamp}`;
  const { data: h } = await call('admin', 'POST', '/users', { username: head, roles: 'dept_head', password: SEED.password, display_name: `部长${stamp}` });
  await withPage(browser, { ...PHONE, as: head }, async (page) => {
    await page.goto('/#/spot-checks/new');
    await page.locator('#fld-kind').selectOption('patrol');
    await page.locator('#fld-checked_on').fill('2026-12-01');
    await page.locator('#fld-subject').selectOption('other');
    await page.locator('#fld-summary').fill(`巡视售后工地 ${stamp}`);
    await tap(page, 'form.form button[type=submit]');
    await page.locator('#ca-new').waitFor();
    // the problem found, its corrective action, owner (the head) and due date
    await page.locator('#ca-problem').fill('作业区未设置安全警示标志');
    await page.locator('#ca-action').fill('设置警示标志和围挡');
    await page.locator(`#ca-owner option[value="${h.id}"]`).waitFor({ state: 'attached' });
    await page.locator('#ca-owner').selectOption(String(h.id));
    await page.locator('#ca-due').fill('2026-12-03');
    await tap(page, '#ca-add');
    const card = page.locator('#sc-problems [data-ca-id]');
    await card.locator('[data-ca-state="open"]').waitFor();
    const id = await card.getAttribute('data-ca-id');
    // on the follow-up list it is overdue; the head marks it done, then verifies it
    await page.goto('/#/corrective-actions?view=overdue');
    const row = page.locator(`#ca-list [data-ca-id="${id}"]`);
    await row.locator('[data-overdue]').waitFor();
    if (process.env.E2E_SHOTS) await page.screenshot({ path: new URL('../../../docs/screenshots/disc-actions-phone.png', import.meta.url).pathname, fullPage: true });
    await row.locator(`#ca-note-${id}`).fill('已设置警示标志');
    await tap(page, `#ca-list [data-ca-id="${id}"] [data-step="finish"]`);
    await row.waitFor({ state: 'detached' }); // done: no longer overdue
    await page.goto('/#/corrective-actions?view=open');
    await page.locator(`#ca-list [data-ca-id="${id}"] [data-ca-state="done"]`).waitFor();
    await tap(page, `#ca-list [data-ca-id="${id}"] [data-step="verify"]`);
    await page.locator(`#ca-list [data-ca-id="${id}"]`).waitFor({ state: 'detached' }); // closed
    await page.goto('/#/corrective-actions?view=all');
    const done = page.locator(`#ca-list [data-ca-id="${id}"]`);
    await done.locator('[data-ca-state="verified"]').waitFor();
    assert.match(await done.textContent(), /已设置警示标志/);
    assert.equal(await done.locator('[data-step]').count(), 0, 'a verified action has no step left');
  });
});

test('the discipline screens render: training, conduct complaints (heads only), a suggestion', async () => {
  const tech = `e2e_dtech_${stamp}`;
  const { data: tu } = await call('admin', 'POST', '/users', { username: tech, roles: 'technician', password: SEED.password, display_name: `技工${stamp}` });
  const { data: tr } = await call('admin', 'POST', '/staff-trainings', { category: 'ethics', title: `职业道德 ${stamp}`, held_on: '2026-11-20', external_trainer: '陈工' });
  await call('admin', 'POST', '/training-attendances', { training_id: tr.id, user_id: tu.id, result: 'passed', score: 91 });
  await call('admin', 'POST', '/conduct-complaints', { staff_user_id: tu.id, category: 'arguing', source: 'customer_call', occurred_on: '2026-11-25', description: `与用户发生口角 ${stamp}` });
  await withPage(browser, { as: tech, ...PHONE }, async (page) => {
    await page.goto('/#/my-training');
    await page.locator('table.list', { hasText: `职业道德 ${stamp}` }).waitFor();
    await page.goto('/#/conduct-complaints');
    await page.locator('h1', { hasText: '页面不存在' }).waitFor();
    await page.goto('/#/suggestions/new');
    await page.locator('#sg-to option:nth-child(2)').waitFor({ state: 'attached' });
    await page.locator('#sg-to').selectOption({ index: 1 });
    const to = Number(await page.locator('#sg-to').inputValue());
    await page.locator('#sg-title').fill(`建议配备备件箱 ${stamp}`);
    await page.locator('#sg-body').fill('减少二次上门');
    await tap(page, 'form.form button[type=submit]');
    await page.locator('#sg-detail').waitFor();
    assert.ok(to > 0);
  });
  await withPage(browser, { as: 'admin' }, async (admin) => {
    await admin.goto('/#/conduct-complaints');
    // the list and the per-staff report below it both name the technician: wait for either
    await admin.locator('table.list', { hasText: `技工${stamp}` }).first().waitFor();
    await admin.locator(`#conduct-report [data-staff="${tu.id}"]`).waitFor();
    await admin.goto(`/#/staff-trainings/${tr.id}`);
    await admin.locator('#attendance', { hasText: `技工${stamp}` }).waitFor();
  });
});
