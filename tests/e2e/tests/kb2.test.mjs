// Issue 18, the gaps closed after the first pass. A technician on a 390 × 844 phone attaches a
// photo to a knowledge article, sees it listed with its thumbnail, downloads it and removes it;
// the search boxes of the department's lists (spot checks, conduct complaints, leads) find a
// record by a Chinese word instead of answering an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, SEED, call as apiCall } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 } };
const stamp = String(Date.now()).slice(-7);
const call = async (who, method, path, body) => (await apiCall(who, method, path, body)).data;

async function tap(page, sel) {
  const el = page.locator(sel).first();
  await el.scrollIntoViewIfNeeded();
  await el.click();
}

test('technician attaches a photo to an article on a phone, downloads and removes it', async () => {
  const a = await call('technician', 'POST', '/kb-articles', { title: `电机异响排查${stamp}`, solution: '更换轴承' });
  await withPage(browser, { ...PHONE, as: 'technician' }, async (page) => {
    await page.goto(`/#/kb/${a.id}`);
    await page.locator('#kb-attachments').waitFor();
    const shot = await page.screenshot();
    await page.locator('#kb-attachments input[type=file]:not([capture])').setInputFiles({ name: `轴承${stamp}.png`, mimeType: 'image/png', buffer: shot });
    const item = page.locator('#kb-att-list li.kb-att', { hasText: `轴承${stamp}.png` });
    await item.waitFor();
    await item.locator('img.kb-att-thumb').waitFor();
    const href = await item.locator('a').getAttribute('href');
    const got = await page.evaluate(async (u) => { const r = await fetch(u); return [r.status, (await r.arrayBuffer()).byteLength]; }, href);
    assert.deepEqual(got, [200, shot.length]);
    page.once('dialog', (d) => d.accept());
    await tap(page, '#kb-att-list li.kb-att button');
    await page.locator('#kb-att-list li.hint').waitFor();
  });
});

test('the search boxes of the discipline and lead lists find a record by a Chinese word', async () => {
  const tech = SEED.userIds.technician;
  const sc = await call('admin', 'POST', '/spot-checks', { kind: 'patrol', checked_on: '2026-12-01', subject: 'other', summary: `巡查灭火器过期${stamp}` });
  const cc = await call('admin', 'POST', '/conduct-complaints', { staff_user_id: tech, category: 'arguing', source: 'customer_call', occurred_on: '2026-12-01', description: `与客户争吵${stamp}` });
  const ld = await call('admin', 'POST', '/leads', { title: `推荐稳压电源${stamp}` });
  await withPage(browser, { as: 'admin' }, async (page) => {
    for (const [hash, word, id] of [['/spot-checks', '灭火器', sc.id], ['/conduct-complaints', '争吵', cc.id], ['/leads', '稳压', ld.id]]) {
      await page.goto(`/#${hash}`);
      // the previous list stays on screen until this one is drawn: take the search box of the
      // view whose export link names this list
      await page.locator(`#export-xlsx[href^="/api/v1${hash}?"]`).waitFor();
      const box = page.locator('form.filters input[name=q]');
      await box.fill(`${word}`);
      await box.press('Enter');
      await page.locator(`table.list tr[data-id="${id}"]`).waitFor();
      assert.equal(await page.locator('.list-status.error, .alert-error').count(), 0, `${hash} shows an error`);
    }
  });
});
