// Issue 18 item 4: the knowledge base in the browser. An agent types a fault description at
// intake and the matching published article is suggested beside the form (loaded after the
// page, while typing); a technician opens a ticket resolved by phone, makes an article from
// it, finds the description and the resolution note carried over into the editor, saves it
// and reads it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, SEED, call as apiCall } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const call = async (who, method, path, body, ifMatch) => (await apiCall(who, method, path, body, ifMatch)).data;

test('agent at intake: typing a fault description shows the matching article', async () => {
  const tag = String(Date.now()).slice(-6);
  const a = await call('admin', 'POST', '/kb-articles', {
    title: `冷凝水泵报警处理${tag}`, symptom: '冷凝水泵报警，排水口溢水', cause: '排水管被异物堵塞',
    solution: '拆下排水管清理后复位报警', status: 'published' });
  await withPage(browser, { as: 'agent' }, async (page) => {
    await page.goto('/#/intake');
    await page.locator('#intake-form').waitFor();
    // the form is usable before any suggestion arrives
    await page.locator('#in-description').fill('冷凝水泵报警，排水口溢水');
    const item = page.locator(`#kb-suggest-list li[data-article="${a.id}"]`);
    await item.waitFor({ timeout: 10000 });
    assert.match(await item.textContent(), /冷凝水泵报警处理/);
  });
});

test('technician makes an article from a resolved ticket', async () => {
  const tech = SEED.userIds.technician;
  const desc = `触摸屏无响应，重启后仍然失灵${String(Date.now()).slice(-4)}`;
  const tk = await call('agent', 'POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: SEED.units['E2E-0001'], caller_phone: '13800000003', description: desc });
  await call('agent', 'POST', `/tickets/${tk.id}/actions/assign`, { assignee_id: tech });
  await call('technician', 'POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('technician', 'POST', `/tickets/${tk.id}/actions/resolve_remote`, { note: '指导客户重新校准触摸屏后恢复' });
  await withPage(browser, { as: 'technician' }, async (page) => {
    await page.goto(`/#/tickets/${tk.id}`);
    const btn = page.locator('#kb-from-ticket');
    await btn.waitFor();
    await btn.click();
    await page.locator('#fld-symptom').waitFor();
    assert.equal(await page.locator('#fld-symptom').inputValue(), desc);
    assert.match(await page.locator('#fld-solution').inputValue(), /重新校准触摸屏/);
    await page.locator('#fld-title').fill('触摸屏失灵：重新校准');
    await page.locator('form.form button[type=submit]').click();
    await page.locator('#kb-solution').waitFor();
    assert.match(await page.locator('#kb-title').textContent(), /触摸屏失灵：重新校准/);
    assert.match(await page.locator('#kb-solution').textContent(), /重新校准触摸屏/);
  });
});
