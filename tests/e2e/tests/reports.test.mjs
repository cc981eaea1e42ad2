// Issue 11 item 5 in the browser: the service report section of the ticket page. A work order
// is taken on site through the API (booked, departed, arrived), its self-check recorded (every
// item, the photos the template asks for), the customer's signature posted; the ticket page
// then shows the work order's signed version with the signer and the time, and a PDF link
// that downloads the report (a real PDF). A change to the work order after signing shows the
// draft and the hint to sign again. The technician's day needs one request: the list answer
// carries the address and phone of each work order (no per-card fetches).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, png, passSelfCheck, SEED, BASE } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

// A repair work order on site, its self-check passed (whatever template the data has).
async function onSiteChecked(description) {
  const tk = (await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: SEED.units['E2E-0001'], caller_name: '钱工', caller_phone: '13800000009', description })).data;
  await call('agent', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/schedule_visit`, { visit_at: isoZ(Date.now() + 3 * 3600e3) });
  const wo = (await call('technician', 'GET', `/work-orders?ticket_id=${tk.id}`)).data.items[0];
  for (const action of ['depart', 'arrive']) await call('technician', 'POST', `/work-orders/${wo.id}/actions`, { action });
  await call('technician', 'PATCH', `/work-orders/${wo.id}`, { work_done: '更换温控模块，试机正常', findings: '温控模块损坏', labour_minutes: 60 });
  await passSelfCheck(wo.id);
  return { tk, wo };
}

test('ticket page: a signed service report with its PDF link; a change after signing shows the draft', async () => {
  const { tk, wo } = await onSiteChecked('恒温箱温度失控 E2E 报告单');
  const signed = (await call('technician', 'POST', `/work-orders/${wo.id}/signature`, {
    signer_name: '钱建华', comment: '处理及时', image_png_base64: png(300, 100).toString('base64'),
  })).data;
  assert.equal(signed.version, 1);

  await withPage(browser, { as: 'dispatcher' }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    const sec = page.locator('#ticket-report');
    await sec.locator('h2', { hasText: '售后服务报告单' }).waitFor();
    const block = sec.locator(`.report-wo[data-wo="${wo.id}"]`);
    await block.locator('h3', { hasText: wo.number }).waitFor();
    const v1 = block.locator('.report-version.signed[data-version="1"]');
    await v1.waitFor();
    assert.match(await v1.textContent(), /第 1 版.*钱建华 于 .* 签字/);
    assert.equal(await block.locator('.report-changed').count(), 0, 'no draft while nothing changed');
    // the PDF link downloads the signed version (with the page's session)
    const link = v1.locator('a.report-pdf');
    assert.equal((await link.textContent()).trim(), '下载 PDF');
    const href = await link.getAttribute('href');
    assert.match(href, new RegExp(`/api/v1/work-orders/${wo.id}/report\\.pdf\\?version=1$`));
    const pdf = await page.request.get(new URL(href, BASE).toString());
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'], /^application\/pdf/);
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');

    // a change after the signature: version 1 stays signed, the draft asks for a new one
    await call('technician', 'PATCH', `/work-orders/${wo.id}`, { work_done: '更换温控模块及传感器，试机正常' });
    await page.reload();
    await block.locator('.report-changed', { hasText: '签字后有修改，需重新签字' }).waitFor();
    await block.locator('.report-version.signed[data-version="1"]').waitFor();
    const draft = block.locator('.report-version.draft');
    assert.match(await draft.textContent(), /未签字（草稿）/);
    assert.match(await draft.locator('a.report-pdf').getAttribute('href'), /report\.pdf\?version=2$/);
  });
});

test("technician's day: one request for the work orders, address and phone from the list", async () => {
  // 20:00 today in Asia/Shanghai at the latest: the work order is on today's list
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const at = Math.min(Date.now() + 30 * 60e3, Date.parse(`${day}T23:40:00+08:00`));
  const tk = (await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: SEED.units['E2E-0001'], caller_name: '孙工', caller_phone: '13800000010', description: '一次请求的今日卡片' })).data;
  await call('agent', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/schedule_visit`, { visit_at: isoZ(at) });
  const wo = (await call('technician', 'GET', `/work-orders?ticket_id=${tk.id}`)).data.items[0];

  await withPage(browser, { viewport: { width: 390, height: 844 }, as: 'technician' }, async (page) => {
    // the technician's home is this day view: let its own first load finish before counting
    await page.waitForLoadState('networkidle');
    const apiPaths = [];
    page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/')) apiPaths.push(u.pathname); });
    // the home page's cards stay on screen until this view is drawn: wait for its request
    const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/work-orders');
    await page.goto('/#/day');
    await listed;
    const card = page.locator(`.wo-card[data-wo="${wo.id}"]`);
    await card.waitFor();
    await page.waitForLoadState('networkidle');
    await card.locator('.wo-fault', { hasText: '一次请求的今日卡片' }).waitFor();
    assert.match(await card.locator('[data-reach="tel"]').getAttribute('href'), /^tel:13800000010$/);
    const perCard = apiPaths.filter((p) => /^\/api\/v1\/(tickets|customers|units|sites)(\/|$)/.test(p));
    assert.deepEqual(perCard, [], `no per-card requests: ${apiPaths.join(' ')}`);
    assert.equal(apiPaths.filter((p) => p === '/api/v1/work-orders').length, 1, `one list request: ${apiPaths.join(' ')}`);
  });
});
