// Service requests in the browser: call intake, queues with live SLA
// countdowns, a repair taken to closed by the roles that may act, the
// customer's QR fault report, the portal, and both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, withPage, signIn, navKeys, call, passSelfCheck, png, SEED } from '../lib.mjs';

// the Chinese catalogue the pages speak (the suite's locale)
const ZH = JSON.parse(readFileSync(new URL('../../../web/i18n/zh-CN.json', import.meta.url), 'utf8'));

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// a 1x1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function ticketIdFromIntake(page) {
  const link = page.locator('#intake-number');
  await link.waitFor();
  const href = await link.getAttribute('href');
  return { id: Number(href.split('/').pop()), number: (await link.textContent()).trim() };
}

async function act(page, action, fill) {
  await page.locator(`#ticket-actions [data-action="${action}"]`).click();
  if (fill) {
    const dlg = page.locator('dialog.dialog');
    await dlg.waitFor();
    await fill(dlg);
    await dlg.locator('#dlg-ok').click();
  }
  await page.locator('#ticket-msg .alert-info').waitFor();
}

async function status(page) {
  return page.locator('h1 .badge-st').getAttribute('data-status');
}

// Waits until the page shows the ticket in `want` (an earlier action's info alert may still be
// on the page, so the alert alone does not mean this action's answer has arrived), then checks.
async function expectStatus(page, want) {
  await page.locator(`h1 .badge-st[data-status="${want}"]`).waitFor({ timeout: 15000 });
  assert.equal(await status(page), want);
}

const created = {};

test('navigation by role: agent intake + queues, technician and dispatcher queues, customer portal', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    const keys = await navKeys(page);
    assert.ok(keys.includes('intake') && keys.includes('queues') && !keys.includes('portal'), keys.join());
  });
  for (const who of ['technician', 'dispatcher']) {
    await withPage(browser, { as: who }, async (page) => {
      const keys = await navKeys(page);
      assert.ok(keys.includes('queues') && !keys.includes('intake'), `${who}: ${keys}`);
    });
  }
  await withPage(browser, { as: 'customer' }, async (page) => {
    const keys = await navKeys(page);
    assert.ok(keys.includes('portal') && !keys.includes('queues') && !keys.includes('intake'), keys.join());
  });
});

test('agent console first load (sign-in, intake, queues) stays within 300 KB', async () => {
  await withPage(browser, {}, async (page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    await signIn(page, SEED.agent, SEED.password);
    await page.locator('a[data-nav="intake"]').click();
    await page.locator('#intake-q').waitFor();
    await page.locator('a[data-nav="queues"]').click();
    await page.locator('.list-status', { hasText: '共' }).waitFor();
    await page.waitForLoadState('networkidle');
    console.log(`# agent console first load: ${bytes} bytes (sign-in, intake, queues)`);
    assert.ok(bytes <= 300 * 1024, `agent console ${bytes} bytes`);
  });
});

test('call intake: a serial number finds unit, customer, warranty and history; the call is registered fast', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    let clicks = 0, keys = 0;
    const click = async (loc) => { clicks += 1; await loc.click(); };
    const type = async (loc, text) => { keys += [...text].length; await loc.pressSequentially(text, { delay: 15 }); };
    const t0 = Date.now();
    await click(page.locator('a[data-nav="intake"]'));
    await type(page.locator('#intake-q'), 'E2E-0001');
    // the exact serial is taken without a click: customer, unit, warranty
    await page.locator('#intake-unit', { hasText: 'E2E-0001' }).waitFor();
    assert.equal((await page.locator('#intake-customer').textContent()).trim(), '澜沧江精密仪器有限公司');
    await page.locator('#intake-warranty .badge-w-in').waitFor();
    await click(page.locator('#in-description'));
    await type(page.locator('#in-description'), '开机无显示');
    await click(page.locator('#intake-submit'));
    const tk = await ticketIdFromIntake(page);
    const ms = Date.now() - t0;
    console.log(`# intake from a serial number: ${clicks} clicks, ${keys} keystrokes, ${ms} ms`);
    assert.ok(clicks <= 4, `clicks ${clicks}`);
    assert.ok(keys <= 30, `keystrokes ${keys}`);
    assert.ok(ms < 30000, `${ms} ms`);
    assert.match(tk.number, /^SH-\d{8}-\d{4}$/);
    created.repair = tk;
    // the form is ready for the next call; the same unit now shows the open ticket
    assert.equal(await page.locator('#intake-q').inputValue(), '');
    await page.locator('#intake-q').fill('E2E-0001');
    await page.locator('#intake-open a', { hasText: tk.number }).waitFor();
    await page.locator('#intake-recent a', { hasText: tk.number }).waitFor();
  });
});

