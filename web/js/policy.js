// Who may use what, read from the server's route table (GET /api/v1/meta, loaded
// after sign-in by app.js) so that navigation and buttons show only what the
// server will allow. Nothing here repeats a role list of the server.
import { routeRoles } from './meta.js';

const EXTERNAL = ['customer', 'dealer'];

// Rebuilt by refreshPolicy() once the meta document is loaded.
export const P = {
  masterWrite: new Set(),
  unitWrite: new Set(),
  userRead: new Set(),
  queues: new Set(),
  intake: new Set(),
  calls: new Set(),
  ticketEdit: new Set(),
  checklistWrite: new Set(),
};

export function refreshPolicy() {
  P.masterWrite = routeRoles('POST', '/api/v1/customers');
  P.unitWrite = routeRoles('POST', '/api/v1/units');
  P.userRead = routeRoles('GET', '/api/v1/users');
  P.calls = routeRoles('POST', '/api/v1/tickets/{id}/calls');
  P.ticketEdit = routeRoles('PATCH', '/api/v1/tickets/{id}');
  P.checklistWrite = routeRoles('POST', '/api/v1/checklist-templates');
  // which staff are shown the service desk's pages is a choice of the UI, not a server rule
  // (the server lets more roles register tickets): the intake desk and the queues
  P.intake = new Set(['admin', 'dept_head', 'agent']);
  P.queues = new Set(['admin', 'gm', 'dept_head', 'agent', 'dispatcher', 'technician', 'qc']);
}

export function isExternal(user) {
  return !!user && user.roles.length > 0 && user.roles.every((r) => EXTERNAL.includes(r));
}
export function isStaff(user) {
  return !!user && user.roles.some((r) => !EXTERNAL.includes(r));
}
export function may(user, perm) {
  return !!user && user.roles.some((r) => perm.has(r));
}
