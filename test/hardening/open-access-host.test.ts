import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../security/raw-http.js';
import { DASHBOARD_PAGE, KEYS, markerRule, startTestGateway, type TestGateway } from '../security/test-gateway.js';

const refusal = (host: string) => ({
  error: `Host "${host}" is not this machine: without keys the collector answers only requests addressed to localhost, 127.0.0.1 or [::1] (a page on another name may be a DNS-rebinding attack); give --keys to serve other names`,
});

/** Open access on loopback: no keys, so Host and the page that caused a change are checked instead. */
describe('open access on loopback', () => {
  let test: TestGateway;
  let withCors: TestGateway;

  beforeAll(async () => {
    test = await startTestGateway({ keyed: false });
    withCors = await startTestGateway({ keyed: false, corsOrigins: ['https://app.example.com'] });
  });
  afterAll(async () => {
    await test.close();
    await withCors.close();
  });

  it('refuses every request addressed to another name (DNS rebinding) with 403 naming the Host', async () => {
    for (const [method, target] of [
      ['GET', '/api/alerts/rules'],
      ['GET', '/api/live'],
      ['GET', '/metrics'],
      ['GET', '/'],
      ['GET', '/api/session'],
      ['POST', '/v1/traces'],
      ['POST', '/api/alerts/rules'],
    ]) {
      for (const host of ['evil.example', `evil.example:${test.port}`, `127.0.0.1.nip.io:${test.port}`, `192.168.1.10:${test.port}`]) {
        const response = await rawRequest(test.port, {
          method,
          target,
          headers: { host, 'content-type': 'application/json' },
          body: method === 'POST' ? '{}' : undefined,
        });
        expect([method, target, host, response.status]).toEqual([method, target, host, 403]);
        expect(JSON.parse(response.body)).toEqual(refusal(host));
      }
    }
  });

  it('answers the names of this machine, with or without a port', async () => {
    for (const host of [
      'localhost',
      `localhost:${test.port}`,
      `LocalHost:${test.port}`,
      `127.0.0.1:${test.port}`,
      `127.1.2.3:${test.port}`,
      `[::1]:${test.port}`,
      '[::1]',
    ]) {
      const response = await rawRequest(test.port, { target: '/api/alerts/rules', headers: { host } });
      expect([host, response.status]).toEqual([host, 200]);
    }
    const page = await rawRequest(test.port, { target: '/', headers: { host: 'localhost' } });
    expect([page.status, page.body]).toEqual([200, DASHBOARD_PAGE]);
  });

  it('takes the authority of an absolute-form target as the Host', async () => {
    const foreign = await rawRequest(test.port, {
      target: 'http://evil.example/api/alerts/rules',
      headers: { host: `127.0.0.1:${test.port}` },
    });
    expect([foreign.status, JSON.parse(foreign.body)]).toEqual([403, refusal('evil.example')]);
    const local = await rawRequest(test.port, { target: `http://localhost:${test.port}/api/alerts/rules` });
    expect(local.status).toBe(200);
  });

  it('still routes only the canonical spelling of a path', async () => {
    const outcomes: Array<[string, number]> = [];
    for (const target of [
      '/api/alerts/rules',
      '/API/alerts/rules',
      '/api/alerts/rules/',
      '/METRICS',
      '/metrics/',
      '/%61pi/alerts/rules',
      '//api/alerts/rules',
      '/api/x/../alerts/rules',
      '/V1/traces',
    ]) {
      outcomes.push([target, (await rawRequest(test.port, { target })).status]);
    }
    expect(outcomes).toEqual([
      ['/api/alerts/rules', 200],
      ['/API/alerts/rules', 404],
      ['/api/alerts/rules/', 404],
      ['/METRICS', 404],
      ['/metrics/', 404],
      ['/%61pi/alerts/rules', 200],
      ['//api/alerts/rules', 400],
      ['/api/x/../alerts/rules', 400],
      ['/V1/traces', 404],
    ]);
  });

  it('refuses a change another site caused, and lets an origin given with --cors-origin make it', async () => {
    const post = (gateway: TestGateway, headers: Record<string, string>, name: string) =>
      fetch(`${gateway.url}/api/alerts/rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ ...markerRule('open'), name }),
      });
    const crossSite = await post(test, { origin: 'https://evil.example' }, 'evil');
    expect([crossSite.status, await crossSite.json()]).toEqual([
      403,
      { error: "a page of https://evil.example may not make this request: it is not the collector's own dashboard" },
    ]);
    expect((await post(test, { 'sec-fetch-site': 'cross-site' }, 'evil two')).status).toBe(403);
    expect((await post(test, { origin: test.url }, 'own page')).status).toBe(201);
    expect((await post(test, {}, 'no browser')).status).toBe(201);
    expect((await post(withCors, { origin: 'https://app.example.com' }, 'allowed app')).status).toBe(201);
    expect((await post(withCors, { origin: 'https://other.example.com' }, 'other app')).status).toBe(403);
    // Reads stay open to any page: CORS, not this check, decides what a page may read.
    expect((await fetch(`${test.url}/api/alerts/rules`, { headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });
});

describe('keyed access', () => {
  let test: TestGateway;
  beforeAll(async () => {
    test = await startTestGateway();
  });
  afterAll(() => test.close());

  it('serves any Host name: keys, not the name, guard it', async () => {
    const response = await rawRequest(test.port, {
      target: '/api/alerts/rules',
      headers: { host: 'threshold.example.com', authorization: `Bearer ${KEYS.alphaRead}` },
    });
    expect(response.status).toBe(200);
    expect((await rawRequest(test.port, { target: '/api/alerts/rules', headers: { host: 'threshold.example.com' } })).status).toBe(401);
  });
});
