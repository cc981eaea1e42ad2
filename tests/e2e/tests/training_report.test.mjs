// Issue 15 item 3, R-189 in the browser: the department head opens the training report from
// the reports index on a phone; the demo's closed installation project has a signed training
// record, so the report over the demo's period lists it with its trainees and topics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the training report lists a signed training record with its seats and topics', async () => {
  await withPage(browser, { viewport: { width: 390, height: 844 }, as: 'admin' }, async (page) => {
    await page.goto('/#/reports');
    await page.locator('.kpi-index a[href="#/reports/training"]').click();
    await page.locator('h1', { hasText: '培训报表' }).waitFor();
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    await page.goto(`/#/reports/training?from=2020-01-01&to=${today}`);
    const sum = page.locator('#training-sum');
    await sum.waitFor();
    assert.match(await sum.innerText(), /共 \d+ 次培训/);
    const row = page.locator('#training-report tbody tr', { hasText: '已签' }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /安装项目/);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(sideways, false, 'no sideways scroll on a phone');
  });
});