test('call intake: a phone number finds the customer; a consultation is answered and closed at once', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto('/#/intake');
    await page.locator('#intake-q').pressSequentially('021-55551234', { delay: 10 });
    await page.locator('#intake-customer', { hasText: '澜沧江精密仪器有限公司' }).waitFor();
    assert.equal(await page.locator('#in-caller_phone').inputValue(), '021-55551234');
    await page.locator('#in-type').selectOption('consultation');
    await page.locator('#in-description').fill('询问保养周期');
    await page.locator('#in-answer').fill('建议每年保养一次');
    await page.locator('#intake-close').click();
    const tk = await ticketIdFromIntake(page);
    await page.locator('#intake-number').click();
    await page.locator('h1 .badge-st[data-status="closed"]').waitFor();
    await page.locator('#timeline .event-body', { hasText: '建议每年保养一次' }).waitFor();
    void tk;
  });
});

test('queues: unassigned shows the new ticket with a live SLA countdown and no refetching', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.locator('a[data-nav="queues"]').click();
    await page.locator('.tabs a[data-queue="unassigned"][aria-current="page"]').waitFor();
    // found in the queue by its number: the queue's first page (by deadline) may hold more
    // urgent tickets of the other specs, more of them during the company's working hours
    await page.goto(`/#/queues?queue=unassigned&q=${encodeURIComponent(created.repair.number)}`);
    const row = page.locator('table.list tbody tr', { hasText: created.repair.number });
    await row.waitFor();
    const cd = row.locator('.countdown');
    const before = await cd.textContent();
    let apiCalls = 0;
    page.on('request', (r) => { if (r.url().includes('/api/')) apiCalls += 1; });
    await page.waitForTimeout(2200);
    const afterText = await cd.textContent();
    assert.notEqual(afterText, before, 'the countdown moves');
    assert.equal(apiCalls, 0, 'no requests while counting down');
    for (const q of ['mine', 'at_risk', 'breached', 'department', 'open']) {
      await page.locator(`.tabs a[data-queue="${q}"]`).click();
      await page.locator(`.tabs a[data-queue="${q}"][aria-current="page"]`).waitFor();
      await page.locator('.list-status', { hasText: '共' }).waitFor();
    }
  });
});

