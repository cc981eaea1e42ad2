// The JSON API client: session cookie + X-CSRF-Token on unsafe methods, ETags,
// and one place that notices an expired session (401).

let csrf = null;
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    const err = body?.error || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || 'http_' + status;
    this.field = err.field || null;
    this.reason = err.reason || null;
    this.params = err.params || {};
  }
}

export function setCsrf(token) { csrf = token || null; }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// api('GET', '/customers', {query: {q: 'x'}}) -> {data, etag, status}
export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
  const url = apiUrl(path, opts.query);
  let r;
  try {
    r = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
  } catch (e) {
    throw new ApiError(0, { error: { code: 'network', message: String(e) } });
  }
  let data = null;
  if (r.status !== 204) {
    const text = await r.text();
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  }
  if (!r.ok) {
    const err = new ApiError(r.status, data);
    if (r.status === 401 && !opts.quiet401) onUnauthorized(err);
    throw err;
  }
  return { data, etag: r.headers.get('ETag'), status: r.status };
}

// A raw file body (photo, PDF): POST path?filename=… with the CSRF token.
export async function apiUpload(path, file, query) {
  const headers = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(apiUrl(path, { filename: safeName(file.name), ...query }), { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch (e) {
    throw new ApiError(0, { error: { code: 'network', message: String(e) } });
  }
  let data = null;
  try { data = await r.json(); } catch { data = null; }
  if (!r.ok) {
    const err = new ApiError(r.status, data);
    if (r.status === 401) onUnauthorized(err);
    throw err;
  }
  return { data, status: r.status };
}

// Camera files are called image.jpg or have characters the server refuses.
function safeName(name) {
  const s = String(name || 'photo').replace(/[\u0000-\u001f\u007f/\\"]+/g, '_').slice(-80);
  return s || 'photo';
}

export function apiUrl(path, query) {
  const u = new URL('/api/v1' + path, location.origin);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, v);
    }
  }
  return u.pathname + u.search;
}
