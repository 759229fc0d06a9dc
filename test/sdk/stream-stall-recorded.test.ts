/**
 * A stream that freezes mid-answer, end to end: the loopback model server holds one token back
 * (`x-model-stall-ms`), the real `openai` client reads the stream through `wrapOpenAI`, and the
 * span says how many chunks came and where the longest pause was. The server's recorded plan is
 * exact; what the SDK measured is compared with what its consumer saw, since a shared machine can
 * delay any timer (late, never early).
 */
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from '@threshold/demo';
import { wrapOpenAI } from '@threshold/sdk';
import { captureSpans } from './support/span-capture.js';

const LATE_TOLERANCE_MS = 1_000;
const capture = captureSpans();
let server: ModelServer;
let openai: OpenAI;

beforeAll(async () => {
  server = await startModelServer();
  openai = wrapOpenAI(new OpenAI({ apiKey: 'test', baseURL: `${server.url}/v1`, maxRetries: 0 }));
});
afterAll(() => server.close());
afterEach(() => capture.reset());

describe('a stream held back mid-answer', () => {
  it('is planned with the pause before the token asked for (never the first)', async () => {
    const before = server.requests.length;
    const headers = { 'x-model-ttft-ms': '20', 'x-model-per-token-ms': '5', 'x-model-output-tokens': '6' };
    for (const stall of [
      { 'x-model-stall-ms': '300', 'x-model-stall-at-token': '4' },
      { 'x-model-stall-ms': '40' },
      { 'x-model-stall-ms': '40', 'x-model-stall-at-token': '0' },
    ]) {
      const stream = await openai.chat.completions.create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true },
        { headers: { ...headers, ...stall } },
      );
      for await (const _ of stream);
    }
    expect(server.requests.slice(before).map((request) => request.plan.tokenOffsetsMs)).toEqual([
      [20, 25, 30, 35, 340, 345],
      [20, 25, 30, 75, 80, 85],
      [20, 65, 70, 75, 80, 85],
    ]);
  });

  it('is recorded by the SDK as the pause its consumer saw, with where it began and the chunk count', async () => {
    const startedAtMs = performance.now();
    const stream = await openai.chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true },
      {
        headers: {
          'x-model-ttft-ms': '20',
          'x-model-per-token-ms': '5',
          'x-model-output-tokens': '6',
          'x-model-stall-ms': '300',
          'x-model-stall-at-token': '4',
        },
      },
    );
    const seenAtMs: number[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) seenAtMs.push(performance.now() - startedAtMs);
    const gaps = seenAtMs.slice(1).map((atMs, index) => atMs - seenAtMs[index]!);
    const longest = gaps.indexOf(Math.max(...gaps));
    const attributes = capture.span('chat gpt-4o').attributes;
    // The wrapper times each chunk just before handing it over: the same pause, within a clock read or two.
    expect(attributes['threshold.llm.chunks']).toBe(6);
    expect(Math.abs((attributes['threshold.llm.max_chunk_gap_ms'] as number) - gaps[longest]!)).toBeLessThan(2);
    // Token 3 left the server at 35 ms and token 4 at 340 ms: the pause began at token 3.
    expect(longest).toBe(3);
    const startMs = attributes['threshold.llm.max_chunk_gap_start_ms'] as number;
    expect(startMs).toBeGreaterThanOrEqual(35 - 1);
    expect(startMs).toBeLessThan(35 + LATE_TOLERANCE_MS);
    expect(Math.abs(startMs - seenAtMs[3]!)).toBeLessThan(LATE_TOLERANCE_MS);
  });
});
