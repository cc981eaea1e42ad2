// Periodic visits and staff performance (issue 11 items 7 and 9) in chromium: a plan made
// in the form built from /meta, its visits created now, the planned-vs-done and staff
// tables with their exports, a technician's own row, and at 390 px no sideways scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, navKeys, SEED, call as apiCall } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a dispatcher makes a weekly visit plan and creates its visits', async () => {
  await withPage(browser, { as: 'dispatcher' }, async (page) => {
    assert.ok((await navKeys(page)).includes('visits'));
    await page.goto('/#/visit-plans');
    await page.locator('#new-plan').click();
    await page.locator('#fld-name').waitFor();
    await page.locator('#fld-name').fill('澜沧江季度走访');
    await page.locator('#fld-customer_id-q').fill('澜沧江');
    await page.locator(`#fld-customer_id option[value="${SEED.customers['澜沧江精密仪器有限公司']}"]`).waitFor({ state: 'attached' });
    await page.locator('#fld-customer_id').selectOption(String(SEED.customers['澜沧江精密仪器有限公司']));
    await page.locator('#fld-every_n').fill('1');
    await page.locator('#fld-period').selectOption('week');
    const d = new Date(Date.now() + 2 * 86400e3).toISOString().slice(0, 10);
    await page.locator('#fld-start_date').fill(d);
    await page.locator('#fld-lead_days').fill('10');
    // a wrong time is refused next to its field, in Chinese
    await page.locator('#fld-visit_time').fill('25:00');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('#fld-visit_time-err').waitFor();
    assert.match(await page.locator('#fld-visit_time-err').textContent(), /格式/);
    await page.locator('#fld-visit_time').fill('10:00');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/#\/visit-plans\/\d+$/);
    await page.locator('#generate').click();
    await page.getByText(/新生成 \d+ 个/).waitFor();
    const txt = await page.locator('.card p[role="status"]').textContent();
    const created = Number(/新生成 (\d+) 个，已存在 (\d+) 个/.exec(txt).slice(1).reduce((a, b) => a + Number(b), 0));
    assert.equal(created, 2, txt); // due in 2 and 9 days, within the 10 days ahead
    await page.goto('/#/visit-plans');
    await page.getByRole('link', { name: '澜沧江季度走访' }).waitFor();
  });
});

test('a manager reads planned vs done and the staff table, and exports them', async () => {
  await withPage(browser, { as: 'admin' }, async (page) => {
    const to = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
    await page.goto(`/#/reports/visits?from=2026-01-01&to=${to}`);
    await page.locator('#visit-report').waitFor();
    assert.match(await page.locator('#visit-report tbody').textContent(), /澜沧江精密仪器有限公司/);
    assert.match(await page.locator('#visit-report tr.total').textContent(), /合计/);
    const href = await page.locator('#export-xlsx').getAttribute('href');
    const r = await page.evaluate(async (u) => { const x = await fetch(u); return [x.status, x.headers.get('content-type')]; }, href);
    assert.equal(r[0], 200);
    assert.match(r[1], /spreadsheetml/);
    await page.goto('/#/reports/staff');
    await page.locator('#staff-report').waitFor();
    assert.match(await page.locator('#staff-report thead').textContent(), /准时到达率/);
    assert.match(await page.locator('#staff-report tbody').textContent(), /赵工程师/);
  });
});

test('a technician sees their own row only, on a phone without sideways scroll', async () => {
  await withPage(browser, { as: 'technician', viewport: { width: 390, height: 844 } }, async (page) => {
    assert.ok((await navKeys(page)).includes('staff'));
    await page.goto('/#/reports/staff');
    await page.locator('#staff-report').waitFor();
    const rows = await page.locator('#staff-report tbody tr').count();
    assert.equal(rows, 1);
    assert.match(await page.locator('#staff-report tbody').textContent(), /赵工程师/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
  });
});

// Review 71 #11: a periodic visit opened on the technician's phone links its 走访记录; the
// planner-only links (新建走访计划, 走访计划完成情况) are not shown to a technician.
test('a technician opens a periodic visit on the phone and reaches its findings form', async () => {
  const call = async (who, method, path, body) => (await apiCall(who, method, path, body)).data;
  const start = new Date(Date.now() + 86400e3).toISOString().slice(0, 10);
  const plan = await call('dispatcher', 'POST', '/visit-plans', { name: `手机走访${Date.now() % 100000}`, purpose: 'visit',
    customer_id: SEED.customers['澜沧江精密仪器有限公司'], every_n: 1, period: 'month', start_date: start,
    visit_time: '10:00', lead_id: SEED.userIds.technician, lead_days: 5 });
  await call('dispatcher', 'POST', `/visit-plans/${plan.id}/generate`);
  const wos = (await call('technician', 'GET', '/work-orders?limit=200')).items.filter((w) => w.kind === 'periodic_visit');
  assert.ok(wos.length, 'a periodic visit of the technician');
  const wo = wos[wos.length - 1];
  await withPage(browser, { as: 'technician', viewport: { width: 390, height: 844 } }, async (page) => {
    await page.goto(`/#/day/${wo.id}`);
    const link = page.locator('#visit-findings-link');
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `#/work-orders/${wo.id}/findings`);
    await link.click();
    await page.locator('#findings-status').waitFor({ state: 'attached' });
    await page.locator('h1', { hasText: '走访记录' }).waitFor();
    await page.goto('/#/visit-plans');
    await page.locator('main table, main .empty').first().waitFor();
    assert.equal(await page.locator('#new-plan').count(), 0, 'no 新建走访计划 for a technician');
    assert.equal(await page.locator('main a[href="#/reports/visits"]').count(), 0, 'no 走访计划完成情况 for a technician');
  });
  // the planners keep them (the report is the managers')
  await withPage(browser, { as: 'admin' }, async (page) => {
    await page.goto('/#/visit-plans');
    await page.locator('#new-plan').waitFor();
    await page.locator('#visit-report-link').waitFor();
  });
});
