// Issue 14 item 2: a QC inspection of a return to factory in the browser, on a phone. The
// scene (a ticket sent to the factory, the unit received) is set through the API; QC finds the
// RMA on the board, takes a photo of the incoming inspection with the camera input, records
// the findings; after the analysis and the repair QC inspects it again before it leaves,
// with a photo, and passes it. A technician's roles may not inspect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const stamp = Date.now().toString(36);

async function scene() {
  const qc = `e2e_qc_${stamp}`;
  await call('admin', 'POST', '/users', { username: qc, roles: 'qc', password: SEED.password, display_name: `质检${stamp}` });
  // a customer and unit of its own (the seed customers' units are counted elsewhere)
  const { data: c } = await call('admin', 'POST', '/customers', { name: `返厂测试客户${stamp}`, type: 'company', province: '江苏', city: '无锡' });
  const { data: u } = await call('admin', 'POST', '/units', { serial_no: `RMA${stamp}`.toUpperCase(), model_id: SEED.models['E2E-HX200'], customer_id: c.id, ship_date: '2026-10-01' });
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: u.id, caller_phone: '13900000009', description: '主轴异响', assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('technician', 'POST', `/tickets/${tk.id}/actions/send_to_factory`, { note: '电话诊断：主轴轴承损坏，返厂' });
  const { data: list } = await call('admin', 'GET', `/rmas?ticket_id=${tk.id}`);
  const rma = list.items[0];
  await call('admin', 'POST', `/rmas/${rma.id}/actions`, { action: 'receive' });
  return { qc, rma };
}

async function tap(page, sel) {
  const el = page.locator(sel);
  await el.scrollIntoViewIfNeeded();
  await el.click();
}

test('QC inspects a returned unit on a phone: incoming and outgoing, with photos', async () => {
  const { qc, rma } = await scene();
  await withPage(browser, { ...PHONE, as: qc, check: false }, async (page) => {
    await page.goto('/#/rmas');
    const card = page.locator(`[data-column="received"] [data-rma-id="${rma.id}"] a`);
    await card.scrollIntoViewIfNeeded();
    // the count is the total; the notice of a cut board shows only past 200 cards
    assert.equal(await page.locator('#rma-more').count(), 0);
    assert.doesNotMatch(await page.locator('main').textContent(), /\bnull\b|undefined/);
    await card.click();
    await page.locator('#rma-page h1 [data-rma-state="received"]').waitFor();
    // no card left out prints "null" (review 68 L1)
    assert.doesNotMatch(await page.locator('main').textContent(), /\bnull\b|undefined/);
    // findings are required: the missing field is named beside the button (review 68 M8)
    await tap(page, '#rma-do-inspect_in');
    await page.locator('#rma-inspect_in-findings:invalid').waitFor();
    await page.locator('#rma-inspect_in-missing:not([hidden])', { hasText: '请填写“检验结果”' }).waitFor();
    // the incoming inspection: the findings typed first, then a photo from the camera input;
    // the photo keeps what was typed and the phone does not scroll sideways (review 68 M8)
    await page.locator('#rma-inspect_in-findings').fill('轴承磨损，外壳完好，无进水');
    const shot = await page.screenshot();
    await page.locator('[data-phase="incoming"]').setInputFiles({ name: 'incoming.png', mimeType: 'image/png', buffer: shot });
    await page.locator('[data-photos="incoming"] img').waitFor();
    assert.equal(await page.locator('#rma-inspect_in-findings').inputValue(), '轴承磨损，外壳完好，无进水');
    const side = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(side[0] <= side[1] + 1, `no horizontal scroll with the inspection form: ${side}`);
    await tap(page, '#rma-do-inspect_in');
    await page.locator('#rma-page h1 [data-rma-state="inspected"]').waitFor();
    assert.match(await page.locator('#rma-timeline').textContent(), /轴承磨损/);
    // the timeline names QC by display name, not username (review 68 L8)
    assert.match(await page.locator('#rma-timeline li[data-ev="inspect_in"]').textContent(), new RegExp(`质检${stamp}`));
    assert.equal(await page.locator('#rma-do-analyse').count(), 0, 'QC does not analyse the cause');
    // the technical department analyses, the factory repairs
    await call('admin', 'POST', `/rmas/${rma.id}/actions`, { action: 'analyse', cause_category: 'material', cause_analysis: '轴承材料硬度不足' });
    await call('admin', 'POST', `/rmas/${rma.id}/actions`, { action: 'repair', note: '更换主轴轴承' });
    await page.reload();
    await page.locator('#rma-page h1 [data-rma-state="repaired"]').waitFor();
    // WF-06: the replacement's eligibility is shown (in warranty, a material cause)
    await page.locator('#rma-replacement[data-eligible="true"]').waitFor();
    await page.locator('[data-phase="outgoing"]').setInputFiles({ name: 'outgoing.png', mimeType: 'image/png', buffer: shot });
    await page.locator('[data-photos="outgoing"] img').waitFor();
    await page.locator('#rma-inspect_out-findings').fill('运行 30 分钟，噪音正常');
    await tap(page, '#rma-do-inspect_out');
    await page.locator('#rma-page h1 [data-rma-state="qc_passed"]').waitFor();
    assert.equal(await page.locator('[data-photos] img').count(), 2, 'both inspections keep their photo');
    // the phone shows no horizontal scroll
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(wide, false, 'no horizontal scroll on a phone');
  });
});

