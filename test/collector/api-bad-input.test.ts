import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRACE_SORT_KEYS } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector, type TestCollector } from '../support/collector-harness.js';

/**
 * Every parameter of the read API refuses what it cannot use with a 400 that names it — times past
 * the year 9999 (1e308 once overflowed the stores' 64-bit integers into a 500), negative or
 * infinite durations, non-decimal numbers, bad ids, undecodable paths — and unknown API paths get
 * a JSON 404 while the dashboard's own routes still load the app. Asked of the server `threshold
 * start` runs, so a path the gateway refuses before routing is answered as the gateway does.
 */
const MAX_MS = '253402300799999';
const SERIES = '/api/alerts/rules/simple-p99-budget/series';
const WINDOW_ROUTES = [
  '/api/traces',
  '/api/stats',
  '/api/timeseries',
  '/api/models',
  '/api/operations',
  '/api/sessions',
  '/api/recommendations',
  '/api/alerts/events',
  '/api/critical-path',
];

const dashboardDir = mkdtempSync(join(tmpdir(), 'threshold-dashboard-'));
mkdirSync(join(dashboardDir, 'assets'));
writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Threshold</title><div id="root"></div>');

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector({ dashboardDir });
});
afterAll(async () => {
  await collector.close();
  rmSync(dashboardDir, { recursive: true, force: true });
});

async function answer(path: string, init?: RequestInit): Promise<[number, unknown]> {
  const response = await fetch(`${collector.url}${path}`, init);
  return [response.status, await response.json()];
}

describe('query parameters', () => {
  test.each(
    [...WINDOW_ROUTES, SERIES].flatMap((route) => [
      [`${route}?from=1e308`, `from must be at most ${MAX_MS}, got 1e+308`],
      [`${route}?to=1e308`, `to must be at most ${MAX_MS}, got 1e+308`],
      [`${route}?from=-1`, 'from must be at least 0, got -1'],
      [`${route}?to=0x10`, 'to must be a number, got "0x10"'],
    ]),
  )('%s is a 400: %s', async (path, message) => {
    expect(await answer(path)).toEqual([400, { error: message }]);
  });

  test.each([
    ['/api/traces?minDurationMs=1e308', `minDurationMs must be at most ${MAX_MS}, got 1e+308`],
    ['/api/traces?minDurationMs=NaN', 'minDurationMs must be a number, got "NaN"'],
    ['/api/traces?minDurationMs=Infinity', 'minDurationMs must be a number, got "Infinity"'],
    ['/api/traces?minDurationMs=1e999', 'minDurationMs must be a number, got "1e999"'],
    ['/api/traces?minDurationMs=%20%205', 'minDurationMs must be a number, got "  5"'],
    ['/api/traces?from=%EF%BC%91%EF%BC%92', 'from must be a number, got "１２"'],
    ['/api/traces?offset=9007199254740992', 'offset must be between 0 and 9007199254740991, got 9007199254740992'],
    ['/api/traces?limit=99999999999999999999999', 'limit must be between 1 and 1000, got "99999999999999999999999"'],
    ['/api/traces?limit=1.5', 'limit must be a whole number, got "1.5"'],
    ['/api/traces?sort=bogus', `sort must be one of ${TRACE_SORT_KEYS.join(', ')}, got "bogus"`],
    ['/api/traces?order=up', 'order must be one of asc, desc, got "up"'],
    ['/api/traces?service=a&service=b', 'service must be given once'],
    ['/api/traces?taskClass=a&taskClass=a', 'taskClass must be given once'],
    [
      '/api/traces?band=' + 'x'.repeat(100),
      `band must be one of instant, responsive, noticeable, frustrating, uncomfortable, broken, got "${'x'.repeat(64)}…" (100 characters)`,
    ],
    ['/api/timeseries?bucketMs=1e308', `bucketMs must be at most ${MAX_MS}, got 1e+308`],
    ['/api/timeseries?bucketMs=-3', 'bucketMs must be at least 1, got -3'],
    ['/api/timeseries?from=0&to=86400000&bucketMs=1', 'bucketMs 1 gives more than 2000 buckets over the window'],
    ['/api/sessions?offset=x', 'offset must be a whole number, got "x"'],
    ['/api/alerts/events?limit=0', 'limit must be between 1 and 1000, got 0'],
    ['/api/alerts/events?from=5&to=4', 'to must not be before from'],
    ['/api/recommendations?from=5&to=4', 'to must not be before from'],
    [`${SERIES}?stepMs=10`, 'stepMs must be at least 1000, got 10'],
    [`${SERIES}?stepMs=1e308`, 'stepMs must be at most 604800000, got 1e+308'],
    [`${SERIES}?from=0&to=${8 * 86_400_000}`, 'from and to must be at most 604800000 ms (7 days) apart'],
  ])('%s is a 400: %s', async (path, message) => {
    expect(await answer(path)).toEqual([400, { error: message }]);
  });
});

