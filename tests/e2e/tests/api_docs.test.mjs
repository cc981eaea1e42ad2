// The API reference (issue 17): GET /api/docs renders docs/openapi.yaml with Redoc under its
// own Content-Security-Policy, and shows every route of the server with the roles that may
// call it (x-roles, displayed as "roles: [...]").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, BASE, SEED } from '../lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Redoc's sidebar footer loads its maker's logo from the Internet; the page's policy blocks it
// (the image hides itself). That block is the policy working, not a fault of the page.
const BRANDING = /Loading the image 'https:\/\/cdn\.redoc\.ly\/[^']*' violates the following Content Security Policy/;

// The route table with roles, as the server itself publishes it (/api/v1/meta, signed in).
async function serverRoutes() {
  const s = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: SEED.adminPassword }),
  });
  assert.equal(s.status, 201, 'sign-in');
  const cookie = s.headers.get('set-cookie').split(';')[0];
  const m = await fetch(`${BASE}/api/v1/meta`, { headers: { Cookie: cookie } });
  assert.equal(m.status, 200, '/meta');
  return (await m.json()).routes;
}

test('GET /api/docs shows every route with its roles', { timeout: 420000 }, async () => {
  const routes = await serverRoutes();
  assert.ok(routes.length >= 80, `only ${routes.length} routes in /meta`);
  // console errors: CSP violations among them, but for the branding image
  await withPage(browser, { allow: BRANDING }, async (page) => {
    page.setDefaultTimeout(240000); // Redoc parses the whole description before it draws (slow on a busy machine)
    const resp = await page.goto('/api/docs');
    const csp = resp.headers()['content-security-policy'] || '';
    assert.match(csp, /worker-src blob:/, 'the page allows its search worker');
    assert.match(csp, /script-src 'self'(;|$)/, 'scripts from the server only');
    await page.locator('[data-section-id="operation/listCustomers"]').waitFor({ state: 'attached' });
    const shown = await page.locator('[data-section-id^="operation/"]').evaluateAll((els) => els.map((e) => {
      const t = e.innerText;
      const ep = t.match(/\n(GET|POST|PATCH|PUT|DELETE)\n(\/\S+)/);
      const roles = t.match(/roles: (\[[^\]]*\])/);
      return { id: e.dataset.sectionId, method: ep && ep[1], path: ep && ep[2], roles: roles && JSON.parse(roles[1]) };
    }));
    assert.ok(shown.length >= routes.length, `${shown.length} operations shown, the server has ${routes.length} signed-in routes`);
    for (const op of shown) {
      assert.ok(op.method && op.path, `${op.id}: method and path shown`);
      // /healthz is answered before the route table (x-roles: [], nothing to show)
      if (op.id !== 'operation/healthz') assert.ok(Array.isArray(op.roles) && op.roles.length > 0, `${op.id}: roles shown`);
    }
    const byKey = new Map(shown.map((o) => [`${o.method} ${o.path}`, o]));
    const missing = [];
    for (const r of routes) {
      const op = byKey.get(`${r.method} ${r.path}`);
      if (!op) missing.push(`${r.method} ${r.path}`);
      else assert.deepEqual([...op.roles].sort(), [...r.roles].sort(), `${r.method} ${r.path}: roles shown`);
    }
    assert.deepEqual(missing, [], 'routes of the server missing from /api/docs');
    // the search (its index is built in a blob: worker) finds operations
    await page.locator('input[placeholder="Search..."]').click();
    await page.keyboard.type('warranty', { delay: 20 });
    await page.waitForFunction(() => /Warranty decision of a ticket/.test(document.querySelector('[role="search"]')?.innerText || ''));
  });
});

test('the static server does not serve web/vendor/node_modules', async () => {
  const r = await fetch(`${BASE}/vendor/node_modules/redoc/package.json`);
  assert.equal(r.status, 404);
  const d = await fetch(`${BASE}/vendor/dist/redoc.standalone.js`, { method: 'HEAD' });
  assert.equal(d.status, 200, 'the copies in dist/ are served');
});
