// Fees (issue 13 items 1, 3, 4, 7) in chromium: the fee calculator shows every line with its
// rule and numbers (cabinet installation × 1.2 with the management fee on top), refuses a
// secondment under 5 days next to its input, shows a waiting fee not billed when the company
// is at fault; a secondment recorded in its form shows the fee lines; no sideways scroll on
// a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, navKeys, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const cell = (page, code, n) => page.locator(`#fee-lines tr[data-code="${code}"] > :nth-child(${n})`);

test('the fee calculator shows each line with its rule: × 1.2 and the management fee', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    assert.ok((await navKeys(page)).includes('calculator'));
    await page.goto('/#/fees?set=cabinet_install');
    await page.locator('#fee-in-price_fen').waitFor();
    await page.locator('#fee-in-price_fen').fill('123456.78');
    await page.locator('#fee-in-series').selectOption('经典系列');
    await page.locator('#fee-in-sets').fill('8');
    await page.locator('#fee-run').click();
    await page.locator('#fee-lines').waitFor();
    assert.equal(await cell(page, 'install', 3).locator('code').textContent(),
      '123456.78 × 2.20% × 6/5 = 3259.258992 → 3259.26 (half_up)');
    assert.match(await cell(page, 'install', 5).textContent(), /3,259\.26/);
    assert.match(await cell(page, 'management', 3).textContent(), /3259\.26 × 10\.00% = 325\.926 → 325\.93/);
    assert.match(await cell(page, 'management', 4).textContent(), /经销商/);
    assert.match(await page.locator('#fee-lines-total').textContent(), /3,585\.19/);
    assert.match(await page.locator('#fee-lines caption').textContent(), /规则版本 1/);
    // 30 sets: no uplift; the multiplier line says why
    await page.locator('#fee-in-sets').fill('30');
    await page.locator('#fee-run').click();
    await page.locator('#fee-lines tr[data-code="uplift"][data-applied="false"]').waitFor();
    assert.match(await cell(page, 'uplift', 3).textContent(), /条件不满足/);
    assert.match(await page.locator('#fee-lines-total').textContent(), /2,987\.66/);
  });
});

test('a secondment under 5 days is refused at its input; a waiting fee needs the customer at fault', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto('/#/fees?set=secondment');
    await page.locator('#fee-in-work_days').waitFor();
    await page.locator('#fee-in-persons').fill('1');
    await page.locator('#fee-in-work_days').fill('4.5');
    await page.locator('#fee-in-travel_days').fill('2');
    await page.locator('#fee-run').click();
    await page.locator('#fee-in-work_days-err').waitFor();
    assert.match(await page.locator('#fee-in-work_days-err').textContent(), /低于最低要求（5\.00）/);
    assert.equal(await page.locator('#fee-in-work_days').getAttribute('aria-invalid'), 'true');
    // 5.5 + 1.5 days, 2 persons: 7 days × 20 yuan × 2
    await page.locator('#fee-in-persons').fill('2');
    await page.locator('#fee-in-work_days').fill('5.5');
    await page.locator('#fee-in-travel_days').fill('1.5');
    await page.locator('#fee-run').click();
    await page.locator('#fee-lines').waitFor();
    assert.match(await cell(page, 'dispatch', 3).textContent(), /\(7\.00 → 7\.00 up\)/);
    assert.match(await page.locator('#fee-lines-total').textContent(), /280\.00/);
    // LED waiting: 3 days, the company at fault: shown, not billed
    await page.locator('select[name="rule_set"]').selectOption('led_waiting');
    await page.locator('#fee-in-waiting_days').fill('3');
    await page.locator('#fee-run').click();
    await page.locator('#fee-lines tr[data-code="waiting"][data-applied="false"]').waitFor();
    assert.match(await cell(page, 'waiting', 5).textContent(), /不计费/);
    assert.match(await page.locator('#fee-lines-total').textContent(), /0\.00/);
    await page.locator('#fee-in-customer_at_fault').check();
    await page.locator('#fee-run').click();
    await page.locator('#fee-lines tr[data-code="waiting"][data-applied="true"]').waitFor();
    assert.match(await page.locator('#fee-lines-total').textContent(), /900\.00/);
  });
});

test('a secondment recorded in its form shows the fee from the engine', async () => {
  const dealer = (await call('admin', 'POST', '/customers', { name: '滇池橱柜经销商', type: 'dealer' })).data.id;
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto('/#/secondments');
    await page.locator('#new-secondment').click();
    await page.locator('#fld-staff').waitFor();
    await page.locator('#fld-dealer_id-q').fill('滇池');
    await page.locator(`#fld-dealer_id option[value="${dealer}"]`).waitFor({ state: 'attached' });
    await page.locator('#fld-dealer_id').selectOption(String(dealer));
    await page.locator('#fld-staff').fill('张师傅');
    await page.locator('#fld-persons').fill('1');
    await page.locator('#fld-start_date').fill('2026-12-01');
    await page.locator('#fld-end_date').fill('2026-12-03');
    await page.locator('#fld-work_days').fill('5');
    await page.getByRole('button', { name: '保存' }).click();
    // a period of 3 days is refused next to the end date
    await page.locator('#fld-end_date-err').waitFor();
    assert.match(await page.locator('#fld-end_date-err').textContent(), /低于最低要求/);
    await page.locator('#fld-end_date').fill('2026-12-07');
    await page.locator('#fld-travel_days').fill('0.5');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/#\/secondments\/\d+$/);
    await page.locator('#record-fee-lines').waitFor();
    assert.match(await page.locator('#record-fee-total').textContent(), /120\.00/); // 5.5 → 6 days
    await page.goto('/#/secondments');
    await page.getByText('张师傅').waitFor();
  });
});

