// Issue 18 item 7: the department head records a spot check on a phone, adds the problem found
// with its corrective action, owner and due date, and follows it to closure on the
// corrective-action list (marked done, then verified). E2E_SHOTS=1 saves
// docs/screenshots/disc-actions-phone.png (the follow-up list with an overdue action).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, signIn, call, SEED, close } from '../lib.mjs';

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
  const page = await newPage(browser, PHONE);
  try {
    await signIn(page, head, SEED.password);
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
    await page.goto('/#/corrective-actions?view=open');
    await page.locator(`#ca-list [data-ca-id="${id}"] [data-ca-state="done"]`).waitFor();
    await tap(page, `#ca-list [data-ca-id="${id}"] [data-step="verify"]`);
    await page.goto('/#/corrective-actions?view=all');
    const done = page.locator(`#ca-list [data-ca-id="${id}"]`);
    await done.locator('[data-ca-state="verified"]').waitFor();
    assert.match(await done.textContent(), /已设置警示标志/);
    assert.equal(await done.locator('[data-step]').count(), 0, 'a verified action has no step left');
  } finally {
    const errors = await close(page);
    assert.deepEqual(errors, []);
  }
});