// WF-20 S7: a charged repair (out of warranty) ships back once finance has the payment. The
// page shows the charge unpaid; after-sales' ship-back is refused saying what is open; once
// finance recorded the payment the charge is paid and the ship-back goes through.
test('a charged repair ships back once finance has confirmed the payment', async () => {
  const { data: c } = await call('admin', 'POST', '/customers', { name: `返厂收费客户${stamp}`, type: 'company' });
  const { data: u } = await call('admin', 'POST', '/units', { serial_no: `RMC${stamp}`.toUpperCase(), model_id: SEED.models['E2E-HX200'], customer_id: c.id, ship_date: '2022-01-10' });
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: u.id, caller_phone: '13900000008', description: '进水后无法开机', assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('technician', 'POST', `/tickets/${tk.id}/actions/send_to_factory`, { note: '保外返厂维修' });
  const { data: list } = await call('admin', 'GET', `/rmas?ticket_id=${tk.id}`);
  const id = list.items[0].id;
  for (const body of [{ action: 'receive' }, { action: 'inspect_in', findings: '主板进水腐蚀' },
    { action: 'analyse', cause_category: 'use', cause_analysis: '使用不当进水', charge_fen: 128000 }]) {
    await call('admin', 'POST', `/rmas/${id}/actions`, body);
  }
  await withPage(browser, { ...PHONE, as: 'agent', check: false }, async (page) => {
    // WF-20 S4-S5: the proposed charge waits for the customer; the agent records their yes on the phone
    await page.goto(`/#/rmas/${id}`);
    await page.locator('#rma-consent[data-decision=""]').waitFor();
    assert.match(await page.locator('#rma-consent-amount').textContent(), /1,280\.00/);
    await page.locator('#rma-consent-channel').selectOption('phone');
    await page.locator('#rma-consent-note').fill('王工电话同意 1280 元');
    await tap(page, '#rma-consent-accept');
    await page.locator('#rma-consent[data-decision="accept"]').waitFor();
    assert.match(await page.locator('#rma-consent-status').textContent(), /接受.*电话/);
    assert.equal(await page.locator('#rma-consent-accept').count(), 0, 'decided once');
    for (const body of [{ action: 'repair', note: '更换主板' }, { action: 'inspect_out', findings: '出厂检验合格' }]) {
      await call('admin', 'POST', `/rmas/${id}/actions`, body);
    }
    await page.reload();
    await page.locator('#rma-charge[data-pay-state="unpaid"]').waitFor();
    await tap(page, '#rma-do-ship_back');
    const err = page.locator('#rma-act-error:not([hidden])');
    await err.waitFor();
    assert.match(await err.textContent(), /尚未付清.*1,280\.00/);
    const { data: v } = await call('admin', 'GET', `/rmas/${id}`);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await call('admin', 'POST', '/charge-payments', { charge_id: v.charge.id, payer: 'customer', amount_fen: 128000, paid_on: day, reference: `BANK-${stamp}` });
    await page.reload();
    await page.locator('#rma-charge[data-pay-state="paid"]').waitFor();
    await tap(page, '#rma-do-ship_back');
    // the ship-back is only requested: 待发回 until its shipment is dispatched (review 68 L2)
    await page.locator('#rma-page h1 [data-rma-state="shipped_back"][data-dispatched="false"]', { hasText: '待发回' }).waitFor();
    assert.doesNotMatch(await page.locator('main').textContent(), /\bnull\b|undefined|\{open\}/);
  });
});

