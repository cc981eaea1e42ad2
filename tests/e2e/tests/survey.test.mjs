// The customer's satisfaction survey from its link on a phone (390 × 844), without signing
// in: the four scores and a comment, Chinese first with English beside, no horizontal
// scroll; the link used up afterwards; the answers on the ticket page for staff.
// E2E_SHOTS=1 saves docs/screenshots/survey-phone.png, survey-ticket.png and tasks-home.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, SEED, BASE } from '../lib.mjs';

const PHONE = { width: 390, height: 844 };
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The API as admin (cookie + CSRF), for the records the screens need.
async function adminApi() {
  let cookie = '';
  const r = await fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: SEED.adminPassword }) });
  cookie = r.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await r.json();
  return async (method, path, body) => {
    const x = await fetch(`${BASE}/api/v1${path}`, { method, headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf }, body: body ? JSON.stringify(body) : undefined });
    const data = await x.json();
    if (!x.ok) throw new Error(`${method} ${path}: ${x.status} ${JSON.stringify(data)}`);
    return data;
  };
}

// A repair solved by phone: resolved, its survey pending; a fresh link for it.
async function resolvedWithLink(call) {
  const tk = await call('POST', '/tickets', { channel: 'phone', type: 'repair', unit_id: SEED.units['E2E-0001'], caller_name: '王工', caller_phone: '13800000001', assignee_id: SEED.userIds.technician, description: '开机无显示' });
  await call('POST', `/tickets/${tk.id}/actions/accept`, {});
  await call('POST', `/tickets/${tk.id}/actions/resolve_remote`, { note: '电话指导后恢复正常', visibility: 'customer' });
  const link = await call('POST', `/tickets/${tk.id}/survey/link`, {});
  return { tk, link };
}

test('the customer answers the survey from its link on a phone; the link is then used', async () => {
  const call = await adminApi();
  const { tk, link } = await resolvedWithLink(call);
  const path = new URL(link.url, BASE).pathname;
  assert.match(path, /^\/r\/survey\/[0-9a-f]{48}$/);
  await withPage(browser, { viewport: PHONE }, async (page) => {
    await page.goto(path);
    await page.locator('#sv-form').waitFor();
    // Chinese first, English beside
    const legend = await page.locator('#sv-score_speed legend').innerText();
    assert.match(legend, /响应速度[\s\S]*Response speed/);
    assert.ok((await page.locator('#sv-ticket').innerText()).includes(tk.number), 'the ticket number is shown');
    // no horizontal scroll at 390 px; targets large enough for a thumb
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    const box = await page.locator('#sv-score_speed .score span').first().boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `score target ${box.width}×${box.height}`);
    // all four are needed
    await page.locator('#sv-submit').click();
    await page.locator('#sv-msg .alert-error').waitFor();
    for (const [q, n] of [['score_speed', 5], ['score_skill', 4], ['score_attitude', 5], ['score_overall', 4]]) {
      await page.locator(`#sv-${q} .score:has(input[value="${n}"]) span`).click();
    }
    assert.match(await page.locator('#sv-score_speed-text').innerText(), /很满意[\s\S]*Very satisfied/);
    await page.locator('#sv-comment').fill('工程师耐心专业 / patient and skilled');
    if (process.env.E2E_SHOTS) await page.screenshot({ path: new URL('../../../docs/screenshots/survey-phone.png', import.meta.url).pathname, fullPage: true });
    await page.locator('#sv-submit').click();
    await page.locator('#sv-thanks').waitFor();
    assert.match(await page.locator('h1').innerText(), /感谢您的评价[\s\S]*Thank you/);
  });
  // the same link again: used (the 410 is the answer the page expects)
  await withPage(browser, { viewport: PHONE, allow: /status of 410/ }, async (again) => {
    await again.goto(path);
    await again.locator('#sv-error[data-reason="used"]').waitFor();
  });
  // staff see the answers on the ticket page
  await withPage(browser, { as: 'agent' }, async (staff) => {
    await staff.goto(`/#/tickets/${tk.id}`);
    await staff.locator('#survey-status[data-status="submitted"]').waitFor();
    assert.match(await staff.locator('#survey-scores [data-score="score_speed"]').innerText(), /^5/);
    assert.match(await staff.locator('#survey-comment').innerText(), /耐心专业/);
  });
});

test('a low score recorded by phone: the department head answers the task on the home screen', async () => {
  const call = await adminApi();
  const { tk } = await resolvedWithLink(call);
  const s = await call('POST', `/tickets/${tk.id}/survey`, { outcome: 'answered', score_speed: 4, score_skill: 4, score_attitude: 1, score_overall: 2, respondent: '王工', comment: '等了很久才回电话' });
  assert.equal(s.status, 'submitted');
  try {
    await call('POST', '/users', { username: 'e2e_head', roles: 'dept_head', password: SEED.password, display_name: '孙主管' });
  } catch (e) { if (!/ 409 /.test(e.message)) throw e; }
  await withPage(browser, { as: 'e2e_head' }, async (page) => {
    const task = page.locator(`#tasks li.task[data-kind="survey_follow_up"]:has(a[href="#/tickets/${tk.id}"])`);
    await task.waitFor();
    assert.match(await task.innerText(), /满意度低分回访[\s\S]*等了很久才回电话/);
    const taskId = await task.getAttribute('data-task');
    if (process.env.E2E_SHOTS) await page.locator('#tasks').screenshot({ path: new URL('../../../docs/screenshots/tasks-home.png', import.meta.url).pathname });
    await task.locator('textarea').fill('已致电客户致歉，并提醒工程师及时回电');
    await task.locator('button[type="submit"]').click();
    await page.locator(`#tasks li.task[data-task="${taskId}"] .alert-info`).waitFor();
    // the ticket page: the low scores marked, the reply on the timeline
    await page.goto(`/#/tickets/${tk.id}`);
    await page.locator('#survey-status[data-status="submitted"]').waitFor();
    assert.equal(await page.locator('#survey-scores .score-low').count(), 2);
    if (process.env.E2E_SHOTS) await page.locator('#survey').screenshot({ path: new URL('../../../docs/screenshots/survey-ticket.png', import.meta.url).pathname });
    await page.locator('#timeline li[data-kind="task"]').waitFor();
  });
});
