import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRulesResponse } from '@threshold/core';
import { KEYS, markerRule, startTestGateway, type TestGateway } from '../security/test-gateway.js';

/** Sign-in to the dashboard: JSON only, same-origin only, an opaque token in the cookie. */
describe('dashboard sessions', () => {
  let test: TestGateway;
  const clock = { nowMs: Date.UTC(2026, 0, 8, 9, 0, 0) };
  const own = () => ({ origin: test.url });

  const signIn = (key: string, headers: Record<string, string> = {}, contentType = 'application/json') =>
    fetch(`${test.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...own(), ...headers },
      body: JSON.stringify({ key }),
    });
  const cookieOf = (response: Response) => response.headers.get('set-cookie')!.split(';')[0];
  const rules = async (headers: Record<string, string>) => {
    const response = await fetch(`${test.url}/api/alerts/rules`, { headers });
    return response.status === 200
      ? ((await response.json()) as AlertRulesResponse).rules.map((rule) => rule.id).filter((id) => id.endsWith('-marker'))
      : response.status;
  };

  beforeAll(async () => {
    test = await startTestGateway({ sessions: { ttlMs: 3_600_000, maxSessions: 3, nowMs: () => clock.nowMs } });
    for (const project of ['alpha', 'beta'] as const) {
      await fetch(`${test.url}/api/alerts/rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS[`${project}Admin`]}` },
        body: JSON.stringify(markerRule(project)),
      });
    }
  });
  afterAll(() => test.close());

  it('takes the key only as application/json: text/plain and forms, which a cross-site page can post, get 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const response = await signIn(KEYS.alphaRead, {}, contentType);
      expect([contentType, response.status]).toEqual([contentType, 415]);
      expect(await response.json()).toEqual({ error: 'send {"key": "<read or admin key>"} with Content-Type: application/json' });
      expect(response.headers.get('set-cookie')).toBe(null);
    }
    expect((await signIn(KEYS.alphaRead, {}, 'application/json; charset=utf-8')).status).toBe(200);
  });

  it('keeps an opaque token in the cookie, never the key, and reads the grant behind it', async () => {
    const response = await signIn(KEYS.alphaRead);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ signedIn: true, project: 'alpha', keysRequired: true, role: 'read' });
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^threshold_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.toContain(KEYS.alphaRead);
    expect(setCookie).not.toContain(encodeURIComponent(KEYS.alphaRead));
    const cookie = cookieOf(response);
    expect(await rules({ cookie })).toEqual(['alpha-marker']);
    expect(await (await fetch(`${test.url}/api/session`, { headers: { cookie } })).json()).toEqual({
      signedIn: true,
      project: 'alpha',
      keysRequired: true,
      role: 'read',
    });
    // The key itself is no cookie; the token is no key.
    expect(await rules({ cookie: `threshold_session=${KEYS.alphaRead}` })).toBe(401);
    expect(await rules({ authorization: `Bearer ${cookie.split('=')[1]}` })).toBe(401);
    // A cookie never authorises ingest.
    const ingest = await fetch(`${test.url}/v1/traces`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{"resourceSpans":[]}',
    });
    expect(ingest.status).toBe(401);
  });

  it('refuses a sign-in another site caused', async () => {
    const cases: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost:1' },
      { origin: '', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const response = await fetch(`${test.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== '')) },
        body: JSON.stringify({ key: KEYS.alphaRead }),
      });
      expect([headers, response.status]).toEqual([headers, 403]);
      expect(response.headers.get('set-cookie')).toBe(null);
    }
    const refused = await signIn(KEYS.alphaRead, { origin: 'https://evil.example' });
    expect(await refused.json()).toEqual({
      error: "a page of https://evil.example may not make this request: it is not the collector's own dashboard",
    });
    // A client that is no browser sends neither Origin nor Sec-Fetch-Site.
    const curl = await fetch(`${test.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: KEYS.alphaRead }),
    });
    expect(curl.status).toBe(200);
  });

  it('refuses ingest keys and unknown keys with 401, and says why', async () => {
    for (const key of [KEYS.alphaIngest, 'not-a-key-0123456789', '']) {
      const response = await signIn(key);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'that is not a read or admin key of any project' });
      expect(response.headers.get('set-cookie')).toBe(null);
    }
    const malformed = await fetch(`${test.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...own() },
      body: '{"key":',
    });
    expect([malformed.status, await malformed.json()]).toEqual([400, { error: 'send {"key": "<read or admin key>"} as JSON' }]);
    const huge = await fetch(`${test.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...own() },
      body: JSON.stringify({ key: 'k'.repeat(10_000) }),
    });
    expect([huge.status, await huge.json()]).toEqual([413, { error: 'the sign-in body must be under 4096 bytes' }]);
  });

  it('ends the session on DELETE: the old token is refused everywhere', async () => {
    const cookie = cookieOf(await signIn(KEYS.betaRead));
    expect(await rules({ cookie })).toEqual(['beta-marker']);
    const signOut = await fetch(`${test.url}/api/session`, { method: 'DELETE', headers: { cookie, ...own() } });
    expect(signOut.status).toBe(200);
    expect(await signOut.json()).toEqual({ signedIn: false });
    expect(signOut.headers.get('set-cookie')).toBe('threshold_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(await rules({ cookie })).toBe(401);
    const session = await fetch(`${test.url}/api/session`, { headers: { cookie } });
    expect([session.status, await session.json()]).toEqual([401, { error: 'sign in with a read or admin key', keysRequired: true }]);
  });

  it('ends the previous session of the browser when it signs in again', async () => {
    const first = cookieOf(await signIn(KEYS.alphaRead));
    const second = cookieOf(await signIn(KEYS.betaRead, { cookie: first }));
    expect(await rules({ cookie: first })).toBe(401);
    expect(await rules({ cookie: second })).toEqual(['beta-marker']);
  });

  it('expires a session after its lifetime', async () => {
    const cookie = cookieOf(await signIn(KEYS.alphaRead));
    clock.nowMs += 3_600_000 - 1;
    expect(await rules({ cookie })).toEqual(['alpha-marker']);
    clock.nowMs += 1;
    expect(await rules({ cookie })).toBe(401);
  });

  it('holds a bounded number of sessions: the oldest gives way', async () => {
    const cookies = [];
    for (let index = 0; index < 4; index++) cookies.push(cookieOf(await signIn(KEYS.alphaRead)));
    expect(await Promise.all(cookies.map((cookie) => rules({ cookie })))).toEqual([
      401,
      ['alpha-marker'],
      ['alpha-marker'],
      ['alpha-marker'],
    ]);
  });

  it("lets an admin session change rules from the dashboard's own page only; a read session gets 403 naming the admin key", async () => {
    const admin = await signIn(KEYS.alphaAdmin);
    expect(await admin.json()).toEqual({ signedIn: true, project: 'alpha', keysRequired: true, role: 'admin' });
    const cookie = cookieOf(admin);
    const post = (headers: Record<string, string>, name: string) =>
      fetch(`${test.url}/api/alerts/rules`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ ...markerRule('x'), name }),
      });
    const crossSite = await post({ origin: 'https://evil.example' }, 'cross site');
    expect([crossSite.status, await crossSite.json()]).toEqual([
      403,
      { error: "a page of https://evil.example may not make this request: it is not the collector's own dashboard" },
    ]);
    expect((await post({ 'sec-fetch-site': 'same-site' }, 'same site')).status).toBe(403);
    expect((await post({ origin: test.url, 'sec-fetch-site': 'same-origin' }, 'own page')).status).toBe(201);
    const removed = await fetch(`${test.url}/api/alerts/rules/own-page`, { method: 'DELETE', headers: { cookie, origin: test.url } });
    expect(removed.status).toBe(204);

    const reader = cookieOf(await signIn(KEYS.alphaRead));
    const refused = await fetch(`${test.url}/api/alerts/rules`, {
      method: 'POST',
      headers: { cookie: reader, origin: test.url, 'content-type': 'application/json' },
      body: JSON.stringify(markerRule('y')),
    });
    expect([refused.status, await refused.json()]).toEqual([403, { error: 'a read key cannot change alert rules: use an admin key' }]);
    // Reads need no origin check: the dashboard's GETs and a what-if from its own page pass.
    expect(
      (
        await fetch(`${test.url}/api/whatif`, {
          method: 'POST',
          headers: { cookie: reader, origin: test.url, 'content-type': 'application/json' },
          body: '{"from":0,"to":1}',
        })
      ).status,
    ).toBe(200);
  });
});

describe('dashboard sessions under open access', () => {
  let test: TestGateway;
  beforeAll(async () => {
    test = await startTestGateway({ keyed: false });
  });
  afterAll(() => test.close());

  it('says everyone is signed in as admin, and still takes sign-in as JSON from its own pages only', async () => {
    expect(await (await fetch(`${test.url}/api/session`)).json()).toEqual({
      signedIn: true,
      project: 'default',
      keysRequired: false,
      role: 'admin',
    });
    const text = await fetch(`${test.url}/api/session`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"key":"x"}' });
    expect(text.status).toBe(415);
    const crossSite = await fetch(`${test.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{"key":"x"}',
    });
    expect(crossSite.status).toBe(403);
    const signIn = await fetch(`${test.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: test.url },
      body: '{"key":"x"}',
    });
    expect([signIn.status, await signIn.json(), signIn.headers.get('set-cookie')]).toEqual([
      200,
      { signedIn: true, project: 'default', keysRequired: false, role: 'admin' },
      null,
    ]);
  });
});
