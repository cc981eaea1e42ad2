// Who may use what: mirrors src/api/policy.h and routes.c so that navigation
// and buttons show only what the server will allow.

const EXTERNAL = ['customer', 'dealer'];
const set = (...r) => new Set(r);

export const P = {
  masterWrite: set('admin', 'dept_head', 'agent', 'sales'),
  unitWrite: set('admin', 'dept_head', 'agent', 'sales', 'logistics', 'warehouse', 'technician', 'qc'),
  userRead: set('admin', 'gm', 'dept_head'),
  queues: set('admin', 'gm', 'dept_head', 'agent', 'dispatcher', 'technician', 'qc'),
  intake: set('admin', 'dept_head', 'agent'),
  ticketEdit: set('admin', 'dept_head', 'agent', 'dispatcher'),
  calls: set('admin', 'gm', 'dept_head', 'agent', 'sales', 'finance', 'logistics', 'warehouse', 'dispatcher', 'technician', 'qc', 'purchasing'),
};

export function isExternal(user) {
  return !!user && user.roles.length > 0 && user.roles.every((r) => EXTERNAL.includes(r));
}
export function isStaff(user) {
  return !!user && user.roles.some((r) => !EXTERNAL.includes(r));
}
export function may(user, perm) {
  return !!user && user.roles.some((r) => perm.has(r));
}