test('a repair ticket goes to closed: agent assigns, technician accepts and replies, dispatcher schedules, technician arrives and resolves, agent closes', async () => {
  const { id, number } = created.repair;
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto(`/#/tickets/${id}`);
    await page.locator('h1', { hasText: number }).waitFor();
    await expectStatus(page, 'new');
    // SLA targets and the warranty basis
    await page.locator('#sla tr[data-target="reply"] .countdown').waitFor();
    await page.locator('#ticket-warranty .badge-w-in').waitFor();
    const acts = await page.locator('#ticket-actions [data-action]').evaluateAll((b) => b.map((x) => x.dataset.action));
    assert.ok(acts.includes('assign') && !acts.includes('arrive'), acts.join());
    await act(page, 'assign', async (dlg) => { await dlg.locator('input[name="assignee_id"]').fill(String(SEED.userIds.technician)); });
    await expectStatus(page, 'assigned');
    // an internal comment and a call record
    await page.locator('#comment-form textarea').fill('客户上午在');
    await page.locator('#comment-form button[type="submit"]').click();
    await page.locator('#timeline .event-body', { hasText: '客户上午在' }).waitFor();
    await page.locator('#call-form textarea').fill('回电确认故障');
    await page.locator('#call-form button[type="submit"]').click();
    await page.locator('#timeline .ev-call .event-body', { hasText: '回电确认故障' }).waitFor();
  });
  await withPage(browser, { as: 'technician' }, async (page) => {
    await page.locator('a[data-nav="queues"]').click();
    await page.locator('.tabs a[data-queue="mine"][aria-current="page"]').waitFor();
    await page.locator('table.list tbody a', { hasText: number }).click();
    await page.locator('h1', { hasText: number }).waitFor();
    await act(page, 'accept');
    await expectStatus(page, 'in_progress');
    await act(page, 'reply', async (dlg) => { await dlg.locator('textarea[name="note"]').fill('需上门检查电源板'); });
    // a photo by drag and drop onto the drop zone
    const dt = await page.evaluateHandle((b64) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const d = new DataTransfer();
      d.items.add(new File([bin], 'board.png', { type: 'image/png' }));
      return d;
    }, PNG.toString('base64'));
    await page.locator('#dropzone').dispatchEvent('drop', { dataTransfer: dt });
    await page.locator('#timeline img.thumb[alt="board.png"]').waitFor();
  });
  await withPage(browser, { as: 'dispatcher' }, async (page) => {
    await page.goto(`/#/tickets/${id}`);
    await page.locator('h1', { hasText: number }).waitFor();
    await act(page, 'schedule_visit', async (dlg) => { await dlg.locator('input[name="visit_at"]').fill('2031-03-01T09:30'); });
    await expectStatus(page, 'visit_scheduled');
  });
  await withPage(browser, { as: 'technician', allow: /status of 409/ }, async (page) => {
    await page.goto(`/#/tickets/${id}`);
    await page.locator('h1', { hasText: number }).waitFor();
    await act(page, 'arrive');
    await expectStatus(page, 'on_site');
    // issue 11: the visit's work order is finished as done before the ticket resolves, once its
    // self-check has passed (R-149: the demo's on-site repair checklist)
    await passSelfCheck((await call('technician', 'GET', `/work-orders?ticket_id=${id}`)).data.items[0].id);
    await page.locator('article.wo [data-wo-action="finish"]').click();
    await page.locator('#wo-dlg-ok').click();
    await page.locator('article.wo[data-wo-status="done"]').waitFor();
    // a guard refusal says what to do first (err.guard.report), not "conflicts with a record"
    await page.locator('#ticket-actions [data-action="resolve"]').click();
    const dlg = page.locator('dialog.dialog');
    await dlg.locator('textarea[name="note"]').fill('更换电源板');
    await dlg.locator('#dlg-ok').click();
    const refused = dlg.locator('.field-error:not([hidden])');
    await refused.waitFor();
    assert.equal((await refused.textContent()).trim(), ZH['err.guard.report']);
    await dlg.locator('button.btn-quiet').click();
    // the service report guard is the API suite's and tech_day's (the signature): off here
    await call('admin', 'PATCH', '/settings', { report_before_resolve: false });
    try {
      await act(page, 'resolve', async (dlg) => { await dlg.locator('textarea[name="note"]').fill('更换电源板，试机正常'); });
      await expectStatus(page, 'resolved');
    } finally {
      await call('admin', 'PATCH', '/settings', { report_before_resolve: true });
    }
  });
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto(`/#/tickets/${id}`);
    await page.locator('h1', { hasText: number }).waitFor();
    await act(page, 'close');
    await expectStatus(page, 'closed');
    assert.ok(await page.locator('#timeline li').count() >= 9);
  });
});

