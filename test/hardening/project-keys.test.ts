import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExportResultCode } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceList } from '@threshold/core';
import { runRefusedStart, startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { exportPlans } from '../collector/official-exporter.js';
import { checkBindPolicy } from '../../collector/src/security/bind-policy.js';
import { OPEN_ACCESS } from '../../collector/src/security/access-config.js';
import { rawRequest } from '../security/raw-http.js';
import { pollUntil, sendTrace, workloadBody, workloadTraceId } from './acknowledged-traces.js';

const KEYS = {
  alphaIngest: 'alpha-ingest-0123456789',
  alphaRead: 'alpha-read-0123456789ab',
  betaIngest: 'beta-ingest-0123456789',
  betaRead: 'beta-read-0123456789abc',
  gammaIngest: 'gamma-ingest-0123456789',
  gammaRead: 'gamma-read-0123456789ab',
  slowIngest: 'slow-ingest-0123456789',
};
const BASE_MS = Date.UTC(2026, 0, 8, 9, 0, 0);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function traceIds(url: string, headers: Record<string, string>): Promise<string[]> {
  const response = await fetch(`${url}/api/traces?limit=100`, { headers });
  expect(response.status).toBe(200);
  return ((await response.json()) as TraceList).traces.map((trace) => trace.traceId).sort();
}

describe('API keys and projects', () => {
  const dir = mkdtempSync(join(tmpdir(), 'threshold-keys-'));
  const keysFile = join(dir, 'keys.json');
  let collector: CollectorProcess;
  const alphaTrace = workloadTraceId(31, 0);
  const betaTrace = workloadTraceId(32, 0);

  beforeAll(async () => {
    writeFileSync(
      keysFile,
      JSON.stringify({
        projects: {
          alpha: { ingestKeys: [KEYS.alphaIngest], readKeys: [KEYS.alphaRead] },
          beta: { ingestKeys: [KEYS.betaIngest], readKeys: [KEYS.betaRead] },
          gamma: { ingestKeys: [KEYS.gammaIngest], readKeys: [KEYS.gammaRead] },
          slow: { ingestKeys: [KEYS.slowIngest], ingestRequestsPerSecond: 2 },
        },
      }),
    );
    collector = await startCollectorProcess({ dataDir: join(dir, 'data'), args: ['--keys', keysFile] });
    // One trace in alpha and one in beta, which every test may read; the tests that send more send to gamma.
    expect(await sendTrace(collector.url, alphaTrace, BASE_MS, bearer(KEYS.alphaIngest))).toBe(200);
    expect(await sendTrace(collector.url, betaTrace, BASE_MS, bearer(KEYS.betaIngest))).toBe(200);
    await pollUntil(
      () => traceIds(collector.url, bearer(KEYS.alphaRead)),
      (ids) => ids.length === 1,
      15_000,
      'alpha trace analysed',
    );
    await pollUntil(
      () => traceIds(collector.url, bearer(KEYS.betaRead)),
      (ids) => ids.length === 1,
      15_000,
      'beta trace analysed',
    );
  });
  afterAll(async () => {
    await collector.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes spans only with an ingest key, and files them under its project', async () => {
    expect(await sendTrace(collector.url, workloadTraceId(30, 0), BASE_MS)).toBe(401);
    expect(await sendTrace(collector.url, workloadTraceId(30, 1), BASE_MS, bearer('not-a-key-0123456789'))).toBe(401);
    expect(await sendTrace(collector.url, workloadTraceId(30, 2), BASE_MS, bearer(KEYS.alphaRead))).toBe(403);
    // The ingest keys' traces (sent before the tests) are filed under their own projects only.
    expect(await traceIds(collector.url, bearer(KEYS.alphaRead))).toEqual([alphaTrace]);
    expect(await traceIds(collector.url, bearer(KEYS.betaRead))).toEqual([betaTrace]);
  });

  it('never lets a key of one project read the other project, nor an ingest key read at all', async () => {
    expect((await fetch(`${collector.url}/api/traces/${betaTrace}`, { headers: bearer(KEYS.alphaRead) })).status).toBe(404);
    expect((await fetch(`${collector.url}/api/traces/${alphaTrace}`, { headers: bearer(KEYS.betaRead) })).status).toBe(404);
    expect((await fetch(`${collector.url}/api/traces/${alphaTrace}`, { headers: bearer(KEYS.alphaRead) })).status).toBe(200);
    expect((await fetch(`${collector.url}/api/traces`)).status).toBe(401);
    expect((await fetch(`${collector.url}/api/traces`, { headers: bearer(KEYS.alphaIngest) })).status).toBe(403);
    expect((await fetch(`${collector.url}/metrics`)).status).toBe(401);
    const refused = await fetch(`${collector.url}/api/stats`);
    expect(await refused.json()).toEqual({ error: 'a read key is required: send Authorization: Bearer <key>' });
  });

  it('accepts the key through OTEL_EXPORTER_OTLP_HEADERS with the official exporter', async () => {
    process.env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer ${KEYS.gammaIngest}`;
    try {
      const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces` });
      const { traceIds: sent, result } = await exportPlans(exporter, 'gamma-service', BASE_MS, [
        { name: 'agent.run', startMs: 0, endMs: 40 },
      ]);
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
      await pollUntil(
        () => traceIds(collector.url, bearer(KEYS.gammaRead)),
        (ids) => ids.includes(sent[0]),
        15_000,
        'exported trace analysed',
      );
      expect(await traceIds(collector.url, bearer(KEYS.alphaRead))).toEqual([alphaTrace]);
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
    }
  });

  it('signs the dashboard in with a read key, keeping only an opaque session token in an HttpOnly cookie', async () => {
    const wrong = await fetch(`${collector.url}/api/session`, {
      method: 'POST',
      body: JSON.stringify({ key: KEYS.alphaIngest }),
      headers: { 'content-type': 'application/json' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBe(null);
    const plain = await fetch(`${collector.url}/api/session`, {
      method: 'POST',
      body: JSON.stringify({ key: KEYS.alphaRead }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    expect(plain.headers.get('set-cookie')).toBe(null);
    const signIn = await fetch(`${collector.url}/api/session`, {
      method: 'POST',
      body: JSON.stringify({ key: KEYS.alphaRead }),
      headers: { 'content-type': 'application/json' },
    });
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toEqual({ signedIn: true, project: 'alpha', keysRequired: true, role: 'read' });
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^threshold_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(KEYS.alphaRead);
    const session = cookie.split(';')[0];
    expect(await traceIds(collector.url, { cookie: session })).toEqual([alphaTrace]);
    expect(await (await fetch(`${collector.url}/api/session`, { headers: { cookie: session } })).json()).toEqual({
      signedIn: true,
      project: 'alpha',
      keysRequired: true,
      role: 'read',
    });
    // A cookie never authorises ingest.
    expect(await sendTrace(collector.url, workloadTraceId(30, 3), BASE_MS, { cookie: session })).toBe(401);
    // Signing out ends the session on the server, not only in the browser.
    expect((await fetch(`${collector.url}/api/session`, { method: 'DELETE', headers: { cookie: session } })).status).toBe(200);
    expect((await fetch(`${collector.url}/api/traces`, { headers: { cookie: session } })).status).toBe(401);
  });

  it('holds every spelling of the issue-19 reproductions to the keys', async () => {
    const port = Number(new URL(collector.url).port);
    const keyless: Array<[string, string, number]> = [
      ['GET', '/API/traces', 401],
      ['GET', '/METRICS', 401],
      ['GET', '/metrics/', 401],
      ['GET', '/API/live', 401],
      ['GET', `http://127.0.0.1:${port}/api/traces`, 401],
      ['POST', '/V1/traces', 401],
      ['POST', '/API/alerts/rules', 401],
      ['DELETE', '/API/alerts/rules/simple-p99-budget', 401],
    ];
    for (const [method, target, status] of keyless) {
      const response = await rawRequest(port, {
        method,
        target,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? workloadBody(workloadTraceId(34, 0), BASE_MS) : undefined,
      });
      expect([method, target, response.status]).toEqual([method, target, status]);
    }
    // Beta's key on a misspelt ingest path lands nowhere, least of all in alpha.
    const misspelt = await rawRequest(port, {
      method: 'POST',
      target: '/V1/traces',
      headers: { 'content-type': 'application/json', ...bearer(KEYS.betaIngest) },
      body: workloadBody(workloadTraceId(34, 1), BASE_MS),
    });
    expect(misspelt.status).toBe(404);
    // A read key sees the rules but cannot change them.
    const refused = await rawRequest(port, {
      method: 'DELETE',
      target: '/api/alerts/rules/simple-p99-budget',
      headers: bearer(KEYS.alphaRead),
    });
    expect([refused.status, JSON.parse(refused.body)]).toEqual([403, { error: 'a read key cannot change alert rules: use an admin key' }]);
    expect((await fetch(`${collector.url}/api/alerts/rules/simple-p99-budget`, { headers: bearer(KEYS.alphaRead) })).status).toBe(200);
    expect(await traceIds(collector.url, bearer(KEYS.alphaRead))).not.toContain(workloadTraceId(34, 1));
  });

  it('rate-limits each ingest key with 429 and Retry-After without slowing another project', async () => {
    const statuses: number[] = [];
    const retryAfter = new Set<string | null>();
    for (let sequence = 0; sequence < 8; sequence++) {
      const response = await fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(KEYS.slowIngest) },
        body: '{"resourceSpans":[]}',
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.status === 429) retryAfter.add(response.headers.get('retry-after'));
      // The noisy key's neighbour is served at once.
      expect(await sendTrace(collector.url, workloadTraceId(33, sequence), BASE_MS, bearer(KEYS.gammaIngest))).toBe(200);
    }
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
    expect([...retryAfter]).toEqual(['1']);
  });

  it('keeps CORS closed and serves the Content-Security-Policy on every answer', async () => {
    const preflight = await fetch(`${collector.url}/api/traces`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(null);
    const page = await fetch(`${collector.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    if (page.status === 200) expect(await page.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('binding and browser access', () => {
  it('refuses to bind a non-loopback address without keys unless told --insecure', async () => {
    const refused = await runRefusedStart(['--host', '0.0.0.0']);
    expect(refused.exitCode).toBe(2);
    expect(refused.output).toContain('refusing to listen on 0.0.0.0 without API keys');
    // The same check lets --insecure (and keys) through; the test does not bind a public address.
    expect(() => checkBindPolicy('0.0.0.0', OPEN_ACCESS, true)).not.toThrow();
    expect(() => checkBindPolicy('0.0.0.0', OPEN_ACCESS, false)).toThrow('refusing to listen on 0.0.0.0');
    expect(() => checkBindPolicy('::1', OPEN_ACCESS, false)).not.toThrow();
  });

  it('answers a configured origin with CORS headers and refuses the others', async () => {
    const collector = await startCollectorProcess({ args: ['--cors-origin', 'https://app.example.com'] });
    try {
      const allowed = await fetch(`${collector.url}/api/traces`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
      });
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const read = await fetch(`${collector.url}/api/traces`, { headers: { origin: 'https://app.example.com' } });
      expect(read.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      const other = await fetch(`${collector.url}/api/traces`, { headers: { origin: 'https://other.example.com' } });
      expect(other.headers.get('access-control-allow-origin')).toBe(null);
    } finally {
      await collector.stop();
    }
  });
});
