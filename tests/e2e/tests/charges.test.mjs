// Charges, payments and costs (issue 13 item 6) in chromium: on a ticket page a charge is
// added with a split that must add up to 100 % (the refusal is shown in the form), a payment
// is recorded and the state follows (部分收款, then 已收清); the receivables page and the cost
// report (on a 390 px phone, no sideways scroll) show their tables with an Excel export. A
// customer sees only its own part of a split charge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function ticketOfOwn() {
  const tag = Date.now().toString(36);
  const customer = (await call('admin', 'POST', '/customers', { name: `收费测试客户${tag}`, type: 'company', province: '云南' })).data.id;
  const model = Object.values(SEED.models)[0];
  const unit = (await call('admin', 'POST', '/units', { serial_no: `CHG-${tag}`, model_id: model, customer_id: customer })).data.id;
  return (await call('admin', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: unit, description: '收费维修' })).data.id;
}

test('a charge with a split on the ticket page, then payments until paid', async () => {
  const id = await ticketOfOwn();
  await withPage(browser, { as: 'admin' }, async (page) => {
    await page.goto(`/#/tickets/${id}`);
    await page.locator('#chg-panel').waitFor();
    await page.locator('#chg-add').click();
    await page.locator('#chg-desc').fill('更换主板人工费');
    await page.locator('#chg-amount').fill('100.01');
    await page.locator('#chg-pct-customer').fill('80');
    await page.locator('#chg-save').click();
    const err = page.locator('#chg-add-form .alert-error');
    await err.waitFor();
    assert.match(await err.textContent(), /100%/);
    await page.locator('#chg-pct-customer').fill('100');
    await page.locator('#chg-save').click();
    const row = page.locator('#chg-table tbody tr').first();
    await row.waitFor();
    assert.match(await row.textContent(), /更换主板人工费/);
    assert.match(await row.textContent(), /100\.01/);
    assert.match(await row.textContent(), /未收款/);
    await row.locator('.chg-pay').click();
    await page.locator('.chg-pay-amount').fill('50');
    await page.locator('.chg-pay-save').click();
    await page.locator('#chg-table .badge-pay-part_paid').waitFor();
    await page.locator('#chg-table .chg-pay').click();
    await page.locator('.chg-pay-amount').fill('50.01');
    await page.locator('.chg-pay-save').click();
    await page.locator('#chg-table .badge-pay-paid').waitFor();
    assert.equal(await page.locator('#chg-table .chg-pay').count(), 0);
  });
});

// One bank transfer for three charges: picked on the card, one amount (their open total by
// default) and one reference, allocated by the server (review 68 M7); then a credit line
// applied to the customer's open charge with 抵扣 (M11).
test('one receipt for the selected charges; a credit applied', async () => {
  const id = await ticketOfOwn();
  const tag = Date.now().toString(36);
  const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  for (const [desc, fen] of [['人工费', 30000], ['材料费', 42600]]) {
    await call('admin', 'POST', '/charges', { owner_kind: 'ticket', owner_id: id, description: `${desc}${tag}`, amount_fen: fen, customer_share_bp: 10000 });
  }
  await withPage(browser, { as: 'admin' }, async (page) => {
    await page.goto(`/#/tickets/${id}`);
    await page.locator('#chg-table tbody tr').nth(1).waitFor();
    assert.equal(await page.locator('#chg-receipt').isDisabled(), true, 'nothing picked yet');
    const boxes = page.locator('#chg-table .chg-pick');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.locator('#chg-receipt').click();
    assert.equal(await page.locator('#rcp-amount').inputValue(), '726.00', 'the open total by default');
    await page.locator('#rcp-ref').fill(`HK-${tag}`);
    await page.locator('#rcp-save').click();
    await page.locator('#chg-panel .alert-success').waitFor();
    assert.equal(await page.locator('#chg-table .badge-pay-paid').count(), 2);
    const pays = (await call('admin', 'GET', `/charge-payments?reference=HK-${tag}`)).data.items;
    assert.equal(pays.length, 2, 'one payment per charge');
    assert.equal(new Set(pays.map((p) => p.receipt_id)).size, 1, 'one receipt');
    // a credit of 100 against a new charge of 300: the charge part-paid, the credit used up
    await call('admin', 'POST', '/charges', { owner_kind: 'ticket', owner_id: id, description: `复检费${tag}`, amount_fen: 30000, customer_share_bp: 10000, charged_on: day });
    await call('admin', 'POST', '/charges', { owner_kind: 'ticket', owner_id: id, description: `投诉补偿${tag}`, category: 'credit', amount_fen: -10000, customer_share_bp: 10000, charged_on: day });
    await page.reload();
    await page.locator('#chg-table .chg-credit-apply').waitFor();
    await page.locator('#chg-table .chg-credit-apply').click();
    await page.locator('.chg-apply-form button[type=submit]').click();
    await page.locator('#chg-table .badge-pay-part_paid').waitFor();
    assert.equal(await page.locator('#chg-table .chg-credit-apply').count(), 0, 'the credit used up');
  });
});