test('the calculator on a phone: no sideways scroll', async () => {
  await withPage(browser, { as: 'agent', viewport: { width: 390, height: 844 } }, async (page) => {
    await page.goto('/#/fees?set=cabinet_install');
    await page.locator('#fee-in-price_fen').fill('100000');
    await page.locator('#fee-in-series').selectOption('时尚系列');
    await page.locator('#fee-in-sets').fill('12');
    await page.locator('#fee-run').click();
    await page.locator('#fee-lines').waitFor();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(wide, false, 'the page scrolls sideways at 390 px');
  });
});

// Review 2026-12-07 L7: the waiting-record form offers the technician's own open work orders
// (number · customer) instead of a raw number input for 工单号.
test('waiting record on the phone: the work order is picked from the technician\'s open ones', async () => {
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: SEED.units['E2E-0001'], caller_name: '王工', caller_phone: '13800000001', description: '待工测试' });
  await call('agent', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/schedule_visit`, { visit_at: iso(Date.now() + 3600e3) });
  const wo = (await call('technician', 'GET', `/work-orders?ticket_id=${tk.id}`)).data.items[0];
  // waiting is recorded once the crew has arrived (review 72 #7)
  await call('technician', 'POST', `/work-orders/${wo.id}/actions`, { action: 'arrive' });
  await withPage(browser, { viewport: { width: 390, height: 844 }, as: 'technician' }, async (page) => {
    await page.goto('/#/waiting-records/new');
    const pick = page.locator('select#fld-work_order_id');
    await pick.locator(`option[value="${wo.id}"]`).waitFor({ state: 'attached' });
    assert.equal(await page.locator('input#fld-work_order_id').count(), 0, 'no raw number input');
    assert.match(await pick.locator(`option[value="${wo.id}"]`).innerText(), new RegExp(wo.number));
    await pick.selectOption(String(wo.id));
    // since the arrival today: 1 day fits the period (started_on to today, both counted)
    await page.locator('#fld-started_on').fill(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
    await page.locator('#fld-days').fill('1');
    await page.locator('#fld-cause').selectOption('customer_staff_absent');
    await page.locator('#fld-at_fault').selectOption('customer');
    await page.locator('#fld-confirmed_by').fill('王工');
    await page.locator('form button[type="submit"]').first().click();
    await page.waitForURL(/#\/waiting-records\/\d+/);
    const id = Number(page.url().split('/').pop());
    const rec = (await call('technician', 'GET', `/waiting-records/${id}`)).data;
    assert.equal(rec.work_order_id, wo.id);
  });
});

// Review 2026-12-07 M1: finance (here admin) bills a customer-fault waiting record's fee and
// a calculation as charge lines (source fee, with the rule version); a second bill is refused
// with its words.
test('a waiting record\'s fee and a calculation are billed as charges', async () => {
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: SEED.units['E2E-0001'], caller_name: '王工', caller_phone: '13800000001', description: '待工计费' });
  await call('agent', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('dispatcher', 'POST', `/tickets/${tk.id}/actions/schedule_visit`, { visit_at: iso(Date.now() + 3600e3) });
  const wo = (await call('technician', 'GET', `/work-orders?ticket_id=${tk.id}`)).data.items[0];
  await call('technician', 'POST', `/work-orders/${wo.id}/actions`, { action: 'arrive' });
  const rec = (await call('technician', 'POST', '/waiting-records', { work_order_id: wo.id, started_on: day, days: '1', cause: 'customer_staff_absent', at_fault: 'customer', confirmed_by: '王工' })).data;
  await withPage(browser, { as: 'admin' }, async (page) => {
    await page.goto(`/#/waiting-records/${rec.id}`);
    await page.locator('#record-bill-run').click();
    await page.locator('#record-billed').waitFor();
    assert.match(await page.locator('#record-billed').textContent(), /已生成收费明细 #\d+：¥?300\.00/);
    const { data: charges } = await call('admin', 'GET', `/charges?owner_kind=work_order&owner_id=${wo.id}`);
    assert.equal(charges.items.length, 1);
    assert.equal(charges.items[0].source, 'fee');
    assert.equal(charges.items[0].fee_version_id, rec.fee_version_id);
    // reopened: the record says which charge it is, and offers no second bill
    await page.reload();
    await page.locator('#record-billed').waitFor();
    assert.equal(await page.locator('#record-bill-run').count(), 0);
    // the calculator's result billed to the ticket: two charges, paid by the dealer
    const dealer = (await call('admin', 'POST', '/customers', { name: '洱海橱柜经销商', type: 'dealer' })).data.id;
    await page.goto('/#/fees?set=cabinet_install');
    await page.locator('#fee-in-price_fen').fill('123456.78');
    await page.locator('#fee-in-series').selectOption('经典系列');
    await page.locator('#fee-in-sets').fill('8');
    await page.locator('#fee-run').click();
    await page.locator('#fee-bill-form').waitFor();
    await page.locator('#fee-bill-form select[name="owner_kind"]').selectOption('ticket');
    await page.locator('#fee-bill-form input[name="owner_id"]').fill(String(tk.id));
    await page.locator('#fee-bill').click();
    await page.locator('#fee-bill-msg [role="alert"]').waitFor();
    assert.match(await page.locator('#fee-bill-msg').textContent(), /必填|required/i);
    await page.locator('#fee-bill-form input[name="dealer_id"]').fill(String(dealer));
    await page.locator('#fee-bill').click();
    await page.locator('#fee-billed').waitFor();
    assert.match(await page.locator('#fee-billed').textContent(), /2 笔收费明细，合计 ¥?3,585\.19/);
    assert.equal(await page.locator('#fee-billed a.bill-owner').getAttribute('href'), `#/tickets/${tk.id}`);
  });
});