// WF-20 S4-S5 (review 68 H2): the customer, on their own RMA page on a phone, sees the charge
// the analysis proposes (not its internal cause analysis) and declines it: nothing is billed,
// the repair is refused, and the unit ships back unrepaired.
test('a customer declines the proposed repair charge on their RMA page', async () => {
  const { data: c } = await call('admin', 'POST', '/customers', { name: `返厂确认客户${stamp}`, type: 'company' });
  const who = `e2e_cust_${stamp}`;
  await call('admin', 'POST', '/users', { username: who, roles: 'customer', password: SEED.password, display_name: `设备科${stamp}`, customer_id: c.id });
  const { data: u } = await call('admin', 'POST', '/units', { serial_no: `RMD${stamp}`.toUpperCase(), model_id: SEED.models['E2E-HX200'], customer_id: c.id, ship_date: '2022-01-10' });
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: u.id, caller_phone: '13900000006', description: '无法开机', assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('technician', 'POST', `/tickets/${tk.id}/actions/send_to_factory`, { note: '保外返厂' });
  const { data: list } = await call('admin', 'GET', `/rmas?ticket_id=${tk.id}`);
  const id = list.items[0].id;
  for (const body of [{ action: 'receive' }, { action: 'inspect_in', findings: '电源板烧毁' },
    { action: 'analyse', cause_category: 'use', cause_analysis: '内部：电压不稳烧毁电源板', charge_fen: 96000 }]) {
    await call('admin', 'POST', `/rmas/${id}/actions`, body);
  }
  await withPage(browser, { ...PHONE, as: who, check: false }, async (page) => {
    await page.goto(`/#/rmas/${id}`);
    await page.locator('#rma-consent[data-decision=""]').waitFor();
    assert.match(await page.locator('#rma-consent-amount').textContent(), /960\.00/);
    const text = await page.locator('main').textContent();
    assert.doesNotMatch(text, /\bnull\b|undefined|电压不稳/);
    assert.equal(await page.locator('#rma-consent-channel').count(), 0, 'the customer answers in the portal');
    page.once('dialog', (d) => d.accept());
    await tap(page, '#rma-consent-decline');
    await page.locator('#rma-consent[data-decision="decline"]').waitFor();
    assert.match(await page.locator('#rma-consent-status').textContent(), /拒绝.*客户门户/);
    assert.equal(await page.locator('#rma-consent-accept').count(), 0);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(wide, false, 'no horizontal scroll on a phone');
  });
  const { data: v } = await call('admin', 'GET', `/rmas/${id}`);
  assert.equal(v.rma.consent_decision, 'decline');
  assert.equal(v.rma.consent_channel, 'portal');
  assert.equal(v.charge, null);
  assert.ok(v.allowed_actions.includes('ship_back'), 'shipped back unrepaired');
  await assert.rejects(call('admin', 'POST', `/rmas/${id}/actions`, { action: 'repair', note: 'x' }), /409.*consent/);
});

// WF-06 on the RMA page: an eligible, approved replacement is taken with the old unit's
// handling and a note; the form posts both (it used to stop at the handling's field and post
// nothing).
test('a technician replaces an eligible, approved unit from the RMA page', async () => {
  const head = `e2e_head_${stamp}`;
  await call('admin', 'POST', '/users', { username: head, roles: 'dept_head', password: SEED.password, display_name: `技术部${stamp}` });
  SEED[head] = head; // call() signs in as SEED[who]
  const { data: c } = await call('admin', 'POST', '/customers', { name: `返厂更换客户${stamp}`, type: 'company' });
  const { data: u } = await call('admin', 'POST', '/units', { serial_no: `RMR${stamp}`.toUpperCase(), model_id: SEED.models['E2E-HX200'], customer_id: c.id, ship_date: '2026-10-01' });
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: u.id, caller_phone: '13900000007', description: '主轴异响', assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('technician', 'POST', `/tickets/${tk.id}/actions/send_to_factory`, { note: '主轴制造缺陷，返厂' });
  const { data: list } = await call('admin', 'GET', `/rmas?ticket_id=${tk.id}`);
  const id = list.items[0].id;
  for (const body of [{ action: 'receive' }, { action: 'inspect_in', findings: '主轴裂纹' },
    { action: 'analyse', cause_category: 'manufacturing', cause_analysis: '主轴热处理缺陷' }]) {
    await call('admin', 'POST', `/rmas/${id}/actions`, body);
  }
  const { data: ap } = await call('admin', 'POST', '/approvals', { kind: 'replacement', purpose: '主轴制造缺陷，申请整机更换', customer_id: c.id, ticket_id: tk.id });
  await call(head, 'POST', `/approvals/${ap.id}/decision`, { decision: 'approve', comment: '同意更换' });
  await withPage(browser, { ...PHONE, as: 'technician', check: false }, async (page) => {
    await page.goto(`/#/rmas/${id}`);
    await page.locator('#rma-page h1 [data-rma-state="analysed"]').waitFor();
    await page.locator('#rma-replace-old_unit_handling').selectOption('scrapped');
    await page.locator('#rma-replace-note').fill('整机更换为新机');
    await tap(page, '#rma-do-replace');
    await page.locator('#rma-page h1 [data-rma-state="replaced"]').waitFor();
    const { data: v } = await call('admin', 'GET', `/rmas/${id}`);
    assert.equal(v.rma.old_unit_handling, 'scrapped');
    assert.equal(v.rma.work_note, '整机更换为新机');
  });
});

