import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { TRACE_SORT_KEYS, UX_BAND_NAMES, type TraceList } from '@threshold/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestCollector } from '../support/collector-harness.js';
import { KEYS, startTestGateway } from '../security/test-gateway.js';
import { otlpJsonBody, spanIdOf, traceIdOf } from './otlp-json-body.js';

/**
 * Property: no query parameter value, and no path segment, makes a GET API route answer 5xx. The
 * server `threshold start` runs (in-memory DuckDB, loopback HTTP), with open access and with
 * project keys, each with a few stored traces, is asked every read route with hostile parameters — 1e308, -1, NaN, hex, huge digit strings, unicode, lone
 * surrogates, `%` and broken escapes, empty values, repeated names — sent byte for byte as
 * generated. Every answer is below 500 and JSON (Prometheus text for /metrics), and every 400
 * names a parameter that was sent.
 */
const TRACE_ID = traceIdOf(0xf00d);
const ROUTES = [
  '/api/traces',
  `/api/traces/${TRACE_ID}`,
  '/api/stats',
  '/api/timeseries',
  '/api/filters',
  '/api/models',
  '/api/operations',
  '/api/critical-path',
  '/api/sessions',
  '/api/sessions/sess-1',
  '/api/recommendations',
  '/api/alerts',
  '/api/alerts/rules',
  '/api/alerts/rules/simple-p99-budget',
  '/api/alerts/events',
  '/api/alerts/rules/simple-p99-budget/series',
  '/api/health',
  '/api/live',
  '/metrics',
];
const PARAMETER_NAMES = [
  'from',
  'to',
  'minDurationMs',
  'bucketMs',
  'stepMs',
  'limit',
  'offset',
  'service',
  'taskClass',
  'sessionId',
  'ruleId',
  'groupBy',
  'category',
  'band',
  'sort',
  'order',
  'tail',
  'name',
];

/** `text`'s UTF-8 bytes, each kept when `keep` says so, else percent-encoded (a lone surrogate becomes U+FFFD, as a browser sends it). */
const escapeBytes = (text: string, keep: (byte: number) => boolean) =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) => (keep(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
/** Percent-encoded as `encodeURIComponent` would. */
const encoded = (text: string) => escapeBytes(text, (byte) => /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)));
/** Only what a request line cannot carry is escaped: `%`, `&`, `=`, `+` and broken escapes go through raw. */
const raw = (text: string) => escapeBytes(text, (byte) => byte > 0x20 && byte < 0x7f && byte !== 0x23);

const hostileValue = fc.oneof(
  fc.constantFrom(
    '1e308',
    '-1e308',
    '1e999',
    '-1',
    '-0',
    '0',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x10',
    '0b1',
    '9007199254740993',
    '253402300800000',
    '253402300799999',
    '1.5',
    '.5',
    '1e-400',
    ' 5',
    '5 ',
    '',
  ),
  fc.constantFrom('%', '%%', '%zz', '%E0%A4%A', '%00', '%C0%AF', '%FF', '&', '=', '+', '[]', '__proto__', 'constructor'),
  fc.constantFrom(
    ...UX_BAND_NAMES,
    ...TRACE_SORT_KEYS,
    'asc',
    'desc',
    'taskClass',
    'service',
    'name',
    'tool',
    'state',
    'orchestration',
    'simple',
    'sess-1',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: 100, max: 5_000 }).map((length) => '9'.repeat(length)),
  fc.integer({ min: 1_000, max: 20_000 }).map((length) => 'é'.repeat(length)),
);
const parameter = fc.record({
  name: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PARAMETER_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
  value: hostileValue,
  encoding: fc.constantFrom('encoded', 'raw'),
});
const ENCODINGS = { encoded, raw };

interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** GET with the path sent exactly as given; a stream (/api/live) is read up to its first event. */
function rawGet(baseUrl: string, path: string, headers: Record<string, string>): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, method: 'GET', headers: { ...headers, connection: 'close' } }, (response) => {
      const contentType = response.headers['content-type'] ?? '';
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (contentType.startsWith('text/event-stream')) {
          response.destroy();
          resolve({ status: response.statusCode ?? 0, contentType, body });
        }
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/**
 * Below 500, JSON (or the stream, or Prometheus text), and a collector's 400 names what it
 * refused: a parameter sent, or the path. The gateway's own 400s (a request target it will not
 * route, checked before any collector sees it) name the target instead.
 */
function expectWellFormed(answer: RawAnswer, path: string, sentNames: string[]): void {
  expect({ path, status: answer.status < 500 }).toEqual({ path, status: true });
  if (answer.status === 431 || answer.contentType.startsWith('text/event-stream')) return;
  if (answer.contentType.startsWith('text/plain; version=0.0.4')) return;
  expect({ path, contentType: answer.contentType }).toEqual({ path, contentType: 'application/json; charset=utf-8' });
  const body = JSON.parse(answer.body) as { error?: unknown };
  if (answer.status !== 400) return;
  expect(typeof body.error).toBe('string');
  const named =
    sentNames.some((name) => (body.error as string).includes(name)) || /^(the path|path|request target) /.test(body.error as string);
  expect({ path, error: body.error, named }).toEqual({ path, error: body.error, named: true });
}

interface Target {
  url: string;
  /** Headers every read sends (the read key, through the gateway). */
  readHeaders: Record<string, string>;
  close(): Promise<void>;
}

const TARGETS: Array<{ name: string; start: () => Promise<Target> }> = [
  {
    name: 'a collector with open access',
    start: async () => {
      const collector = await startTestCollector({ dataDir: ':memory:', quietPeriodMs: 50 });
      return { url: collector.url, readHeaders: {}, close: () => collector.close() };
    },
  },
  {
    name: 'the gateway with project keys',
    start: async () => {
      const gateway = await startTestGateway();
      return { url: gateway.url, readHeaders: { authorization: `Bearer ${KEYS.alphaRead}` }, close: () => gateway.close() };
    },
  },
];

describe.each(TARGETS)('no query parameter or path segment yields a 5xx from $name', ({ start }) => {
  let target: Target;
  beforeAll(async () => {
    target = await start();
    const baseMs = Date.now() - 60_000;
    const body = otlpJsonBody('fuzz', baseMs, [
      {
        traceId: TRACE_ID,
        spanId: spanIdOf(1),
        name: 'invoke_agent task',
        startMs: 0,
        endMs: 900,
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 'sess-1' },
      },
      {
        traceId: TRACE_ID,
        spanId: spanIdOf(2),
        parentSpanId: spanIdOf(1),
        name: 'chat m',
        startMs: 100,
        endMs: 800,
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm' },
      },
      {
        traceId: traceIdOf(0xf00e),
        spanId: spanIdOf(3),
        name: 'execute_tool t',
        startMs: 0,
        endMs: 40,
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 't' },
      },
    ]);
    const ingest = await fetch(`${target.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.alphaIngest}` },
      body,
    });
    expect(ingest.status).toBe(200);
    const deadline = Date.now() + 10_000;
    while (((await (await fetch(`${target.url}/api/traces?limit=1`, { headers: target.readHeaders })).json()) as TraceList).total < 2) {
      if (Date.now() > deadline) throw new Error('the seeded traces were not analysed in 10 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
  afterAll(async () => {
    await target?.close();
  });

  test('query parameters on every GET API route', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.array(parameter, { minLength: 1, maxLength: 4 }), async (route, parameters) => {
        const query = parameters.map(({ name, value, encoding }) => `${ENCODINGS[encoding](name)}=${ENCODINGS[encoding](value)}`).join('&');
        const path = `${route}?${query}`;
        expectWellFormed(
          await rawGet(target.url, path, target.readHeaders),
          path,
          parameters.map(({ name }) => name),
        );
      }),
      { numRuns: 300 },
    );
  });

  test('path segments of every route that takes one', { timeout: 60_000 }, async () => {
    const templates = [
      '/api/traces/:id',
      '/api/sessions/:id',
      '/api/alerts/rules/:id',
      '/api/alerts/rules/:id/series',
      '/api/:id',
      '/v1/:id',
      '/metrics/:id',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...templates),
        hostileValue,
        fc.constantFrom('encoded', 'raw'),
        async (template, value, encoding) => {
          const segment = ENCODINGS[encoding](value).replace(/[/?#]/g, (char) => encoded(char)) || 'x';
          const path = template.replace(':id', segment);
          expectWellFormed(await rawGet(target.url, path, target.readHeaders), path, ['traceId', 'sessionId']);
        },
      ),
      { numRuns: 200 },
    );
  });
});