// A customer reads its own part of a split charge and what it paid, not the whole or the
// dealer's share (review 2026-12-07 #2, M5); a reader without write rights (the agent, the
// customer) gets no add button and no stray "null" text in the card (L1).
test('the customer sees its own part of a split charge; no "null" for readers', async () => {
  const tag = Date.now().toString(36);
  const hd = SEED.customerOf.customer;
  // a ticket of the customer without a unit: the customer's units are counted by other tests
  const id = (await call('admin', 'POST', '/tickets', { channel: 'phone', type: 'repair', customer_id: hd, description: '协商分摊维修' })).data.id;
  const dealer = (await call('admin', 'POST', '/customers', { name: `分摊经销商${tag}`, type: 'dealer' })).data.id;
  const c = (await call('admin', 'POST', '/charges', {
    owner_kind: 'ticket', owner_id: id, description: `人为损坏维修（协商分摊）${tag}`, category: 'repair',
    amount_fen: 100000, customer_share_bp: 5000, dealer_share_bp: 5000, dealer_id: dealer })).data;
  await call('admin', 'POST', '/charge-payments', { charge_id: c.id, payer: 'customer', amount_fen: 20000, paid_on: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) });
  await withPage(browser, { as: 'customer', viewport: { width: 390, height: 844 } }, async (page) => {
    await page.goto(`/#/tickets/${id}`);
    const row = page.locator('#chg-table[data-view=own] tbody tr').first();
    await row.waitFor();
    const text = await row.textContent();
    assert.match(text, /500\.00/, 'its own part');
    assert.match(text, /200\.00/, 'what it paid');
    assert.match(text, /部分已付/, 'the state of its part');
    assert.doesNotMatch(text, /1,000\.00|1000\.00|经销商|未收款/, 'neither the whole, the split nor the whole\'s state');
    const card = await page.locator('#chg-panel').textContent();
    assert.doesNotMatch(card, /null/);
    assert.equal(await page.locator('#chg-add').count(), 0);
  });
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto(`/#/tickets/${id}`);
    await page.locator('#chg-table tbody tr').first().waitFor();
    assert.match(await page.locator('#chg-table').textContent(), /经销商/, 'staff read the split');
    assert.doesNotMatch(await page.locator('#chg-panel').textContent(), /null/);
    assert.equal(await page.locator('#chg-add').count(), 0);
  });
});

test('receivables and the cost report with their exports; the cost report fits a phone', async () => {
  await withPage(browser, { as: 'admin' }, async (page) => {
    await page.goto('/#/receivables');
    await page.locator('#recv-table').waitFor();
    assert.match(await page.locator('#recv-export').getAttribute('href'), /format=xlsx/);
    await page.locator('#recv-by').selectOption('dealer');
    await page.locator('#recv-form button[type=submit]').click();
    await page.waitForURL(/by=dealer/);
    await page.locator('#recv-table').waitFor();
  });
  await withPage(browser, { as: 'admin', viewport: { width: 390, height: 844 } }, async (page) => {
    await page.goto('/#/cost-report?group=customer');
    await page.locator('#cost-table').waitFor();
    await page.locator('#rev-table').waitFor();
    assert.match(await page.locator('#cost-export').getAttribute('href'), /group=customer.*format=xlsx|format=xlsx.*group=customer/);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(wide, false, 'no sideways scroll on a phone');
  });
});
