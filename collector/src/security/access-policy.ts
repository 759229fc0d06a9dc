import type { KeyRole } from './key-registry.js';

/**
 * What a request needs, decided on its canonical path (see request-target.ts). Deny by default:
 *
 * - `/api/**`, `/v1/**` and `/metrics/**` — the first segment in any letter case, so `/API/traces`
 *   and `/METRICS` are held to the same key as `/api/traces` — need a key: every `/v1` call an
 *   ingest key; GET, HEAD and OPTIONS of the API, and `POST /api/whatif` (a computation that
 *   changes nothing), a read key; every other method an admin key, so a change route added later
 *   is closed to read keys until it is classified here.
 * - `/api/session` (exactly) is the dashboard's sign-in, which checks keys itself.
 * - Any other path is the dashboard's static files, GET and HEAD only; those paths must not hold
 *   an encoded slash (`%2F`, `%5C`), which a file lookup would decode.
 *
 * Routing is case-sensitive and strict, so a reserved first segment spelt in other letters
 * (`/API/…`) is a 404 once the key is checked (`misspelt`), never another route.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'session' }
  | { kind: 'key'; role: KeyRole; action: string; misspelt: boolean }
  | { kind: 'refused'; status: 400 | 405; error: string; allow?: string };

const RESERVED = ['api', 'v1', 'metrics'];
const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'];
/** Changes that are reads at heart: the what-if projection computes and stores nothing. */
const READ_POSTS = ['/api/whatif'];
const ENCODED_SLASH = /%(2F|5C)/;

export const SESSION_PATH = '/api/session';

export function accessRule(method: string, path: string): AccessRule {
  const first = path.split('/')[1] ?? '';
  const reserved = RESERVED.includes(first.toLowerCase());
  if (!reserved) {
    if (ENCODED_SLASH.test(path)) return { kind: 'refused', status: 400, error: 'path must not hold an encoded slash (%2F or %5C)' };
    if (method === 'GET' || method === 'HEAD') return { kind: 'public' };
    return {
      kind: 'refused',
      status: 405,
      error: `${method} is not served outside /api, /v1 and /metrics: the dashboard takes GET and HEAD`,
      allow: 'GET, HEAD',
    };
  }
  if (path === SESSION_PATH) return { kind: 'session' };
  const misspelt = first !== first.toLowerCase();
  if (first.toLowerCase() === 'v1') return { kind: 'key', role: 'ingest', action: 'send spans', misspelt };
  if (READ_METHODS.includes(method) || (method === 'POST' && READ_POSTS.includes(path))) {
    return { kind: 'key', role: 'read', action: 'read traces', misspelt };
  }
  const action = path === '/api/alerts/rules' || path.startsWith('/api/alerts/rules/') ? 'change alert rules' : `${method} ${path}`;
  return { kind: 'key', role: 'admin', action, misspelt };
}

/** Methods that change nothing: the ones a cross-site page may trigger without a CSRF check. */
export function isSafeMethod(method: string): boolean {
  return READ_METHODS.includes(method);
}