// WF-08 (review 68 M9): a DOA unit's advance exchange from the RMA page. Sales files the
// replacement request from the page's advance card, the approver approves, after-sales takes
// the advance exchange: the new unit's shipment exists at once, the RMA still awaits the old
// unit and shows its return date.
test('after-sales ships a DOA unit\'s replacement before its return (advance exchange)', async () => {
  const head = `e2e_head2_${stamp}`;
  await call('admin', 'POST', '/users', { username: head, roles: 'dept_head', password: SEED.password, display_name: `技术部二${stamp}` });
  SEED[head] = head;
  const seller = `e2e_sales_${stamp}`;
  await call('admin', 'POST', '/users', { username: seller, roles: 'sales', password: SEED.password, display_name: `销售${stamp}` });
  const { data: c } = await call('admin', 'POST', '/customers', { name: `到货即损客户${stamp}`, type: 'company' });
  const { data: u } = await call('admin', 'POST', '/units', { serial_no: `RMX${stamp}`.toUpperCase(), model_id: SEED.models['E2E-HX200'], customer_id: c.id, ship_date: '2026-11-30' });
  const { data: tk } = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'doa', unit_id: u.id, caller_phone: '13900000005', description: '开箱无法开机', assignee_id: SEED.userIds.technician });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('technician', 'POST', `/tickets/${tk.id}/actions/send_to_factory`, { note: '到货即损，先换后返' });
  const { data: list } = await call('admin', 'GET', `/rmas?ticket_id=${tk.id}`);
  const id = list.items[0].id;
  await withPage(browser, { ...PHONE, as: seller, check: false }, async (sales) => {
    await sales.goto(`/#/rmas/${id}`);
    await sales.locator('#rma-advance-card').waitFor();
    await tap(sales, '#rma-adv-request');
    await sales.locator('#rma-adv-ok:not([hidden])').waitFor();
  });
  const { data: aps } = await call('admin', 'GET', `/approvals?ticket_id=${tk.id}`);
  await call(head, 'POST', `/approvals/${aps.items[0].id}/decision`, { decision: 'approve', comment: '同意先换后返' });
  await withPage(browser, { ...PHONE, as: 'agent', check: false }, async (page) => {
    await page.goto(`/#/rmas/${id}`);
    await page.locator('#rma-page h1 [data-rma-state="awaiting_return"]').waitFor();
    await page.locator('#rma-advance_exchange-ship_to').fill('华西口腔医院设备科');
    await tap(page, '#rma-do-advance_exchange');
    await page.locator('#rma-advance').waitFor();
    await page.locator('#rma-return-due[data-overdue="false"]').waitFor();
    assert.equal(await page.locator('#rma-do-advance_exchange').count(), 0, 'taken once');
    assert.doesNotMatch(await page.locator('main').textContent(), /\bnull\b|undefined|rma\.\w/);
    const { data: v } = await call('admin', 'GET', `/rmas/${id}`);
    assert.equal(v.rma.advance, true);
    assert.equal(v.rma.state, 'awaiting_return');
    assert.ok(v.rma.shipment_id && v.rma.return_due, 'the replacement ships, the return is due');
    assert.match(await page.locator('#rma-return-due').textContent(), new RegExp(v.rma.return_due));
    // the board filters the overdue returns (none here)
    await page.goto('/#/rmas?overdue=true');
    await page.locator('#rma-f-overdue:checked').waitFor();
    assert.equal(await page.locator(`[data-rma-id="${id}"]`).count(), 0);
  });
});
