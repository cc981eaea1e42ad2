// Issue 15 item 4: the dashboard draws its cards and its three ECharts charts from one summary
// request, and a figure drills down to the records behind it: the SLA card opens the SLA
// report of the same month, the open-tickets card the list of open tickets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('dashboard: cards and charts, drill-down to the records', async () => {
  // a ticket of this month, so that the month has an open ticket and a running reply clock
  const { data: c } = await call('admin', 'POST', '/customers', { name: `看板客户${Date.now() % 1e6}`, type: 'company' });
  await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', customer_id: c.id, caller_name: '周工', caller_phone: '13900007777', description: '看板测试：设备无法启动' });
  await withPage(browser, { as: 'admin' }, async (page) => {
    const summary = page.waitForResponse((r) => r.url().includes('/api/v1/dashboard'));
    await page.goto('/#/dashboard');
    assert.equal((await summary).status(), 200);
    for (const id of ['chart-sla', 'chart-open', 'chart-trend']) await page.locator(`#${id} canvas`).first().waitFor();
    // ECharts is loaded on this page only
    assert.ok(await page.evaluate(() => !!globalThis.echarts));
    const open = Number((await page.locator('#dash-open .dash-value').textContent()).replace(/[^\d]/g, ''));
    assert.ok(open >= 1, `open tickets ${open}`);
    // drill-down 1: the reply SLA card opens the SLA report of the month with its clock table
    await page.locator('#dash-sla-reply').click();
    await page.waitForURL(/#\/reports\/sla\?.*from=\d{4}-\d{2}-01/);
    await page.locator('#sla-clocks').waitFor();
    const clocks = await page.locator('#sla-clocks tbody tr').count();
    assert.equal(clocks, 4);
    // drill-down 2: the open-tickets card opens the list of open tickets
    await page.goto('/#/dashboard');
    await page.locator('#dash-open').click();
    await page.waitForURL(/#\/queues\?queue=open/);
    await page.locator('table.list tbody tr').first().waitFor();
    assert.ok(await page.locator('table.list tbody tr').count() >= 1);
  });
});

test('dashboard: a technician has no dashboard', async () => {
  await assert.rejects(call('technician', 'GET', '/dashboard'), /403/);
});
