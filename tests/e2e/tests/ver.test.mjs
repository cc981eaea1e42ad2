// Issue 18 item 3: an upgrade campaign launched from its screen. The scene (a customer with
// two units on a withdrawn firmware, a draft campaign) is set through the API; the unit page
// shows the withdrawn version; the agent opens the campaign, sees both units, launches it and
// sees one upgrade ticket per unit in the progress. E2E_SHOTS=1 saves
// docs/screenshots/versions-campaign.png and versions-unit.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, call, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = Date.now().toString(36);
const shot = (page, name) => (process.env.E2E_SHOTS
  ? page.screenshot({ path: new URL(`../../../docs/screenshots/${name}`, import.meta.url).pathname, fullPage: true })
  : null);

async function scene() {
  const model = SEED.models['E2E-HX200'];
  const comp = `fw${stamp}`; // a component of this run only: the candidates are ours
  const { data: c } = await call('admin', 'POST', '/customers', { name: `升级测试客户${stamp}`, type: 'company', province: '浙江', city: '杭州' });
  const units = [];
  for (const k of ['A', 'B']) {
    const { data: u } = await call('admin', 'POST', '/units', { serial_no: `UPG${k}${stamp}`.toUpperCase(), model_id: model, customer_id: c.id, install_date: '2026-11-01' });
    await call('admin', 'POST', `/units/${u.id}/versions`, { component: comp, sw_version: '1.0' });
    units.push(u);
  }
  await call('admin', 'POST', '/version-rules', { model_id: model, component: comp, sw_version: '2.0', status: 'current' });
  await call('admin', 'POST', '/version-rules', { model_id: model, component: comp, sw_version: '1.0', status: 'withdrawn', reason: '播放卡顿' });
  const { data: camp } = await call('admin', 'POST', '/upgrade-campaigns', { name: `固件升级${stamp}`, model_id: model, component: comp, target_version: '2.0', withdrawn_versions: '1.0', upgrade_kind: 'display' });
  return { units, camp };
}

test('an agent launches an upgrade campaign from its screen: one ticket per unit', async () => {
  const { units, camp } = await scene();
  await withPage(browser, { as: 'agent', check: false }, async (page) => {
    await page.goto(`/#/units/${units[0].id}`);
    await page.locator('#unit-versions [data-compliance="withdrawn"]').first().waitFor();
    await shot(page, 'versions-unit.png');
    await page.goto('/#/upgrade-campaigns');
    await page.locator(`a[href="#/upgrade-campaigns/${camp.id}"]`).click();
    await page.locator('#camp-candidates tbody tr').nth(1).waitFor();
    assert.equal(await page.locator('#camp-candidates tbody tr').count(), 2, 'both units are candidates');
    page.once('dialog', (d) => d.accept());
    await page.locator('#launch').click();
    await page.locator('#camp-progress tbody tr').nth(1).waitFor();
    assert.equal(await page.locator('#camp-progress tbody tr').count(), 2, 'one ticket per unit');
    assert.equal(await page.locator('#launch').count(), 0, 'launched: no second launch');
    assert.match(await page.locator('#camp-counts').textContent(), /2/);
    await shot(page, 'versions-campaign.png');
    const { data: p } = await call('admin', 'GET', `/upgrade-campaigns/${camp.id}/progress`);
    assert.deepEqual(p.tickets.map((x) => x.unit_id).sort(), units.map((u) => u.id).sort());
  });
});