test('QR fault report: no sign-in, nothing about the customer; photo, number, status link; the agent sees it unassigned', async () => {
  let number;
  await withPage(browser, {}, async (page) => {
    await page.goto('/r/E2E-0003');
    await page.locator('#pub-serial', { hasText: 'E2E-0003' }).waitFor();
    await page.locator('#pub-warranty .badge-w-in').waitFor();
    const text = await page.locator('body').textContent();
    assert.ok(!text.includes('澜沧江') && !text.includes('021-55551234') && !text.includes('张江'), 'no customer data on the public page');
    assert.equal(await page.locator('nav.nav').count(), 0);
    assert.equal(await page.locator('#pub-camera').getAttribute('capture'), 'environment');
    await page.locator('#pub-submit').click();
    await page.locator('#pub-msg .alert-error').waitFor();
    await page.locator('#pub-desc').fill('离心机转速上不去，有异响');
    await page.locator('#pub-pick').setInputFiles({ name: 'noise.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('#pub-photos li', { hasText: 'noise.png' }).waitFor();
    // a number the server refuses (not a mainland number) is named at its field (review 71 #7)
    await page.locator('#pub-phone').fill('12345');
    await page.locator('#pub-submit').click();
    await page.locator('#pub-msg .alert-error', { hasText: '11 位手机号' }).waitFor();
    assert.match(await page.locator('#pub-msg').textContent(), /^联系电话/);
    assert.equal(await page.locator('#pub-phone').getAttribute('aria-invalid'), 'true');
    await page.locator('#pub-phone').fill('13912345678');
    await page.locator('#pub-submit').click();
    number = (await page.locator('#pub-number').textContent()).trim();
    assert.match(number, /^SH-\d{8}-\d{4}$/);
    await page.locator('#pub-done', { hasText: '1' }).waitFor();
    await page.locator('#pub-status-link').click();
    await page.locator('#pub-status .track').waitFor();
    assert.equal((await page.locator('#pub-number').textContent()).trim(), number);
    assert.deepEqual(await page.locator('.track .step-name').allTextContents(), ['已受理', '已派工', '已出发', '已到达', '已完成']);
    assert.equal(await page.locator('.track .step-done').count(), 1);
    // the same phone again: added to the open report, whose link went to that phone by text
    // message, not to this page (whoever knows the serial and the phone number would get it)
    await page.goto('/r/E2E-0003');
    await page.locator('#pub-desc').fill('还是有异响');
    await page.locator('#pub-pick').setInputFiles({ name: 'again.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('#pub-photos li', { hasText: 'again.png' }).waitFor();
    await page.locator('#pub-phone').fill('13912345678');
    await page.locator('#pub-submit').click();
    assert.equal((await page.locator('#pub-repeat').textContent()).trim(), ZH['ui.pub.repeat']);
    assert.equal((await page.locator('#pub-number').textContent()).trim(), number);
    assert.equal((await page.locator('#pub-repeat-photos').textContent()).trim(), ZH['ui.pub.repeat_photos'].replace('{n}', '1'));
    assert.equal(await page.locator('#pub-status-link').count(), 0, 'no status link for a repeat');
    assert.ok(!(await page.locator('body').textContent()).includes('/r/s/'), 'no status address on the page');
    // an unknown serial says so
    await page.goto('/r/NO-SUCH-SERIAL');
    await page.locator('#pub-error').waitFor();
  });
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto(`/#/queues?queue=unassigned&q=${encodeURIComponent(number)}`);
    await page.locator('table.list tbody a', { hasText: number }).click();
    await page.locator('h1', { hasText: number }).waitFor();
    await page.locator('#timeline img.thumb').first().waitFor();
    assert.equal(await page.locator('.details dd', { hasText: '扫码报修' }).count(), 1);
  });
});

test('customer portal: units, a new request for their own unit, visible comments only', async () => {
  let id;
  await withPage(browser, { as: 'customer' }, async (page) => {
    await page.locator('a[data-nav="portal"]').click();
    await page.locator('h1', { hasText: '我的服务' }).waitFor();
    await page.locator('a[href^="#/units/"]', { hasText: 'E2E-0002' }).waitFor();
    // every section's counter is a number: the quotes' said "（NaN）" (review 2026-12-07 #2, M4)
    const counts = await page.locator('main section h2 .count').allTextContents();
    assert.ok(counts.length >= 3 && counts.every((c) => /\d/.test(c) && !/NaN/.test(c)), counts.join());
    assert.doesNotMatch(await page.locator('main').innerText(), /\bnull\b/);
    await page.locator('#portal-new').click();
    const label = await page.locator('#pf-unit_id option', { hasText: 'E2E-0002' }).textContent();
    assert.match(label, /^E2E-0002 · \S/, 'the model names the unit, not its serial alone (review 71 #17)');
    await page.locator('#pf-unit_id').selectOption({ label });
    await page.locator('#pf-description').fill('门封条老化，需要更换');
    await page.locator('#pf-caller_phone').fill('13800000001');
    await page.locator('button[type="submit"]').click();
    await page.locator('h1 .badge-st[data-status="new"]').waitFor();
    id = Number(page.url().split('/').pop());
    assert.equal(await page.locator('#call-form').count(), 0, 'no call records for customers');
  });
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto(`/#/tickets/${id}`);
    await page.locator('#comment-form textarea').fill('内部：备件库存 2 个');
    await page.locator('#comment-form button[type="submit"]').click();
    await page.locator('#timeline .event-body', { hasText: '备件库存' }).waitFor();
    await page.locator('#comment-form textarea').fill('已安排备件，明天联系您');
    await page.locator('#comment-form select').selectOption('customer');
    await page.locator('#comment-form button[type="submit"]').click();
    await page.locator('#timeline .event-body', { hasText: '明天联系您' }).waitFor();
  });
  await withPage(browser, { as: 'customer' }, async (page) => {
    await page.locator('a[data-nav="portal"]').click();
    await page.locator('table.list a[href="#/tickets/' + id + '"]').click();
    await page.locator('#timeline .event-body', { hasText: '明天联系您' }).waitFor();
    assert.equal(await page.locator('#timeline', { hasText: '备件库存' }).count(), 0, 'internal comment hidden');
  });
});