describe('path parameters', () => {
  test.each([
    // The gateway reads every target once, before routing: a broken escape never reaches a route.
    ['/api/traces/%', 'path has a malformed percent-escape at character 13'],
    ['/api/sessions/%E0%A4%A', 'path has a malformed percent-escape at character 21'],
    ['/api/alerts/rules/%/series', 'path has a malformed percent-escape at character 19'],
    // Well-formed escapes of bytes that are not UTF-8 pass the gateway; the route refuses them.
    ['/api/sessions/%E0%A4', 'the path "/api/sessions/%E0%A4" is not valid percent-encoding'],
    ['/api/traces/%FF', 'the path "/api/traces/%FF" is not valid percent-encoding'],
    ['/api/traces/abc', 'traceId must be 32 hex characters, got "abc"'],
    [`/api/traces/${'a'.repeat(33)}`, `traceId must be 32 hex characters, got "${'a'.repeat(33)}"`],
  ])('%s is a 400: %s', async (path, message) => {
    expect(await answer(path)).toEqual([400, { error: message }]);
  });

  test('an upper-case trace id is read as its lower-case form', async () => {
    expect(await answer(`/api/traces/${'AB'.repeat(16)}`)).toEqual([404, { error: `trace ${'ab'.repeat(16)} not found` }]);
  });
});

describe('POST /api/whatif', () => {
  const post = (body: string, contentType = 'application/json') =>
    answer('/api/whatif', { method: 'POST', headers: { 'content-type': contentType }, body });
  const jsonSyntaxMessage = (text: string) => {
    try {
      JSON.parse(text);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected a syntax error');
  };

  test.each([
    ['{"from":1e308}', `from must be at most ${MAX_MS}, got 1e+308`],
    ['{"to":1e20}', `to must be at most ${MAX_MS}, got 100000000000000000000`],
    ['{"from":-1}', 'from must be at least 0, got -1'],
    ['{"from":"yesterday"}', 'from must be a number of epoch ms'],
    ['{"from":10,"to":5}', 'to must not be before from'],
    ['{"traceId":"x"}', 'traceId must be 32 hex characters, got "x"'],
    ['{"traceId":7}', 'traceId must be 32 hex characters, got number'],
    [JSON.stringify({ taskClass: 'x'.repeat(16_385) }), 'taskClass must be at most 16384 characters, got 16385'],
    ['{"service":false}', 'service must be a string'],
    ['[1]', 'the what-if request must be a JSON object'],
    ['{"compressionRatio":1}', 'compressionRatio must be a number from 0 up to (not including) 1'],
  ])('%s is a 400: %s', async (body, message) => {
    expect(await post(body)).toEqual([400, { error: message }]);
  });

  test('its body errors speak of what-if, not of alert rules', async () => {
    expect(await post('{not json')).toEqual([400, { error: `the what-if request is not valid JSON: ${jsonSyntaxMessage('{not json')}` }]);
    expect(await post(JSON.stringify({ service: 'x'.repeat(70_000) }))).toEqual([413, { error: 'a what-if request must be under 64kb' }]);
    expect(await post('{}', 'text/plain')).toEqual([
      415,
      { error: 'send the what-if request as JSON with Content-Type: application/json' },
    ]);
  });

  test('alert rule bodies keep their own messages', async () => {
    const rule = (body: string) => answer('/api/alerts/rules', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(await rule('{not json')).toEqual([400, { error: 'the body is not valid JSON', fields: {} }]);
    expect(await rule(JSON.stringify({ name: 'x'.repeat(70_000) }))).toEqual([413, { error: 'a rule must be under 64kb', fields: {} }]);
  });
});

describe('unknown paths', () => {
  test.each([
    ['GET', '/api/nope', 'no API route at GET "/api/nope"'],
    ['GET', '/API/nope', 'no route at /API/nope: paths are case-sensitive (/api, /v1, /metrics)'],
    ['GET', '/api', 'no API route at GET "/api"'],
    ['GET', '/v1/traces', 'no API route at GET "/v1/traces"'],
    ['POST', '/v1/logs', 'no API route at POST "/v1/logs"'],
    ['GET', '/metrics/x', 'no API route at GET "/metrics/x"'],
    ['GET', '/metricsx', 'no API route at GET "/metricsx"'],
    ['DELETE', '/api/traces', 'no API route at DELETE "/api/traces"'],
  ])('%s %s is a JSON 404', async (method, path, message) => {
    const response = await fetch(`${collector.url}${path}`, { method });
    expect([response.status, response.headers.get('content-type'), await response.json()]).toEqual([
      404,
      'application/json; charset=utf-8',
      { error: message },
    ]);
  });

  test('a change outside /api, /v1 and /metrics is a JSON 405 naming the methods the dashboard takes', async () => {
    const response = await fetch(`${collector.url}/traces`, { method: 'POST' });
    expect([response.status, response.headers.get('allow'), response.headers.get('content-type'), await response.json()]).toEqual([
      405,
      'GET, HEAD',
      'application/json; charset=utf-8',
      { error: 'POST is not served outside /api, /v1 and /metrics: the dashboard takes GET and HEAD' },
    ]);
  });

  test.each(['/traces', '/traces/0123456789abcdef0123456789abcdef', '/alerts/rules/x', '/apiary'])(
    'the dashboard route %s loads the app',
    async (path) => {
      const response = await fetch(`${collector.url}${path}`);
      expect([response.status, await response.text()]).toEqual([200, '<!doctype html><title>Threshold</title><div id="root"></div>']);
    },
  );
});
