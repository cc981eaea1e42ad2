// Issue 12 item 4: a business trip on the technician's 390 × 844 phone. After-sales plans the
// trip through the API (destination, estimated days); in the browser the technician opens it
// from the navigation, departs, sends a progress report with a photo, records an expense in
// yuan (stored in fen), comes back and hands in the feedback form (售后服务信息反馈单); then
// after-sales can archive it. No screen scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, noSideScroll, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { width: 390, height: 844 };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000'
  + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

test('technician on a phone: trip → depart → progress report with photo → expense → return → feedback form', async () => {
  const { data: trip } = await call('dispatcher', 'POST', '/trips', {
    lead_id: SEED.userIds.technician, purpose: '安装调试离心机并培训操作人员',
    address: '上海市浦东新区张江路 88 号', contact_name: '李工', contact_phone: '13900001111',
    site_details: '三楼实验室，货梯可用', est_days: 2, planned_departure_at: isoZ(Date.now() + 10 * 60e3),
  });
  await withPage(browser, { as: 'technician', viewport: PHONE }, async (page) => {
    await page.locator('a[data-nav="trips"]').click();
    await page.locator(`tr[data-trip-id="${trip.id}"] a`).click();
    await page.locator('#trip-head[data-status="planned"]').waitFor();
    await page.locator('#trip-address', { hasText: '张江路 88 号' }).waitFor();
    assert.match(await page.locator('#trip-head [data-reach="tel"]').getAttribute('href'), /^tel:13900001111$/);
    assert.equal(await page.locator('#trip-fb-form').count(), 0, 'no feedback form before departure');
    await noSideScroll(page, 'planned trip');

    await page.locator('#trip-act-depart').click();
    await page.locator('#trip-head[data-status="departed"]').waitFor();
    await page.locator('#trip-report-body').fill('已到达现场，设备开箱完好，开始安装');
    await page.locator('#trip-report-photo').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('#trip-photo-chosen', { hasText: '1' }).waitFor();
    await page.locator('#trip-report-send').click();
    const rep = page.locator('#trip-reports li', { hasText: '开箱完好' });
    await rep.waitFor();
    await rep.locator('img.thumb').waitFor();
    assert.ok(await rep.locator('img.thumb').evaluate((img) => img.complete && img.naturalWidth > 0), 'the photo loads');
    await noSideScroll(page, 'departed trip');

    await page.locator('#trip-exp-transport').fill('120.5');
    await page.locator('#trip-exp-save').click();
    await page.locator('#trip-exp-total', { hasText: '120.50' }).waitFor();
    const { data: afterExp } = await call('dispatcher', 'GET', `/trips/${trip.id}`);
    assert.equal(afterExp.expenses.transport, 12050, 'stored in fen');
    assert.equal(afterExp.reports.length, 1);
    assert.equal(afterExp.reports[0].photos.length, 1);

    await page.locator('#trip-act-return').click();
    await page.locator('#trip-head[data-status="returned"]').waitFor();
    await page.locator('#trip-fb-missing').waitFor();
    await page.locator('#trip-fb-work_done').fill('离心机安装调试完成，培训操作人员 2 名');
    await page.locator('#trip-fb-result').fill('设备运行正常，客户满意');
    await page.locator('#trip-fb-problems').fill('客户希望一个月后回访');
    await page.locator('#trip-fb-send').click();
    await page.locator('#trip-fb-done').waitFor();
    await noSideScroll(page, 'returned trip');
    const small = await page.evaluate(() => [...document.querySelectorAll('main .btn')]
      .filter((e) => e.offsetParent !== null)
      .map((e) => [e.id || e.textContent.trim().slice(0, 20), Math.round(e.getBoundingClientRect().height)])
      .filter(([, hgt]) => hgt < 44));
    assert.deepEqual(small, [], 'targets under 44 px');

    // after-sales archives the trip now that the form is in
    const { data: closed } = await call('dispatcher', 'POST', `/trips/${trip.id}/actions`, { action: 'close' });
    assert.equal(closed.status, 'closed');
    assert.equal(closed.feedback.result, '设备运行正常，客户满意');
  });
});
