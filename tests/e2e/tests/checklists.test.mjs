// The admin screen of checklist templates (issue 11 item 4): the list with the shipped
// templates of the source documents, a new template, items in order with a limit typed as a
// decimal and stored as hundredths, a refusal translated from its reason, reordering.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const rowsOf = (page) => page.locator('#checklist-items tbody tr').evaluateAll(
  (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 4).map((td) => td.textContent.trim())));

test('an admin configures a checklist: header, a measurement < 2 mm, a check, reorder', async () => {
  await withPage(browser, { allow: /409|Conflict/, as: 'admin' }, async (page) => {
    await page.locator('a[data-nav="checklists"]').click();
    await page.locator('#checklist-templates').waitFor();
    const list = await page.locator('#checklist-templates').textContent();
    if (/INSTF-CABINET/.test(list)) assert.match(list, /整体厨柜/, 'the demo cabinet checklist is listed');
    await page.locator('#checklist-new').click();
    await page.locator('#checklist-header').waitFor();
    const code = `E2E-${Date.now()}`;
    await page.locator('#checklist-header [name="code"]').fill(code);
    await page.locator('#checklist-header [name="name"]').fill('衣柜安装自检');
    await page.getByLabel('产品类别').selectOption('appliance');
    await page.getByLabel('型号系列（开头文字）').fill('整体衣柜');
    await page.getByLabel('派工类型').selectOption('installation');
    await page.getByLabel('施工后至少照片数').fill('2');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.locator('#checklist-items').waitFor();
    const id = Number(/#\/checklists\/(\d+)/.exec(page.url())[1]);
    assert.ok(id > 0, 'saved and opened');

    // a measurement without a limit is refused, the message from the catalogue
    const form = page.locator('#checklist-item-form');
    await form.getByLabel('类型').selectOption('measure');
    await form.locator('[name="label"]').fill('门板之间缝位');
    await form.getByRole('button', { name: '保存检查项' }).click();
    const err = form.locator('[data-field="max_centi"] .field-error');
    await err.waitFor();
    assert.equal((await err.textContent()).trim(), '此项必填。');
    // "less than 2 mm"
    await form.getByLabel('上限', { exact: true }).fill('2');
    await form.getByLabel('单位').fill('mm');
    await form.getByLabel('依据条款').fill('INSTF 四.4');
    await form.getByRole('button', { name: '保存检查项' }).click();
    await page.locator('#checklist-items tbody tr').first().waitFor();
    assert.deepEqual(await rowsOf(page), [['测量', '门板之间缝位', '< 2 mm']]);
    // a yes/no check, then moved to the top
    await page.locator('#checklist-item-form [name="label"]').fill('柜体结构牢固');
    await page.locator('#checklist-item-form').getByRole('button', { name: '保存检查项' }).click();
    await page.locator('#checklist-items tbody tr:nth-child(2)').waitFor();
    await page.getByRole('button', { name: '第 2 项上移' }).click();
    await page.waitForFunction(() => document.querySelector('#checklist-items tbody tr td:nth-child(3)')?.textContent.includes('柜体结构牢固'));
    assert.deepEqual(await rowsOf(page), [['检查', '柜体结构牢固', ''], ['测量', '门板之间缝位', '< 2 mm']]);

    // stored exactly, in hundredths
    const items = await page.evaluate(async (tid) => (await (await fetch(`/api/v1/checklist-items?template_id=${tid}&sort=position`)).json()).items, id);
    assert.equal(items.length, 2);
    assert.equal(items[1].max_centi, 200);
    assert.equal(items[1].max_inclusive, false);
    const tpl = await page.evaluate(async (tid) => (await fetch(`/api/v1/checklist-templates/${tid}`)).json(), id);
    assert.equal(tpl.product_category, 'appliance');
    assert.equal(tpl.work_order_kind, 'installation');
    assert.equal(tpl.photos_after_min, 2);
  });
});

test('the checklist screen is not offered to a technician', async () => {
  await withPage(browser, { allow: /409|Conflict/, as: SEED.technician || 'technician' }, async (page) => {
    assert.equal(await page.locator('a[data-nav="checklists"]').count(), 0);
  });
});
