// Issue 12 items 2, 5 and 8: an installation project on a 390 × 844 phone. The scene is set
// through the API (admin: a contract with installation and two units; agent: the project;
// dispatcher: the visit; technician: arrives, passes the self-check, finishes). Then in the
// browser the technician opens the project, the customer signs the acceptance (项目验收单)
// drawn with the mouse, then the training record (培训确认单) with four trainees, one beyond
// the three free seats. The units get their install date; no screen scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, noSideScroll, withPage, call, passSelfCheck, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { width: 390, height: 844 };
const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

async function draw(page, canvas) {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + 20 + i * 14, box.y + box.height / 2 - Math.sin(i / 3) * 50, { steps: 2 });
  await page.mouse.up();
}

// A project in progress whose visit is done with its self-check passed.
async function scene() {
  const tag = Date.now().toString(36);
  // a customer of its own: its units stay out of the seed customers other tests count
  const customer = (await call('admin', 'POST', '/customers', { name: `安装测试客户${tag}`, type: 'company', province: '云南', city: '昆明' })).data.id;
  const model = Object.values(SEED.models)[0];
  const k = (await call('admin', 'POST', '/contracts', { number: `HT-E2E-${tag}`, customer_id: customer, start_date: '2026-01-01', installation_included: true, training_seats: 3 })).data;
  const serials = [`AZ${tag}-1`, `AZ${tag}-2`]; // no "E2E-": ui.test counts those
  const units = [];
  for (const s of serials) units.push((await call('admin', 'POST', '/units', { serial_no: s, model_id: model, customer_id: customer, contract_id: k.id, ship_date: '2026-11-20' })).data.id);
  const p = (await call('agent', 'POST', '/installation-projects', { customer_id: customer, unit_ids: units, agreed_date: '2026-12-20' })).data;
  const wo = (await call('dispatcher', 'POST', `/installation-projects/${p.id}/work-orders`, { lead_id: SEED.userIds.technician, appointment_at: isoZ(Date.now() + 3600e3), override_reason: 'e2e' })).data;
  await call('technician', 'POST', `/work-orders/${wo.id}/actions`, { action: 'arrive' });
  await passSelfCheck(wo.id);
  await call('technician', 'POST', `/work-orders/${wo.id}/actions`, { action: 'finish', result: 'done' });
  return { p, units, serials };
}

test('customer signs acceptance and training on the technician\'s 390 px phone', async () => {
  const { p, units, serials } = await scene();
  await withPage(browser, { viewport: PHONE, as: 'technician' }, async (page) => {
    await page.goto(`/#/projects/${p.id}`);
    await page.locator('#ip-accept').waitFor();
    await noSideScroll(page, 'project');
    // the acceptance: the units with their serials, the signer, the signature
    await page.locator('#ip-accept').click();
    await page.locator('#ip-accept-units').waitFor();
    for (const s of serials) assert.ok(await page.locator('#ip-accept-units', { hasText: s }).count(), `serial ${s} shown`);
    await noSideScroll(page, 'acceptance');
    // nothing drawn yet: refused in the page
    await page.locator('#ip-sign-name').fill('周立新');
    await page.locator('#ip-sign-save').click();
    await page.locator('#ip-sign-msg .alert-error').waitFor();
    await draw(page, page.locator('#ip-sign-canvas'));
    await page.locator('#ip-sign-comment').fill('设备安装调试合格');
    await page.locator('#ip-sign-save').click();
    await page.locator('.ip-signed').first().waitFor();
    const after = (await call('technician', 'GET', `/installation-projects/${p.id}`)).data;
    assert.equal(after.status, 'accepted');
    assert.equal(after.acceptance.signer_name, '周立新');
    for (const u of units) {
      const unit = (await call('admin', 'GET', `/units/${u}`)).data;
      assert.ok(unit.install_date && unit.warranty_start, `unit ${u} installed: ${unit.install_date} ${unit.warranty_start}`);
    }
    // the training record: four trainees, three free seats
    await page.locator('#ip-train').click();
    await page.locator('#ip-trainees').waitFor();
    const names = [['李明', '设备科'], ['陈静', '检验科'], ['赵刚', '信息科'], ['孙丽', '设备科']];
    for (let i = 0; i < names.length; i++) {
      if (i > 0) await page.locator('#ip-add-trainee').click();
      const row = page.locator('#ip-trainees li').nth(i);
      await row.locator('.ip-t-name').fill(names[i][0]);
      await row.locator('.ip-t-pos').fill(names[i][1]);
    }
    assert.equal(await page.locator('#ip-trainees li').nth(3).locator('.ip-seat').textContent(), '收费');
    await page.locator('#ip-topics label', { hasText: '设备的维护保养' }).click();
    await page.locator('#ip-topics label', { hasText: '设备的接地与防雷' }).click();
    await noSideScroll(page, 'training');
    await page.locator('#ip-sign-name').fill('周立新');
    await draw(page, page.locator('#ip-sign-canvas'));
    await page.locator('#ip-sign-save').click();
    await page.locator('.ip-signed').nth(1).waitFor();
    const done = (await call('technician', 'GET', `/installation-projects/${p.id}`)).data;
    assert.equal(done.training.trainees, 4);
    assert.equal(done.training.chargeable, 1);
    assert.deepEqual(done.training.content.topics.sort(), ['设备的接地与防雷', '设备的维护保养'].sort());
    await noSideScroll(page, 'signed');
  });
});
