// Saves each main screen of the web UI in both languages as PNG:
//   docs/screenshots/<screen>.<locale>.png
// Run through `tests/e2e/run.sh BUILD_DIR --screenshots` (starts and seeds a server),
// or directly with SHOUHOU_URL and SHOUHOU_SEED set: node screenshots.mjs OUT_DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, SEED } from './lib.mjs';

const out = process.argv[2] || new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const hd = SEED.customers['澜沧江精密仪器有限公司'];
const screens = [
  ['signin', null, '/', '#username'],
  ['home', 'admin', '/#/', '.tiles'],
  ['customers', 'admin', '/#/customers', 'table.list'],
  ['customer', 'admin', `/#/customers/${hd}`, '.details'],
  ['customer-form', 'admin', '/#/customers/new', '#fld-name'],
  ['units', 'admin', '/#/units', 'table.list'],
  ['unit', 'admin', `/#/units/${SEED.units['E2E-0001']}`, '#warranty-basis'],
  ['unit-form', 'admin', `/#/units/${SEED.units['E2E-0001']}/edit`, '#fld-serial_no'],
  ['labels', 'admin', `/#/labels?customer_id=${hd}`, '.label-sheet'],
  ['customer-portal', 'customer', '/#/units', 'table.list'],
  ['customers-mobile', 'admin', '/#/customers', 'table.list', { width: 360, height: 740 }],
];

const browser = await launch();
let saved = 0, failed = 0;
try {
  for (const locale of ['zh-CN', 'en']) {
    for (const [name, who, path, ready, viewport] of screens) {
      const page = await newPage(browser, { viewport });
      try {
        await page.goto('/');
        await page.evaluate((l) => localStorage.setItem('shouhou.locale', l), locale);
        if (who) {
          await page.reload();
          await page.locator('#username').fill(who === 'admin' ? 'admin' : SEED.customer);
          await page.locator('#password').fill(who === 'admin' ? SEED.adminPassword : SEED.password);
          await page.locator('#password').press('Enter');
          await page.locator('nav.nav').waitFor();
        }
        await page.goto(path);
        await page.reload();
        await page.locator(ready).first().waitFor();
        await page.waitForLoadState('networkidle');
        await page.evaluate(() => document.activeElement?.blur());
        const file = join(out, `${name}.${locale}.png`);
        await page.screenshot({ path: file, fullPage: true });
        saved += 1;
      } catch (e) {
        failed += 1;
        console.error(`screenshot ${name}.${locale}: ${e.message.split('\n')[0]}`);
      } finally {
        await page.context().close();
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`screenshots: ${saved} saved in ${out}, ${failed} failed`);
process.exit(failed ? 1 : 0);
