// Issue 10, items 16-21, as an agent, a dispatcher, a technician on a phone, a customer:
// Chinese text only (display names, fault category names, SLA events), intake focus and
// unit picker, no sideways scrolling at 390 px, SLA near the top and 完成处理 primary on
// site, the public status following real events, service history on customer and unit
// pages, ticket edit with 412 handling, queue counts, refresh, SLA order and bulk assign.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, passSelfCheck, SEED, BASE } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };


const hd = () => SEED.customers['澜沧江精密仪器有限公司'];
const tech = () => SEED.userIds.technician;

async function newTicket(extra = {}) {
  return (await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: SEED.units['E2E-0001'], caller_name: '王工', caller_phone: '13800000001', description: '界面测试：设备报警', ...extra })).data;
}

test('intake: typing right after opening 来电登记 reaches the search box; a customer found by phone offers its units', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.locator('a[data-nav="intake"]').click();
    await page.locator('#intake-q').waitFor();
    // no click into the box: the first digits must not be lost
    await page.keyboard.type('021-55551234', { delay: 10 });
    assert.equal(await page.locator('#intake-q').inputValue(), '021-55551234');
    await page.locator('#intake-customer', { hasText: '澜沧江精密仪器有限公司' }).waitFor();
    // the unit picker lists the customer's units; picking one decides the warranty
    const pick = page.locator('#in-unit');
    await pick.locator('option', { hasText: 'E2E-0002' }).waitFor({ state: 'attached' });
    await pick.selectOption({ label: (await pick.locator('option', { hasText: 'E2E-0002' }).textContent()).trim() });
    await page.locator('#intake-unit', { hasText: 'E2E-0002' }).waitFor();
    await page.locator('#intake-warranty .badge-w-expired').waitFor();
    await page.locator('#in-description').fill('门锁失灵');
    await page.locator('#intake-submit').click();
    await page.locator('#intake-number').click();
    await page.locator('#ticket-unit', { hasText: 'E2E-0002' }).waitFor();
    await page.locator('#ticket-warranty .badge-w-expired').waitFor();
  });
});

test('intake: an empty call says what is missing in words, not a field key', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto('/#/intake');
    await page.locator('#intake-q').waitFor();
    await page.locator('#intake-submit').click();
    const msg = await page.locator('#intake-msg .alert-error').textContent();
    assert.ok(!/customer_name|\(\w+\)/.test(msg), msg);
    assert.ok(/[\u4e00-\u9fff]/.test(msg), msg);
    assert.equal(await page.locator('#intake-newcust').isVisible(), true);
  });
});

test('no page is wider than a 390 px phone', async () => {
  // a long name and description in the intake context (the review saw 397-402 px)
  const long = (await call('admin', 'POST', '/customers', { name: '新疆维吾尔自治区乌鲁木齐市天山区人民医院口腔科设备管理中心（筹）', type: 'company', phone: '0991-88886666' })).data;
  await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', customer_id: long.id, description: '设备运行时持续报警并伴随异常噪音，屏幕显示错误代码E1024_OVERHEAT_PROTECTION_TRIGGERED_PLEASE_CONTACT_SERVICE' });
  const tk = await newTicket();
  await withPage(browser, { as: 'agent', ...PHONE }, async (page) => {
    const wide = [];
    const check = async (what) => {
      await page.waitForTimeout(150);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      if (w > 390) wide.push(`${what}: ${w}`);
    };
    await page.goto('/#/intake');
    await page.locator('#intake-q').fill('0991-88886666');
    await page.locator('#intake-customer', { hasText: '新疆' }).waitFor();
    await page.locator('#intake-recent li').first().waitFor();
    await check('intake after a lookup');
    assert.deepEqual(wide, [], 'the intake page scrolls sideways');
    for (const [hash, ready] of [['#/', '.tiles'], ['#/queues?queue=open', '.list-status'], [`#/tickets/${tk.id}`, '#timeline'],
      ['#/customers', '.list-status'], [`#/customers/${hd()}`, '#customer-tickets'], ['#/units', '.list-status'],
      [`#/units/${SEED.units['E2E-0001']}`, '#unit-tickets'], ['#/labels?ids=' + SEED.units['E2E-0001'], '.label-sheet']]) {
      await page.goto('/' + hash);
      await page.locator(ready).first().waitFor();
      await check(hash);
    }
    assert.deepEqual(wide, [], 'pages wider than 390 px');
  });
  await withPage(browser, PHONE, async (page) => {
    await page.goto('/r/E2E-0001');
    await page.locator('#pub-serial').waitFor();
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= 390, `public report page ${w}`);
  });
});

