// The server's description of its entities (GET /api/v1/meta): columns, types,
// enums, limits, required/read-only, and who may call each route. Loaded once
// after sign-in and kept for the page's life (the server answers 304 to a
// reload with the same ETag). Forms, enum pickers and the role checks of
// policy.js are built from it, so nothing here copies a server declaration.
import { api } from './api.js';

let doc = null;
let loading = null;
// The last document seen, for a phone that opens its saved day without a connection
// (views/tech.js): the work-order statuses and results it shows come from here too.
const KEPT = 'shouhou.meta';

function kept() {
  try { return JSON.parse(localStorage.getItem(KEPT) || 'null'); } catch { return null; }
}

export async function loadMeta() {
  if (doc) return doc;
  if (!loading) {
    loading = api('GET', '/meta').then((r) => {
      doc = r.data;
      try { localStorage.setItem(KEPT, JSON.stringify(doc)); } catch { /* storage full or off */ }
      return doc;
    }).catch((e) => {
      const old = e.status === 401 ? null : kept();
      if (!old) throw e;
      doc = old;
      return doc;
    }).finally(() => { loading = null; });
  }
  return loading;
}

export function meta() { return doc; }

// The declaration of entity `ent` ("customer", "unit", …), or null.
export function entityMeta(ent) { return doc?.entities?.[ent] || null; }

// The declaration of column `col` of entity `ent`, or null.
export function columnMeta(ent, col) {
  return entityMeta(ent)?.columns.find((c) => c.name === col) || null;
}

// The roles that may call METHOD PATH (a route pattern such as /api/v1/tickets/{id}/calls).
export function routeRoles(method, path) {
  const r = doc?.routes?.find((x) => x.method === method && x.path === path);
  return new Set(r ? r.roles : []);
}
