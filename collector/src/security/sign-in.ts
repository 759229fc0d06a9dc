import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerJson } from './answer-json.js';
import { crossSiteRefusal } from './cross-site-check.js';
import { bearerKey, canRead, type KeyGrant, type KeyRegistry } from './key-registry.js';
import { CLEARED_SESSION_COOKIE, sessionCookie, sessionToken, type SessionStore } from './session-store.js';

/** Answer of `GET/POST /api/session`; `role` tells the dashboard whether rule changes are open to it. */
export interface SessionAnswer {
  signedIn: true;
  project: string;
  keysRequired: boolean;
  role: 'read' | 'admin';
}

export interface SignInDependencies {
  registry: KeyRegistry;
  sessions: SessionStore;
  /** False under open access: everyone is signed in, as an admin of the one project. */
  keyed: boolean;
  defaultProject: string;
}

const MAX_SIGN_IN_BODY_BYTES = 4_096;

/** The body as text, or why not: over the limit (the rest is not read) or cut off. */
function readSmallBody(request: IncomingMessage): Promise<string | 'too-large' | 'interrupted'> {
  return new Promise((resolve) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_SIGN_IN_BODY_BYTES) {
        request.pause();
        resolve('too-large');
      }
    });
    request.on('end', () => resolve(text));
    request.on('error', () => resolve('interrupted'));
  });
}

const answerOf = (grant: KeyGrant): SessionAnswer => ({
  signedIn: true,
  project: grant.project.name,
  keysRequired: true,
  role: grant.role === 'admin' ? 'admin' : 'read',
});

/**
 * `/api/session`, the dashboard's sign-in. POST takes `{"key": "<read or admin key>"}` as
 * `application/json` only (a form or `text/plain` body is what a cross-site page can send
 * without a preflight: 415), from the collector's own pages only (403 otherwise), and sets a
 * cookie holding an opaque session token. GET says who is signed in; DELETE ends the session.
 */
export function createSignIn({ registry, sessions, keyed, defaultProject }: SignInDependencies) {
  const openAnswer: SessionAnswer = { signedIn: true, project: defaultProject, keysRequired: false, role: 'admin' };

  return async function signIn(request: IncomingMessage, response: ServerResponse, host: string | undefined): Promise<void> {
    const method = request.method ?? 'GET';
    if (method === 'GET' || method === 'HEAD') {
      if (!keyed) return answerJson(response, 200, openAnswer);
      const bearer = bearerKey(request.headers.authorization);
      const grant = bearer !== undefined ? registry.lookup(bearer) : sessions.lookup(sessionToken(request.headers.cookie));
      if (grant && canRead(grant.role)) return answerJson(response, 200, answerOf(grant));
      return answerJson(response, 401, { error: 'sign in with a read or admin key', keysRequired: true });
    }
    if (method !== 'POST' && method !== 'DELETE') {
      request.resume();
      return answerJson(response, 405, { error: 'use GET, POST or DELETE on /api/session' }, { allow: 'GET, POST, DELETE' });
    }
    const crossSite = crossSiteRefusal(request, host, { corsOrigins: [], sameOriginOnly: true });
    if (crossSite !== undefined) {
      request.resume();
      return answerJson(response, 403, { error: crossSite });
    }
    if (method === 'DELETE') {
      request.resume();
      sessions.revoke(sessionToken(request.headers.cookie));
      return answerJson(response, 200, { signedIn: false }, { 'set-cookie': CLEARED_SESSION_COOKIE });
    }
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json') {
      request.resume();
      return answerJson(response, 415, { error: 'send {"key": "<read or admin key>"} with Content-Type: application/json' });
    }
    const text = await readSmallBody(request);
    if (text === 'too-large')
      return answerJson(
        response,
        413,
        { error: `the sign-in body must be under ${MAX_SIGN_IN_BODY_BYTES} bytes` },
        { connection: 'close' },
      );
    if (text === 'interrupted') return answerJson(response, 400, { error: 'the sign-in body was interrupted' });
    let key: unknown;
    try {
      key = (JSON.parse(text) as { key?: unknown } | null)?.key;
    } catch {
      return answerJson(response, 400, { error: 'send {"key": "<read or admin key>"} as JSON' });
    }
    if (!keyed) return answerJson(response, 200, openAnswer);
    const grant = typeof key === 'string' ? registry.lookup(key) : undefined;
    if (!grant || !canRead(grant.role)) return answerJson(response, 401, { error: 'that is not a read or admin key of any project' });
    // A new sign-in ends the session this browser had, so an old token never outlives it.
    sessions.revoke(sessionToken(request.headers.cookie));
    answerJson(response, 200, answerOf(grant), { 'set-cookie': sessionCookie(sessions.create(grant)) });
  };
}