test('technician on a phone: the SLA card is near the top; on site the primary button is 完成处理', async () => {
  const tk = await newTicket();
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: tech() });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/schedule_visit`, { visit_at: new Date(Date.now() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z') });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/arrive`, {});
  await withPage(browser, { as: 'technician', ...PHONE }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('h1 .badge-st[data-status="on_site"]').waitFor();
    const sla = await page.locator('#sla').boundingBox();
    const details = await page.locator('#tk-d').boundingBox();
    const tl = await page.locator('#timeline').boundingBox();
    assert.ok(sla.y < details.y && sla.y < tl.y, `SLA at ${sla.y}, details at ${details.y}`);
    assert.ok(sla.y < 844, `SLA card starts within the first screen: ${sla.y}`);
    assert.equal(await page.locator('#ticket-actions .btn-primary').getAttribute('data-action'), 'resolve');
  });
});

test('Chinese UI: fault category name, display names, SLA events in words, no login names', async () => {
  // a letter received 3 hours ago on a 1-minute policy: the reply clock is breached at once
  const pol = (await call('admin', 'POST', '/sla-policies', { code: 'UI-' + Date.now(), name: '界面测试策略', calendar_id: (await call('admin', 'GET', '/calendars?code=24x7')).data.items[0].id, reply_minutes: 1, remote_minutes: 1, onsite_minutes: 1, active: false })).data;
  const tk = await newTicket({ channel: 'letter', fault_category: 'calibration', received_at: new Date(Date.now() - 3 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'), assignee_id: tech() });
  await call('agent', 'PATCH', `/tickets/${tk.id}`, { sla_policy_id: pol.id });
  await call('technician', 'POST', `/tickets/${tk.id}/comments`, { body: '已联系客户', visibility: 'customer' });
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('#timeline .ev-sla').first().waitFor();
    assert.equal((await page.locator('#ticket-fault').textContent()).trim(), '精度/校准偏差');
    const heads = (await page.locator('#timeline .event-head').allTextContents()).join('\n');
    assert.ok(!/breached|at_risk|reply|remote|e2e_|technician|agent|public-qr|calibration/.test(heads), heads);
    assert.ok(heads.includes('响应时限已超时'), heads);
    assert.ok(heads.includes('赵工程师') && heads.includes('李客服'), heads);
    const details = await page.locator('#tk-d + .details, .ticket-main .details').first().textContent();
    assert.ok(details.includes('赵工程师') && !details.includes('e2e_tech'), details);
  });
  // the customer sees staff by display name too
  await withPage(browser, { as: 'customer' }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('#timeline .ev-comment').waitFor();
    const text = await page.locator('#timeline').textContent();
    assert.ok(text.includes('赵工程师') && !text.includes('e2e_tech'), text);
  });
});