// Review 2026-12-07 M3: the customer downloads the service report they signed from the
// ticket page of the portal (the timeline's signature line links the signed PDF).
test('customer portal: the signed service report is linked on the ticket page and downloads', async () => {
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: SEED.units['E2E-0001'], caller_name: '王工', caller_phone: '13800000001', description: '报告下载测试' });
  await call('agent', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/schedule_visit`, { visit_at: iso(Date.now() + 3600e3) });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/arrive`, {});
  const wo = (await call('technician', 'GET', `/work-orders?ticket_id=${tk.id}`)).data.items[0];
  await passSelfCheck(wo.id);
  await call('technician', 'POST', `/work-orders/${wo.id}/signature`, { signer_name: '王工', image_png_base64: png(300, 100).toString('base64') });
  await withPage(browser, { as: 'customer' }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    const link = page.locator(`#timeline a.ev-report[data-report="${wo.id}/1"]`);
    await link.waitFor();
    assert.match(await link.innerText(), /服务报告单/);
    const href = await link.getAttribute('href');
    const got = await page.evaluate(async (u) => {
      const r = await fetch(u, { credentials: 'same-origin' });
      return [r.status, r.headers.get('content-type'), new Uint8Array(await r.arrayBuffer()).slice(0, 5).join(',')];
    }, href);
    assert.equal(got[0], 200, `the customer downloads ${href}`);
    assert.match(got[1], /application\/pdf/);
    assert.equal(got[2], [...Buffer.from('%PDF-')].join(','));
  });
});

test('language switch on the new pages', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto('/#/intake');
    await page.locator('h1', { hasText: '来电登记' }).waitFor();
    await page.getByLabel('语言').selectOption('en');
    await page.locator('h1', { hasText: 'Call intake' }).waitFor();
    await page.locator('a[data-nav="queues"]', { hasText: 'Queues' }).click();
    await page.locator('.tabs a[data-queue="unassigned"]', { hasText: 'Unassigned' }).waitFor();
    await page.goto(`/#/tickets/${created.repair.id}`);
    await page.locator('#sla h2', { hasText: 'Service-level targets' }).waitFor();
    await page.locator('#timeline h2', { hasText: 'Timeline' }).waitFor();
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.locator('#timeline h2', { hasText: '处理记录' }).waitFor();
  });
  await withPage(browser, {}, async (page) => {
    await page.goto('/r/E2E-0001');
    await page.locator('h1', { hasText: '设备报修' }).waitFor();
    await page.getByLabel('语言').selectOption('en');
    await page.locator('h1', { hasText: 'Report a fault' }).waitFor();
    await page.locator('#pub-serial', { hasText: 'E2E-0001' }).waitFor();
  });
});

// R-159 (review 71 #6): a repeat repair names and links the earlier repair on its page.
test('a repeat repair links the earlier repair by its number', async () => {
  const fc = (await call('admin', 'GET', '/fault-categories?limit=1')).data.items[0].code;
  // a customer of its own: the seed customer's units are counted by other tests (ui)
  const cust = (await call('admin', 'POST', '/customers', { name: `重复报修医院${Date.now().toString(36)}`, type: 'company' })).data.id;
  const unit = (await call('admin', 'POST', '/units', { serial_no: `RP-${Date.now().toString(36)}`,
    model_id: Object.values(SEED.models)[0], customer_id: cust, install_date: '2026-01-10' })).data.id;
  const first = (await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: unit, fault_category: fc,
    description: '第一次报修' })).data;
  await call('agent', 'POST', `/tickets/${first.id}/actions/assign`, { assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${first.id}/actions/accept`, {});
  await call('technician', 'POST', `/tickets/${first.id}/actions/resolve_remote`, { note: '远程处理' });
  const again = (await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: unit, fault_category: fc,
    description: '又坏了' })).data;
  assert.equal(again.repeat_of, first.id, 'flagged as a repeat');
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto(`/#/tickets/${again.id}`);
    const a = page.locator('#ticket-repeat-of');
    await page.locator('#ticket-repeat-of', { hasText: first.number }).waitFor();
    assert.equal(await a.getAttribute('href'), `#/tickets/${first.id}`);
  });
});
