// Seeds a fresh server through the API (as admin): staff and customer users,
// product models, customers with Chinese names and units with each warranty
// basis. Writes the ids to the file named by argv[2].
import { writeFileSync } from 'node:fs';

const BASE = process.env.SHOUHOU_URL;
const ADMIN_PW = process.env.SHOUHOU_ADMIN_PASSWORD;
let cookie = '', csrf = '';

async function call(method, path, body, okStatuses = []) {
  const r = await fetch(BASE + '/api/v1' + path, {
    method,
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: body ? JSON.stringify(body) : undefined,
  });
  const sc = r.headers.get('set-cookie');
  if (sc) cookie = sc.split(';')[0];
  const data = r.status === 204 ? null : await r.json();
  if (!r.ok && !okStatuses.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
  return { status: r.status, data };
}

const s = (await call('POST', '/session', { username: 'admin', password: ADMIN_PW })).data;
csrf = s.csrf_token;

const models = {};
for (const [code, name, months] of [['E2E-HX200', '恒温培养箱 HX-200', 18], ['E2E-LX10', '高速离心机 LX-10', 12]]) {
  models[code] = (await call('POST', '/models', { code, name, category: 'equipment', warranty_months: months })).data.id;
}
const customers = {};
const named = [
  ['澜沧江精密仪器有限公司', '上海', '上海', '021-55551234', true],
  ['北京协和检测中心', '北京', '北京', '010-66667777', false],
  ['广州南方医疗器械有限公司', '广东', '广州', '020-88889999', false],
];
for (const [name, province, city, phone, is_key] of named) {
  customers[name] = (await call('POST', '/customers', { name, type: 'company', province, city, phone, is_key, address: `${city}市测试路 1 号` })).data.id;
}
for (let i = 1; i <= 25; i++) {
  await call('POST', '/customers', { name: `样例客户${String(i).padStart(2, '0')}`, type: i % 5 === 0 ? 'individual' : 'company', province: '江苏', city: '苏州' });
}
const hd = customers['澜沧江精密仪器有限公司'];
await call('POST', '/contacts', { customer_id: hd, name: '王工', phone: '13800000001', position: '设备科长' });
await call('POST', '/sites', { customer_id: hd, name: '张江实验室', province: '上海', city: '上海', address: '浦东新区张江路 100 号' });
const units = {};
const today = new Date();
const iso = (d) => d.toISOString().slice(0, 10);
const ago = (days) => iso(new Date(today.getTime() - days * 86400e3));
const unitDefs = [
  ['E2E-0001', 'E2E-HX200', hd, { ship_date: ago(100), install_date: ago(90) }],
  ['E2E-0002', 'E2E-HX200', hd, { ship_date: ago(800) }],
  ['E2E-0003', 'E2E-LX10', hd, { ship_date: ago(30), warranty_end_override: ago(-1000) }],
  ['E2E-0004', 'E2E-LX10', customers['北京协和检测中心'], { ship_date: ago(60), install_date: ago(50) }],
];
for (const [serial_no, m, customer_id, dates] of unitDefs) {
  units[serial_no] = (await call('POST', '/units', { serial_no, model_id: models[m], customer_id, ...dates })).data.id;
}
// a change, so that the unit has history beyond its creation
const u1 = await call('GET', `/units/${units['E2E-0001']}`);
await call('PATCH', `/units/${units['E2E-0001']}`, { notes: '年度保养已完成' });
void u1;

const users = {
  agent: ['e2e_agent', 'agent', '李客服'],
  customer: ['e2e_customer', 'customer', '澜沧江设备科'],
  technician: ['e2e_tech', 'technician', '赵工程师'],
  dispatcher: ['e2e_dispatch', 'dispatcher', '钱调度'],
};
const password = 'e2e-Pass-2024';
const userIds = {};
for (const [key, [username, roles, display_name]] of Object.entries(users)) {
  const r = await call('POST', '/users', { username, roles, password, display_name, customer_id: roles === 'customer' ? hd : null }, [409]);
  userIds[key] = r.data?.id ?? null;
}
writeFileSync(process.argv[2], JSON.stringify({
  adminPassword: ADMIN_PW, password, agent: 'e2e_agent', customer: 'e2e_customer',
  technician: 'e2e_tech', dispatcher: 'e2e_dispatch', userIds,
  customers, models, units, customerOf: { customer: hd },
}, null, 2));
console.log(`seed: ${Object.keys(customers).length + 25} customers, ${Object.keys(units).length} units, ${Object.keys(users).length} users`);
