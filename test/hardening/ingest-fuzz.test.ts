import { gzipSync, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeField, bytesField, minimalSpanFields, requestWithSpans, stringField } from '../collector/otlp-wire-builder.js';
import { startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { mutatedBytes } from '../support/mutated-bytes.js';
import { workloadBody } from './acknowledged-traces.js';

const SEED = 20_261_124;
const CASES = 10_000;
const CONCURRENCY = 8;

interface FuzzCase {
  body: Uint8Array;
  headers: Record<string, string>;
}

const protobufSeed = requestWithSpans([
  [...minimalSpanFields('llm.chat'), ...attributeField('gen_ai.request.model', bytesField(1, stringField(1, 'model-a')).slice(0))],
  minimalSpanFields('tool.search'),
]);
const jsonSeed = new TextEncoder().encode(workloadBody('0af7651916cd43dd8448eb211c80319c', Date.UTC(2026, 0, 7)));

/** Structurally valid JSON of the wrong shape, or the right shape with values swapped for random ones. */
const mutatedJson = fc
  .oneof(
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    fc
      .tuple(
        fc.constantFrom(
          'traceId',
          'spanId',
          'startTimeUnixNano',
          'endTimeUnixNano',
          'name',
          'attributes',
          'resourceSpans',
          'stringValue',
          'intValue',
          'kind',
        ),
        fc.jsonValue({ maxDepth: 3 }),
      )
      .map(([key, value]) =>
        new TextDecoder()
          .decode(jsonSeed)
          .replace(new RegExp(`"${key}":("[^"]*"|\\d+|\\[[^\\]]*\\])`), `"${key}":${JSON.stringify(value)}`),
      ),
  )
  .map((text) => new TextEncoder().encode(text));

const body = fc.oneof(
  mutatedBytes(protobufSeed, 6),
  mutatedBytes(jsonSeed, 6),
  mutatedJson,
  fc.uint8Array({ maxLength: 512 }),
  fc.constant(protobufSeed),
  fc.constant(jsonSeed),
);

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,40}$/).map((value) => value.trim());

const fuzzCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    body,
    contentType: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom('application/x-protobuf', 'application/json') },
      fc.constantFrom(
        'application/x-protobuf',
        'application/json',
        'application/protobuf',
        'application/json; charset=utf-8',
        'text/plain',
        '',
      ),
      headerValue,
    ),
    encoding: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom('identity', 'gzip', 'deflate', 'gzip-corrupt') },
      fc.constantFrom('br', ''),
      headerValue,
    ),
    extra: fc.dictionary(token, headerValue, { maxKeys: 3 }),
  })
  .map(({ body: raw, contentType, encoding, extra }) => {
    const headers: Record<string, string> = { ...extra };
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    delete headers['host'];
    delete headers['connection'];
    delete headers['expect'];
    delete headers['upgrade'];
    if (contentType !== '') headers['content-type'] = contentType;
    let wire = raw;
    if (encoding === 'gzip') wire = gzipSync(raw);
    else if (encoding === 'deflate') wire = deflateSync(raw);
    else if (encoding === 'gzip-corrupt') {
      const zipped = gzipSync(raw);
      zipped[Math.floor(zipped.length / 2)] ^= 0xff;
      wire = zipped.subarray(0, Math.max(1, zipped.length - 3));
    }
    const wireEncoding = encoding === 'gzip-corrupt' ? 'gzip' : encoding;
    if (wireEncoding !== '') headers['content-encoding'] = wireEncoding;
    return { body: wire, headers };
  });

describe('seeded fuzz of the ingest endpoint', () => {
  let collector: CollectorProcess;
  beforeAll(async () => {
    collector = await startCollectorProcess();
  });
  afterAll(() => collector.stop());

  it(`answers ${CASES} mutated protobuf, JSON and gzip bodies with 200 or a 4xx that says why, and keeps serving`, async () => {
    const generatedAt = performance.now();
    const cases = fc.sample(fuzzCase, { seed: SEED, numRuns: CASES });
    const sentAt = performance.now();
    const countByStatus = new Map<number, number>();
    const unexplained: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const { body: payload, headers } = cases[index];
        const response = await fetch(`${collector.url}/v1/traces`, {
          method: 'POST',
          headers,
          body: payload,
          signal: AbortSignal.timeout(10_000),
        });
        const answer = Buffer.from(await response.arrayBuffer());
        countByStatus.set(response.status, (countByStatus.get(response.status) ?? 0) + 1);
        const explained = response.status === 200 || answer.toString('latin1').match(/[a-z]{3,}/) !== null;
        if (response.status >= 500 || !explained)
          unexplained.push(`case ${index}: ${response.status} ${answer.toString('latin1').slice(0, 80)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const statuses = Object.fromEntries([...countByStatus].sort(([a], [b]) => a - b));
    console.log(
      `fuzz: ${CASES} cases, seed ${SEED}, answers by status ${JSON.stringify(statuses)} (generated in ${Math.round(sentAt - generatedAt)} ms, sent in ${Math.round(performance.now() - sentAt)} ms)`,
    );

    expect(unexplained).toEqual([]);
    expect([...countByStatus.keys()].every((status) => status === 200 || (status >= 400 && status < 500))).toBe(true);
    expect(countByStatus.get(200)).toBeGreaterThan(0);
    expect(collector.child.exitCode).toBe(null);
    const health = await fetch(`${collector.url}/api/health`);
    expect(health.status).toBe(200);
    const ingest = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: jsonSeed,
    });
    expect(ingest.status).toBe(200);
  }, 280_000);
});
