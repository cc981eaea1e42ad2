// The navigation on a phone: one row that scrolls sideways instead of 30 wrapped items taking
// half of the screen, the current page's item brought into view, every item still tappable;
// on a wide screen every item shows at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const phone = { width: 390, height: 844 };

// rows of the navigation, its height, the header's, the page's width and where the current
// item is against the visible part of the row
function layout(page) {
  return page.evaluate(() => {
    const ul = document.querySelector('nav.nav ul');
    const tops = new Set([...ul.children].map((li) => li.offsetTop));
    const cur = ul.querySelector('a[aria-current="page"]')?.getBoundingClientRect();
    const box = ul.getBoundingClientRect();
    return {
      rows: tops.size, items: ul.children.length,
      nav: document.querySelector('nav.nav').getBoundingClientRect().height,
      header: document.querySelector('header.top').getBoundingClientRect().height,
      pageWidth: document.documentElement.scrollWidth,
      scrolls: ul.scrollWidth > ul.clientWidth,
      curInView: cur ? cur.left >= box.left - 1 && cur.right <= box.right + 1 : null,
    };
  });
}

test('phone: the navigation is one row, the current item in view, every item tappable', async () => {
  await withPage(browser, { viewport: phone, as: 'admin' }, async (page) => {
    let l = await layout(page);
    assert.ok(l.items > 20, `admin sees many items: ${l.items}`);
    assert.equal(l.rows, 1, 'one row');
    assert.ok(l.nav <= 60, `navigation height ${l.nav}`);
    assert.ok(l.header <= 200, `header height ${l.header} of 844`);
    assert.ok(l.scrolls, 'the row scrolls sideways');
    assert.ok(l.pageWidth <= phone.width, `the page itself does not scroll sideways: ${l.pageWidth}`);
    // an item far to the right: tapping it scrolls the row, and once there it is in view
    await page.locator('nav a[data-nav="suggestions"]').click();
    await page.waitForURL(/#\/suggestions$/);
    await page.locator('nav a[data-nav="suggestions"][aria-current="page"]').waitFor();
    l = await layout(page);
    assert.equal(l.curInView, true, 'the current item is in the visible part of the row');
    // and back to the first one
    await page.locator('nav a[data-nav="customers"]').click();
    await page.waitForURL(/#\/customers$/);
    await page.locator('nav a[data-nav="customers"][aria-current="page"]').waitFor();
    assert.equal((await layout(page)).curInView, true);
  });
});

test('wide screen: every navigation item shows, wrapped, nothing scrolls', async () => {
  await withPage(browser, { as: 'admin' }, async (page) => {
    const l = await layout(page);
    assert.ok(l.rows > 1, `wrapped rows: ${l.rows}`);
    assert.equal(l.scrolls, false);
  });
});
