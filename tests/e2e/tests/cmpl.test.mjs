// Issue 14 item 4: a customer complaint / return notice (客户抱怨(退货)通知单, F-11) from entry to
// analysis on a phone. The desk files it (a serious defect: the general manager is told at
// once), routes it to QA; QA acknowledges (through the API) and the department head records
// the cause and the corrective action on the phone. E2E_SHOTS=1 saves
// docs/screenshots/complaint-phone.png.
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

test('a complaint notice from entry to analysis on a phone', async () => {
  const desk = `e2e_desk_${stamp}`;
  const head = `e2e_head_${stamp}`;
  await call('admin', 'POST', '/users', { username: desk, roles: 'agent', password: SEED.password, display_name: `客服${stamp}` });
  await call('admin', 'POST', '/users', { username: head, roles: 'dept_head', password: SEED.password, display_name: `部长${stamp}` });
  const { data: c } = await call('admin', 'POST', '/customers', { name: `抱怨客户${stamp}`, type: 'company', province: '北京' });
  await withPage(browser, { ...PHONE, as: desk, check: false }, async (page) => {
    await page.goto('/#/complaints/new');
    await page.locator('#cmpl-form').waitFor();
    await page.locator('#cmpl-customer_id').fill(String(c.id));
    await page.locator('#cmpl-channel').selectOption('letter');
    await page.locator('#cmpl-product').fill('衣柜门板');
    await page.locator('#cmpl-batch').fill('B2611');
    await page.locator('#cmpl-description').fill('来函：门板明显开裂，要求更换');
    await page.locator('#cmpl-request').selectOption('replace');
    await page.locator('#cmpl-defect').selectOption('cracking');
    await tap(page, '#cmpl-save');
    await page.locator('#cmpl-page h1 [data-state="received"]').waitFor();
    assert.equal(await page.locator('#cmpl-page h1 [data-serious="1"]').count(), 1, 'a serious quality problem');
    await page.locator('#cmpl-escalated').waitFor(); // the general manager was told
    assert.doesNotMatch(await page.locator('main').innerText(), /null/, 'no "null" text (review 71 #24)');
    // route it to QA
    // by name, not by ids or role codes (review 71 #24)
    await page.locator('#cmpl-route-department_ids input').first().waitFor();
    await page.locator('#cmpl-route-roles label', { hasText: '质检' }).locator('input').check();
    await tap(page, '#cmpl-do-route');
    await page.locator('#cmpl-page h1 [data-state="routed"]').waitFor();
    const routes = await page.locator('#cmpl-routes').textContent();
    assert.match(routes, /质检/);
    assert.doesNotMatch(routes, /\bqc\b/, 'the role by its name');
    const id = Number((await page.url()).match(/complaints\/(\d+)/)[1]);
    const { data: v } = await call('admin', 'GET', `/complaints/${id}`);
    await call('admin', 'POST', `/complaints/${id}/routes/${v.routes[0].id}/ack`, { note: '已收样品' });
    // the department head analyses on the phone
    await withPage(browser, { ...PHONE, as: head, check: false }, async (hp) => {
      await hp.goto(`/#/complaints/${id}`);
      await hp.locator('#cmpl-page h1 [data-state="routed"]').waitFor();
      await hp.locator('#cmpl-analyse-cause_category').selectOption('material');
      await hp.locator('#cmpl-analyse-cause_analysis').fill('板材含水率超标导致开裂');
      await tap(hp, '#cmpl-do-analyse');
      await hp.locator('#cmpl-analyse-corrective_action:invalid').waitFor(); // the corrective action is required
      await hp.locator('#cmpl-analyse-corrective_action').fill('来料检验增加含水率抽检');
      await tap(hp, '#cmpl-do-analyse');
      await hp.locator('#cmpl-page h1 [data-state="analysed"]').waitFor();
      assert.match(await hp.locator('#cmpl-timeline').textContent(), /板材含水率超标/);
      assert.equal(await hp.locator('#cmpl-do-act').count(), 1, 'the head decides next');
      const wide = await hp.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      assert.equal(wide, false, 'no horizontal scroll on a phone');
      if (process.env.E2E_SHOTS) await hp.screenshot({ path: new URL('../../../docs/screenshots/complaint-phone.png', import.meta.url).pathname, fullPage: true });
      // the register counts it, with its Excel export
      await hp.goto(`/#/reports/complaints?customer_id=${c.id}`);
      await hp.locator('#cr-report tr.total').waitFor();
      assert.match(await hp.locator('#cr-report').textContent(), /信件/);
      assert.match(await hp.locator('#export-xlsx').getAttribute('href'), /format=xlsx/);
    });
  });
});