test('public status: a booked visit is not 已出发; appointment, engineer and resolution are shown, no customer data', async () => {
  const r = await fetch(BASE + '/api/v1/public/units/E2E-0004/reports', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ description: '转子不平衡报警', phone: '13700001111' }) });
  const rep = await r.json();
  const tk = (await call('agent', 'GET', `/tickets?number=${rep.number}`)).data.items[0];
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: tech() });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/schedule_visit`, { visit_at: new Date(Date.now() + 86400e3).toISOString().replace(/\.\d+Z$/, 'Z') });
  await withPage(browser, PHONE, async (page) => {
    await page.goto(rep.status_url);
    await page.locator('#pub-status .track').waitFor();
    assert.deepEqual(await page.locator('.track .step-name').allTextContents(), ['已受理', '已派工', '已出发', '已到达', '已完成']);
    assert.equal(await page.locator('.step[data-step="on_the_way"]').getAttribute('data-done'), 'false');
    assert.equal(await page.locator('#pub-status').getAttribute('data-status'), 'dispatched');
    await page.locator('#pub-appointment').waitFor();
    assert.equal((await page.locator('#pub-engineer').textContent()).trim(), '赵工程师');
  });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/arrive`, {});
  // issue 11: the work order is finished before the ticket resolves on site
  const wo = (await call('technician', 'GET', `/work-orders?ticket_id=${tk.id}`)).data.items[0];
  await passSelfCheck(wo.id); // done waits for the self-check
  await call('technician', 'POST', `/work-orders/${wo.id}/actions`, { action: 'finish', result: 'done' });
  // the service report guard (issue 11 item 5) is tested by the API suite: off around this resolve
  await call('admin', 'PATCH', '/settings', { report_before_resolve: false });
  try {
    await call('technician', 'POST', `/tickets/${tk.id}/actions/resolve`, { note: '已做动平衡校正，运行正常', visibility: 'customer' });
  } finally {
    await call('admin', 'PATCH', '/settings', { report_before_resolve: true });
  }
  await withPage(browser, PHONE, async (page) => {
    await page.goto(rep.status_url);
    await page.locator('#pub-resolution', { hasText: '已做动平衡校正' }).waitFor();
    assert.equal(await page.locator('.step[data-step="on_site"]').getAttribute('data-done'), 'true');
    assert.equal(await page.locator('#pub-appointment').count(), 0);
    const text = await page.locator('body').textContent();
    for (const leak of ['北京协和检测中心', '13700001111', 'e2e_tech']) assert.ok(!text.includes(leak), `leaks ${leak}`);
  });
});

test('service history: the customer page lists its tickets, the unit page its tickets and visits', async () => {
  const tk = await newTicket({ description: '服务记录测试' });
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: tech() });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/schedule_visit`, { visit_at: new Date(Date.now() + 7200e3).toISOString().replace(/\.\d+Z$/, 'Z') });
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto(`/#/customers/${hd()}`);
    await page.locator('#customer-tickets a', { hasText: tk.number }).waitFor();
    await page.goto(`/#/units/${SEED.units['E2E-0001']}`);
    await page.locator('#unit-tickets a', { hasText: tk.number }).waitFor();
    await page.locator('#unit-visits a', { hasText: tk.number }).waitFor();
    assert.ok((await page.locator('#unit-visits').textContent()).includes('赵工程师'));
  });
  await withPage(browser, { as: 'customer' }, async (page) => {
    await page.goto(`/#/customers/${hd()}`);
    await page.locator('#customer-tickets a', { hasText: tk.number }).waitFor();
  });
});

test('ticket edit: priority and required arrival saved with If-Match; a stale edit is refused and offers a reload', async () => {
  const tk = await newTicket();
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('#ticket-edit').click();
    await page.locator('#te-priority').selectOption('urgent');
    await page.locator('#te-required_arrival_at').fill('2031-05-01T10:00');
    await page.locator('#te-unit_id').selectOption({ label: (await page.locator('#te-unit_id option', { hasText: 'E2E-0003' }).textContent()).trim() });
    await page.locator('#edit-save').click();
    await page.locator('#ticket-msg .alert-info').waitFor();
    await page.locator('#ticket-unit', { hasText: 'E2E-0003' }).waitFor();
    const details = await page.locator('.ticket-main .details').first().textContent();
    assert.ok(details.includes('紧急') && details.includes('2031'), details);
    // someone else edits meanwhile: the open dialog's save gets 412
    await page.locator('#ticket-edit').click();
    await page.locator('#te-description').fill('我的修改');
    await call('agent', 'PATCH', `/tickets/${tk.id}`, { description: '别人的修改' });
    await page.locator('#edit-save').click();
    await page.locator('#edit-stale').waitFor();
    await page.locator('#edit-stale button').click();
    await page.locator('.description', { hasText: '别人的修改' }).waitFor();
  });
});

