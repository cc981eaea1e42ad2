// Issue 14 gaps (engineer qual): a department head decides a credit on a complaint notice on a
// phone — the credit line shows on the notice — and the notice's PDF (F-11) opens from it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const stamp = Date.now().toString(36);

async function tap(page, sel) {
  const el = page.locator(sel);
  await el.scrollIntoViewIfNeeded();
  await el.click();
}

test('a credit decided on a notice becomes a credit line; the notice prints as a PDF', async () => {
  const head = `e2e_qhead_${stamp}`;
  await call('admin', 'POST', '/users', { username: head, roles: 'dept_head', password: SEED.password, display_name: `品质部长${stamp}` });
  const { data: c } = await call('admin', 'POST', '/customers', { name: `补偿客户${stamp}`, type: 'company', province: '北京' });
  const { data: n } = await call('admin', 'POST', '/complaints', { customer_id: c.id, channel: 'letter', request: 'compensation', product: '台面', batch: 'Q1', description: '来函：台面色差' });
  await call('admin', 'POST', `/complaints/${n.id}/actions`, { action: 'route', roles: ['qc'] });
  const { data: v } = await call('admin', 'GET', `/complaints/${n.id}`);
  await call('admin', 'POST', `/complaints/${n.id}/routes/${v.routes[0].id}/ack`, {});
  await call('admin', 'POST', `/complaints/${n.id}/actions`, { action: 'analyse', cause_category: 'material', cause_analysis: '批次色差', corrective_action: '来料比色' });
  await withPage(browser, { ...PHONE, as: head, check: false }, async (page) => {
    await page.goto(`/#/complaints/${n.id}`);
    await page.locator('#cmpl-page h1 [data-state="analysed"]').waitFor();
    await page.locator('#cmpl-act-decision').selectOption('credit');
    await page.locator('#cmpl-act-credit').fill('123.45');
    await page.locator('#cmpl-act-note').fill('补偿色差');
    await tap(page, '#cmpl-do-act');
    await page.locator('#cmpl-page h1 [data-state="action_taken"]').waitFor();
    // the credit line of the customer, on the notice (no pay button on a credit)
    await page.locator('#chg-panel #chg-table').waitFor();
    const row = await page.locator('#chg-table tbody tr').textContent();
    assert.match(row, /-\s*¥?\s*123\.45|−\s*¥?\s*123\.45|¥\s*-123\.45/, `credit line: ${row}`);
    assert.equal(await page.locator('#chg-table .chg-pay').count(), 0, 'nothing to pay on a credit');
    const { data: lines } = await call('admin', 'GET', `/charges?owner_kind=complaint&owner_id=${n.id}`);
    assert.equal(lines.items.length, 1);
    assert.equal(lines.items[0].amount_fen, -12345, 'exact fen');
    // the printable notice
    const href = await page.locator('#cmpl-pdf').getAttribute('href');
    assert.match(href, new RegExp(`/api/v1/complaints/${n.id}/notice\\.pdf$`));
    const r = await page.request.get(href);
    assert.equal(r.status(), 200);
    assert.match(r.headers()['content-type'], /application\/pdf/);
    assert.equal((await r.body()).subarray(0, 5).toString(), '%PDF-');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(wide, false, 'no horizontal scroll on a phone');
  });
});
