import { afterAll, describe, expect, it } from 'vitest';
import {
  DecodePool,
  decodeTraceRequest,
  decodeTraceRequestInline,
  INLINE_DECODE_MAX_BYTES,
  LATEST_SPAN_TIME_UNIX_NANO,
  OtlpDecodeError,
} from '../../collector/src/otlp/index.js';
import { hostileRequest, intField, kvlistOf, spanAttribute, textField, type HostileSpan } from '../support/hostile-requests.js';

const START_NS = 1_767_225_600_000_000_000n; // 2026-01-01
const traceIdOf = (n: number) => n.toString(16).padStart(32, '0');
const spanIdOf = (n: number) => n.toString(16).padStart(16, '0');

/**
 * `count` spans of 20 traces with a few attributes each; the first has a value the caps cut and a
 * kvlist they shorten, the second ends in 2554 (rejected).
 */
function spans(count: number): HostileSpan[] {
  return Array.from({ length: count }, (_, index) => ({
    traceId: traceIdOf((index % 20) + 1),
    spanId: spanIdOf(index + 1),
    name: `chat ${index % 7}`,
    startNs: START_NS + BigInt(index) * 1_000_000n,
    endNs: index === 1 ? LATEST_SPAN_TIME_UNIX_NANO + 1n : START_NS + BigInt(index) * 1_000_000n + 500_000n,
    extra: [
      spanAttribute('gen_ai.request.model', textField(1, 'gpt-4o')),
      spanAttribute('gen_ai.usage.input_tokens', intField(3, index)),
      spanAttribute('gen_ai.prompt', textField(1, index === 0 ? 'p'.repeat(20_000) : `question ${index}`)),
      ...(index === 0 ? [spanAttribute('options', kvlistOf(5_000))] : []),
    ],
  }));
}

/** The same spans as OTLP/JSON. */
function jsonBody(list: HostileSpan[]): Buffer {
  const value = (text: string) => ({ stringValue: text });
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: value('agent') }] },
          scopeSpans: [
            {
              scope: { name: 'pool' },
              spans: list.map((span, index) => ({
                traceId: span.traceId,
                spanId: span.spanId,
                name: span.name,
                startTimeUnixNano: String(span.startNs),
                endTimeUnixNano: String(span.endNs),
                attributes: [
                  { key: 'gen_ai.request.model', value: value('gpt-4o') },
                  { key: 'gen_ai.usage.input_tokens', value: { intValue: String(index) } },
                  { key: 'gen_ai.prompt', value: value(index === 0 ? 'p'.repeat(20_000) : `question ${index}`) },
                ],
              })),
            },
          ],
        },
      ],
    }),
  );
}

describe('decoding large request bodies on the decode pool', () => {
  const pool = new DecodePool(1);
  afterAll(() => pool.close());

  it('decodes a protobuf body above the inline limit on a pool thread, to exactly what inline decoding gives', async () => {
    const body = hostileRequest('agent', spans(9_000));
    expect(body.length).toBeGreaterThan(INLINE_DECODE_MAX_BYTES);
    const jobsBefore = pool.completedJobs;

    const decoded = await decodeTraceRequest('protobuf', body, pool);

    expect(pool.completedJobs).toBe(jobsBefore + 1);
    const inline = decodeTraceRequestInline('protobuf', body);
    expect(decoded).toEqual(inline);
    expect(decoded.spans.length).toBe(8_999);
    expect(decoded).toMatchObject({
      rejectedSpans: 1,
      rejectionMessage: '1 span rejected: time after 2100-01-01 (1)',
      truncation: 'truncated: 1 values longer than 16384 characters, 904 list items beyond 4096 per span or 128 per event',
    });
  });

  it('decodes an OTLP/JSON body above the inline limit on a pool thread, to exactly what inline decoding gives', async () => {
    const body = jsonBody(spans(6_000));
    expect(body.length).toBeGreaterThan(INLINE_DECODE_MAX_BYTES);
    const jobsBefore = pool.completedJobs;

    const decoded = await decodeTraceRequest('json', body, pool);

    expect(pool.completedJobs).toBe(jobsBefore + 1);
    expect(decoded).toEqual(decodeTraceRequestInline('json', body));
    expect(decoded.truncation).toBe('truncated: 1 values longer than 16384 characters');
  });

  it('decodes a body within the limit inline, leaving the pool alone', async () => {
    const body = hostileRequest('agent', spans(100));
    expect(body.length).toBeLessThanOrEqual(INLINE_DECODE_MAX_BYTES);
    const jobsBefore = pool.completedJobs;

    expect(await decodeTraceRequest('protobuf', body, pool)).toEqual(decodeTraceRequestInline('protobuf', body));
    expect(pool.completedJobs).toBe(jobsBefore);
  });

  it('refuses a malformed large body with the message inline decoding gives', async () => {
    const body = Buffer.concat([jsonBody(spans(6_000)), Buffer.from('}')]);
    let inlineMessage = '';
    try {
      decodeTraceRequestInline('json', body);
    } catch (error) {
      inlineMessage = (error as Error).message;
    }
    expect(inlineMessage).toMatch(/^invalid JSON: /);

    const refusal = await decodeTraceRequest('json', body, pool).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(OtlpDecodeError);
    expect((refusal as OtlpDecodeError).message).toBe(inlineMessage);
  });

  it('answers jobs queued on a busy thread in turn, each with its own spans', async () => {
    const bodies = [3_000, 4_000, 5_000].map((count) => hostileRequest(`agent-${count}`, spans(count)));
    const decoded = await Promise.all(bodies.map((body) => pool.decode('protobuf', body)));
    expect(decoded.map((result) => [result.spans.length, result.spans[0].service])).toEqual([
      [2_999, 'agent-3000'],
      [3_999, 'agent-4000'],
      [4_999, 'agent-5000'],
    ]);
    for (const [index, body] of bodies.entries()) expect(decoded[index]).toEqual(decodeTraceRequestInline('protobuf', body));
  });
});
