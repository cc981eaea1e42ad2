// The account statement (review 2026-12-07 #2, M4 and M6) in chromium: a customer on a phone
// sees in the portal what it owes, its open credit and what it paid, opens 我的账单 and reads
// its own part of each charge (not the whole) and its payments, with no sideways scroll; staff
// open a customer's statement from the receivables.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const fen = (n) => (n / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

test('the customer reads its account on a phone: totals, its part, its payments', async () => {
  const tag = Date.now().toString(36);
  const hd = SEED.customerOf.customer;
  // a ticket of the customer without a unit: the customer's units are counted by other tests
  const id = (await call('admin', 'POST', '/tickets', { channel: 'phone', type: 'repair', customer_id: hd, description: '对账单维修' })).data.id;
  const dealer = (await call('admin', 'POST', '/customers', { name: `对账经销商${tag}`, type: 'dealer' })).data.id;
  const c = (await call('admin', 'POST', '/charges', { owner_kind: 'ticket', owner_id: id, description: `对账单费用${tag}`,
    amount_fen: 88800, customer_share_bp: 5000, dealer_share_bp: 5000, dealer_id: dealer })).data;
  await call('admin', 'POST', '/charge-payments', { charge_id: c.id, payer: 'customer', amount_fen: 10000, paid_on: today(), reference: `HK${tag}` });
  const want = (await call('admin', 'GET', `/account?customer_id=${hd}`)).data;
  await withPage(browser, { as: 'customer', viewport: { width: 390, height: 844 } }, async (page) => {
    await page.goto('/#/portal');
    const tiles = page.locator('#portal-account #acct-tiles');
    await tiles.waitFor();
    assert.match(await tiles.locator('.acct-owed').textContent(), new RegExp(fen(want.owed_fen).replace('.', '\\.')));
    await page.locator('#portal-account-more').click();
    const row = page.locator('table.list tbody tr', { hasText: `对账单费用${tag}` }).first();
    await row.waitFor();
    const text = await row.textContent();
    assert.match(text, /444\.00/, 'its part, half of ¥888');
    assert.match(text, /100\.00/, 'what it paid');
    assert.doesNotMatch(text, /888\.00/, 'never the whole');
    assert.match(text, /部分已付/);
    assert.match(await page.locator('body').textContent(), new RegExp(`HK${tag}`), 'its payment listed');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(wide, false, 'no sideways scroll on a phone');
    await page.locator('#acct-open').click();
    await page.waitForFunction(() => location.hash.includes('open=true'));
    await page.locator('table.list tbody tr', { hasText: `对账单费用${tag}` }).first().waitFor();
    // more credit than owed (review 71 #22): a balance in the customer's favour, not "-¥1,500.00 to pay"
    const over = await page.evaluate(async () => (await import('/js/views/account.js'))
      .accountTiles({ owed_fen: 0, credit_fen: 150000, balance_fen: -150000, paid_fen: 0 })
      .querySelector('.acct-balance').textContent);
    assert.match(over, /余额（可抵扣）/);
    assert.match(over, /1,500\.00/);
    assert.doesNotMatch(over, /-/, 'no negative amount');
  });
  await withPage(browser, { as: 'admin' }, async (page) => {
    await page.goto(`/#/receivables?as_of=${today()}&by=dealer`);
    await page.locator('#recv-table a.recv-party', { hasText: `对账经销商${tag}` }).click();
    await page.locator('h1', { hasText: `对账经销商${tag}` }).waitFor();
    const row = page.locator('table.list tbody tr', { hasText: `对账单费用${tag}` }).first();
    assert.match(await row.textContent(), /444\.00/, "the dealer's part");
    assert.match(await row.textContent(), /经销商承担/);
  });
});
