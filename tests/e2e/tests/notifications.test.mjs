// Notifications (issue 15 item 1) in chromium: an administrator finds a dead-lettered
// notification (the demo's, or one made dead here) on the admin screen, filters by state and
// sends it again; the row turns pending and the list under "待发送" shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a dead-lettered notification is retried from the admin screen', async () => {
  await withPage(browser, { as: 'admin' }, async (page) => {
    await page.goto('/#/notifications?state=dead');
    await page.locator('#notifications').waitFor();
    const dead = page.locator('#notifications tbody tr[data-state="dead"]').first();
    await dead.waitFor();
    const id = await dead.getAttribute('data-id');
    assert.match(await dead.textContent(), /已放弃/);
    // the last error stays visible next to the message
    assert.ok((await dead.locator('td.muted').textContent()).length > 0, 'last error shown');
    await dead.locator(`button[data-retry="${id}"]`).click();
    await page.getByText('已重新排队，稍后发送').waitFor();
    assert.equal(await dead.locator('.nt-state').textContent(), '待发送');
    // channels are off in the test server: it stays pending, listed under its new state (the
    // list is newest first, 100 a page: other tests queue more; the page that holds it)
    await page.goto(`/#/notifications?state=pending&cursor=${Number(id) + 1}`);
    await page.locator(`#notifications tbody tr[data-id="${id}"]`).waitFor();
    await page.locator('#nt-state').selectOption('pending');
    await page.locator('#notifications').waitFor();
    await page.locator('#nt-state').selectOption('dead');
    await page.locator('#notifications').waitFor();
    await page.waitForFunction((nid) => !document.querySelector(`#notifications tbody tr[data-id="${nid}"]`), id);
  });
});
