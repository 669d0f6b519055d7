// Signing in to the viewer: a token (`./mapserver token ...`) pasted into the bar, kept in this
// tab's sessionStorage only (closing the tab forgets it; another tab signs in on its own, so two
// commanders can share one browser), sent as `Authorization: Bearer` to this server and never to
// another origin. docs/viewer.md, "Signing in".
//
// The token is an HS256 JWT: the viewer reads its claims (role, scope, subject, expiry) to show who
// is signed in and which actions to offer, and the server checks every request anyway.

const KEY = 'gridmap.token';

let checked = { text: null, expires: null };

/**
 * The stored token, or '' when signed out. A token past its expiry is dropped here, before any
 * request carries it (a reload the next morning starts signed out, not with a screen of 401s).
 */
export function token() {
  let t;
  try {
    t = sessionStorage.getItem(KEY) || '';
  } catch {
    return ''; // storage disabled: signed out
  }
  if (t && checked.text !== t) checked = { text: t, expires: claims(t)?.expires ?? null };
  if (t && checked.expires && checked.expires <= new Date()) {
    store('');
    return '';
  }
  return t;
}

export function store(t) {
  if (t) sessionStorage.setItem(KEY, t);
  else sessionStorage.removeItem(KEY);
}

/**
 * The claims of a JWT, decoded but not verified (the server verifies), or null when the text is no
 * JWT. `subject` is who the server will take the caller for: a token issued without a subject (or
 * with just its role's code) is `<role>-<jti>` (security/Principal.ofCredential), the name the
 * server writes into an incident's `acked_by`.
 */
export function claims(t) {
  const parts = String(t || '').split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const c = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof c !== 'object' || c === null || typeof c.role !== 'string') return null;
    const sub = typeof c.sub === 'string' ? c.sub : '';
    const unnamed = !sub.trim() || sub === c.role;
    return {
      role: c.role,
      scope: typeof c.scope === 'string' ? c.scope : '',
      subject: unnamed && c.jti ? `${c.role}-${c.jti}` : sub,
      expires: typeof c.exp === 'number' ? new Date(c.exp * 1000) : null,
    };
  } catch {
    return null;
  }
}

/** The signed-in caller's claims, or null. */
export function who() {
  const t = token();
  return t ? claims(t) : null;
}

/** Headers for a request to this server: the token when signed in. */
export function authHeaders(extra = {}) {
  const t = token();
  return t ? { ...extra, Authorization: `Bearer ${t}` } : { ...extra };
}

/** MapLibre's transformRequest: the token on this origin's requests only (tiles, items, styles). */
export function transformRequest(url) {
  const t = token();
  if (!t) return { url };
  let same = false;
  try {
    same = new URL(url, location.href).origin === location.origin;
  } catch {
    same = false;
  }
  return same ? { url, headers: { Authorization: `Bearer ${t}` } } : { url };
}

/**
 * A request to this server with the token. Resolves to {ok, status, etag, body, problem}: `body` the
 * parsed JSON (or null), `problem` a one-line text of an RFC 9457 answer for the user (title, status
 * and the server's detail, which names what was wrong). Never rejects on an HTTP status; a network
 * failure is a problem with status 0.
 */
export async function api(path, { method = 'GET', json, headers = {}, signal } = {}) {
  const h = authHeaders(headers);
  if (json !== undefined) h['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(new URL(path, location.href), {
      method, headers: h, body: json === undefined ? undefined : JSON.stringify(json), signal, cache: 'no-store',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return { ok: false, status: 0, etag: null, body: null, problem: `无法连接服务器：${e.message}` };
  }
  let body = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      body = await res.json();
    } catch {
      body = null;
    }
  }
  const out = { ok: res.ok, status: res.status, etag: res.headers.get('ETag'), body, problem: null };
  if (!res.ok) {
    const title = body?.title || res.statusText || 'HTTP error';
    out.problem = `${title}（${res.status}）${body?.detail ? `：${body.detail}` : ''}`;
  }
  return out;
}
