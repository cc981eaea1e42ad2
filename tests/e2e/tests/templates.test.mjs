// Message templates (issue 15 item 2) in chromium: an administrator edits an event's Chinese
// template, is told at the field that a variable does not exist, previews the fixed text with
// sample values, saves it; then sends a test message from the channel settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED, BASE } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a template is edited, refused with an unknown variable, previewed and saved; a test message is sent', async () => {
  await withPage(browser, { as: 'admin' }, async (page) => {
    await page.goto('/#/notify-templates?kind=shipment_sent');
    const card = page.locator('section[data-locale="zh-CN"]');
    await card.waitFor();
    assert.equal(await page.locator('#tpl-kind').inputValue(), 'shipment_sent');
    // the event's variables are listed
    assert.ok(await card.locator('button[data-var="waybill"]').count() === 1, 'waybill listed');
    const body = card.locator('textarea[name="body"]');
    await body.fill('快递 {courier} 单号 {waybill}');
    await card.getByRole('button', { name: '保存' }).click();
    await card.locator('[data-err="body"]').getByText('{courier} 不是此事件的变量').waitFor();
    // fixed, with a variable inserted from the list, then previewed with sample values
    await body.fill('您的配件已由 {carrier} 发出，运单号 ');
    await card.locator('button[data-var="waybill"]').click();
    assert.equal(await body.inputValue(), '您的配件已由 {carrier} 发出，运单号 {waybill}');
    await card.getByRole('button', { name: '预览' }).click();
    const preview = page.locator('[data-preview="zh-CN"]');
    await preview.getByText('您的配件已由 顺丰速运 发出，运单号 SF1234567890').waitFor();
    assert.equal(await card.locator('[data-err="body"]').textContent(), '');
    await card.getByRole('button', { name: '保存' }).click();
    await card.getByText('已保存').waitFor();
    await card.getByText('（已自定义）').waitFor();
    // the saved text is what the server keeps
    await page.reload();
    await page.locator('section[data-locale="zh-CN"] textarea[name="body"]').waitFor();
    assert.equal(await page.locator('section[data-locale="zh-CN"] textarea[name="body"]').inputValue(),
      '您的配件已由 {carrier} 发出，运单号 {waybill}');
    // channel settings: a test message on the webhook channel is queued
    await page.goto('/#/notify-channels');
    const hook = page.locator('section[data-channel="webhook"]');
    await hook.waitFor();
    await hook.locator('button[data-test="webhook"]').click();
    await hook.getByText(/测试消息 #\d+ 已排队/).waitFor();
    const text = await hook.getByText(/测试消息 #\d+ 已排队/).textContent();
    const id = text.match(/#(\d+)/)[1];
    await page.goto('/#/notifications?channel=webhook');
    await page.locator(`#notifications tbody tr[data-id="${id}"]`).waitFor();
  });
});

test('a technician makes their calendar link, the feed is iCalendar, a replaced link stops working', async () => {
  await call('admin', 'POST', '/technicians', { user_id: SEED.userIds.technician, name: '赵工程师' }).catch(() => null);
  await withPage(browser, { as: 'technician' }, async (page) => {
    await page.goto('/#/technicians/me');
    await page.getByRole('heading', { name: '日历订阅' }).waitFor();
    const btn = page.locator('#ical-rotate');
    await btn.waitFor();
    if ((await btn.textContent()) === '生成日历链接') {
      await btn.click();
      await page.getByText('日历链接已生成').waitFor();
    }
    const url = await page.locator('#ical-url').inputValue();
    assert.match(url, /\/api\/v1\/public\/calendars\/[0-9a-f]{48}$/);
    await page.locator('#ical-qr').waitFor();
    assert.ok(await page.locator('#ical-qr').evaluate((img) => img.complete && img.naturalWidth > 0), 'QR shown');
    const path = new URL(url).pathname;
    const feed = await fetch(BASE + path);
    assert.equal(feed.status, 200);
    assert.match(await feed.text(), /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    page.once('dialog', (d) => d.accept());
    await page.locator('#ical-rotate').click();
    await page.getByText('已更换，旧链接已失效').waitFor();
    const next = await page.locator('#ical-url').inputValue();
    assert.notEqual(next, url);
    assert.equal((await fetch(BASE + path)).status, 404);
    assert.equal((await fetch(BASE + new URL(next).pathname)).status, 200);
  });
});
