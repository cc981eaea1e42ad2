// Forms built from GET /api/v1/meta (issue 9 item 3) and errors translated from their
// reason (item 4), end to end in chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, signIn, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the unit form renders its fields, labels, limits and enum options from /meta', async () => {
  await withPage(browser, {}, async (page) => {
    let metaCalls = 0;
    page.on('request', (r) => { if (r.url().endsWith('/api/v1/meta')) metaCalls += 1; });
    await signIn(page, 'admin', SEED.adminPassword);
    const meta = await page.evaluate(async () => (await fetch('/api/v1/meta')).json());
    const unit = Object.fromEntries(meta.entities.unit.columns.map((c) => [c.name, c]));
    await page.goto('/#/units/new');
    await page.locator('#fld-serial_no').waitFor();
    // limits and required flags come from the declaration
    assert.equal(await page.locator('#fld-serial_no').getAttribute('maxlength'), String(unit.serial_no.maxlength));
    assert.equal(await page.locator('#fld-serial_no').getAttribute('required'), '');
    assert.equal(await page.locator('#fld-notes').getAttribute('maxlength'), String(unit.notes.maxlength));
    // the status picker offers exactly the declared values, labelled from the catalogue
    const values = await page.locator('#fld-status option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(values, unit.status.enum);
    assert.equal((await page.locator('#fld-status option[value="installed"]').textContent()).trim(), '已安装');
    // labels from the catalogue
    assert.match(await page.locator('label[for="fld-serial_no"]').textContent(), /序列号/);
    assert.match(await page.locator('label[for="fld-ship_date"]').textContent(), /发货日期/);
    // the dates of past events (past in /meta) stop at the company's today; a planned one does not
    const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
    for (const f of ['production_date', 'ship_date', 'install_date']) {
      assert.ok(unit[f].past, `${f} is past in /meta`);
      assert.equal(await page.locator(`#fld-${f}`).getAttribute('max'), today, `${f} stops at today`);
    }
    assert.equal(await page.locator('#fld-warranty_end_override').getAttribute('max'), null);
    await page.goto('/#/customers/new');
    await page.locator('#fld-type').waitFor();
    const types = await page.locator('#fld-type option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(types, meta.entities.customer.columns.find((c) => c.name === 'type').enum);
    assert.ok(metaCalls <= 2, `meta loaded once per sign-in (${metaCalls} requests)`);
  });
});

test('a field error is translated from its reason and params, not the English message', async () => {
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto('/#/customers/new');
    await page.locator('#fld-name').waitFor();
    // the form's maxlength stops typing past the limit: the request goes around it
    await page.evaluate(() => document.getElementById('fld-name').removeAttribute('maxlength'));
    await page.locator('#fld-name').fill('长'.repeat(101));
    await page.locator('#fld-type').selectOption('company');
    await page.getByRole('button', { name: '保存' }).click();
    const err = page.locator('#fld-name-err');
    await err.waitFor();
    assert.equal((await err.textContent()).trim(), '最多 100 个字符。');
    assert.doesNotMatch(await page.locator('main').textContent(), /longer than/);
  });
});
