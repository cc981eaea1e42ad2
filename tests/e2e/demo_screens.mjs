// Saves the screens of the workflows added after the first screenshots, on the demo data of
// `make run` (every record type in its states), in both languages:
//   docs/screenshots/demo-<screen>.<locale>.png
// Run through `scripts/demo-screens.sh BUILD_DIR` (makes a demo database, serves it, runs
// this), or directly: SHOUHOU_URL=… DEMO_PASSWORD=… node demo_screens.mjs OUT_DIR
// SHOTS=a,b saves only those screens.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage } from './lib.mjs';

const out = process.argv[2] || new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const password = process.env.DEMO_PASSWORD;
const phone = { width: 390, height: 844 };
// [screen, user, route, viewport]: each screen is ready when its main heading is shown and
// the network is idle (the lists and reports load after the heading)
const screens = [
  ['work-orders', 'dispatcher', '/#/work-orders'],
  ['shipments', 'admin', '/#/shipments'],
  ['projects', 'admin', '/#/projects'],
  ['trips', 'gm', '/#/trips'],
  ['approvals', 'gm', '/#/approvals', phone],
  ['rmas', 'qc', '/#/rmas'],
  ['complaints', 'admin', '/#/complaints'],
  ['fees', 'admin', '/#/fees'],
  ['receivables', 'finance', '/#/receivables'],
  ['account', 'customer', '/#/account', phone],
  ['account-dealer', 'dealer', '/#/account', phone],
  ['parts', 'admin', '/#/parts'],
  ['stock', 'admin', '/#/stock'],
  ['dealer-apps', 'dealer', '/#/dealer-apps', phone],
  ['visit-plans', 'admin', '/#/visit-plans'],
  ['suppliers', 'admin', '/#/suppliers'],
  ['notify-templates', 'admin', '/#/notify-templates'],
  ['reports', 'gm', '/#/reports'],
  ['report-sla', 'gm', '/#/reports/sla'],
  ['report-quality', 'gm', '/#/reports/quality'],
  ['report-staff', 'gm', '/#/reports/staff'],
  ['report-training', 'gm', '/#/reports/training', phone],
  ['cost-report', 'gm', '/#/cost-report'],
  ['my-training', 'technician', '/#/my-training', phone],
];

const browser = await launch();
let saved = 0, failed = 0;
try {
  for (const locale of ['zh-CN', 'en']) {
    for (const [name, who, path, viewport] of screens) {
      if (process.env.SHOTS && !process.env.SHOTS.split(',').includes(name)) continue;
      const page = await newPage(browser, { viewport });
      try {
        await page.goto('/');
        await page.evaluate((l) => localStorage.setItem('shouhou.locale', l), locale);
        await page.reload();
        await page.locator('#username').fill(who);
        await page.locator('#password').fill(password);
        await page.locator('#password').press('Enter');
        await page.locator('nav.nav').waitFor();
        await page.goto(path);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        await page.evaluate(() => document.activeElement?.blur());
        await page.screenshot({ path: join(out, `demo-${name}.${locale}.png`), fullPage: true });
        if (page.errors.length) throw new Error(page.errors.join('; '));
        saved += 1;
      } catch (e) {
        failed += 1;
        console.error(`screenshot demo-${name}.${locale}: ${e.message.split('\n')[0]}`);
      } finally {
        await page.context().close();
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`demo screenshots: ${saved} saved in ${out}, ${failed} failed`);
process.exit(failed ? 1 : 0);