test('queues: counts, nearest due first, description and location, refresh without reload, bulk assign with per-row failures', async () => {
  await call('admin', 'POST', '/technicians', { user_id: tech(), name: '赵工程师' }).catch(() => null);
  const a = await newTicket({ description: '批量分派一' });
  const b = await newTicket({ description: '批量分派二' });
  await withPage(browser, { as: 'dispatcher', allow: /status of 409/ }, async (page) => {
    await page.goto('/#/queues?queue=unassigned');
    await page.locator('.list-status', { hasText: '共' }).waitFor();
    await page.locator('.tab-count[data-count="unassigned"]').filter({ hasText: /\d/ }).waitFor();
    const n = Number(await page.locator('.tab-count[data-count="unassigned"]').textContent());
    const listed = Number((await page.locator('.list-status').textContent()).replace(/\D/g, ''));
    assert.equal(n, listed);
    assert.equal(await page.locator('th[aria-sort="ascending"]').textContent().then((x) => x.includes('时限')), true);
    const headers = await page.locator('table.list thead').textContent();
    assert.ok(headers.includes('问题描述') && headers.includes('地点'), headers);
    // newest first from here on: in the default order a new ticket can sort after the first
    // page (in working hours its deadline is later than those of the earlier tickets; CI
    // failed so at 08:35 in Shanghai), and so can a and b
    await page.goto('/#/queues?queue=unassigned&sort=-id');
    await page.locator('th[aria-sort="descending"]', { hasText: '工单号' }).waitFor();
    // a new ticket appears on refresh, without leaving the page
    const marker = await page.evaluate(() => { window.__kept = 1; return 1; });
    const c = await newTicket({ description: '刷新后出现' });
    await page.locator('#queue-refresh').click();
    await page.locator('table.list tbody a', { hasText: c.number }).waitFor();
    assert.equal(await page.evaluate(() => window.__kept), marker, 'no reload');
    // bulk: a and b selected; b is cancelled meanwhile and must fail alone
    await page.locator(`input[data-bulk][value="${a.id}"]`).check();
    await page.locator(`input[data-bulk][value="${b.id}"]`).check();
    await call('agent', 'POST', `/tickets/${b.id}/actions/cancel`, { note: '客户撤销' });
    await page.locator('#bulk input[data-picker]').fill('赵');
    await page.locator('#bulk .picker-opt', { hasText: '赵工程师' }).first().click();
    await page.locator('#bulk-assign').click();
    await page.locator('#bulk-result .alert').waitFor();
    assert.ok((await page.locator('#bulk-result').textContent()).includes('已分派 1 张，失败 1 张'));
    await page.locator('#bulk-failures li', { hasText: b.number }).waitFor();
  });
  const got = (await call('agent', 'GET', `/tickets/${a.id}`)).data;
  assert.equal(got.assignee_id, tech());
});

test('refusal texts: a range names both bounds, a date not after today only its max', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    const texts = await page.evaluate(async () => {
      const { reasonText } = await import('/js/views/common.js');
      return [{ min: 1, max: 500 }, { max: '2026-12-07' }, { min: 1 }].map((params) =>
        reasonText({ reason: 'out_of_range', params }));
    });
    assert.deepEqual(texts, ['应在 1 到 500 之间。', '不能超过 2026-12-07。', '不能小于 1。']);
  });
});
