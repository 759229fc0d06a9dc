/**
 * The stream wrappers' record of a stream's rhythm: how many content chunks came and the longest
 * pause between two of them after the first, with when it began. The clock is `performance.now`,
 * driven by the test, so every figure is exact.
 */
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { llm } from '@threshold/sdk';
import { captureSpans } from './support/span-capture.js';

const capture = captureSpans();
let nowMs = 0;
beforeEach(() => {
  nowMs = 1_000;
  vi.spyOn(performance, 'now').mockImplementation(() => nowMs);
});
afterEach(() => {
  vi.restoreAllMocks();
  capture.reset();
});

const content = (text: string) => ({ choices: [{ index: 0, delta: { content: text } }] });
const roleOnly = { choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] };
const usage = { choices: [], usage: { prompt_tokens: 7, completion_tokens: 40, total_tokens: 47 } };
const ping = { type: 'ping' };

/** Chunks handed over at the given clock readings (ms), the clock then left at `endMs`. */
async function* timed(plan: ReadonlyArray<readonly [number, unknown]>, endMs: number) {
  for (const [atMs, chunk] of plan) {
    nowMs = atMs;
    yield chunk;
  }
  nowMs = endMs;
}

function readableOf(plan: ReadonlyArray<readonly [number, unknown]>, endMs: number): ReadableStream<unknown> {
  const iterator = timed(plan, endMs);
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

const chunkAttributes = () => {
  const attributes = capture.span('chat m').attributes;
  return {
    chunks: attributes['threshold.llm.chunks'],
    maxGapMs: attributes['threshold.llm.max_chunk_gap_ms'],
    maxGapStartMs: attributes['threshold.llm.max_chunk_gap_start_ms'],
    ttftS: attributes['gen_ai.response.time_to_first_chunk'],
  };
};

/**
 *   start 1000   content 1100  1120         1900  1930     usage 3000
 *                |ttft 100|    |-20-|       |--780--|  |30|
 */
const PLAN = [
  [1_000, roleOnly],
  [1_100, content('a')],
  [1_120, content('b')],
  [1_900, content('c')],
  [1_930, content('d')],
  [3_000, usage],
] as const;
const EXPECTED = { chunks: 4, maxGapMs: 780, maxGapStartMs: 120, ttftS: 0.1 };

describe('the longest pause between chunks', () => {
  it('is recorded with its start and the chunk count for an async iterable', async () => {
    for await (const _ of llm.stream({ model: 'm' }, () => timed(PLAN, 3_050)));
    expect(chunkAttributes()).toEqual(EXPECTED);
  });

  it('is recorded the same for a ReadableStream', async () => {
    const stream = llm.stream({ model: 'm' }, () => readableOf(PLAN, 3_050)) as ReadableStream<unknown>;
    const reader = stream.getReader();
    while (!(await reader.read()).done);
    expect(chunkAttributes()).toEqual(EXPECTED);
  });

  it('is not ended by chunks that show nothing new (pings, usage), which do not count either', async () => {
    const plan = [
      [1_050, content('a')],
      [1_400, ping],
      [1_800, usage],
      [2_300, content('b')],
      [2_310, content('c')],
    ] as const;
    for await (const _ of llm.stream({ model: 'm' }, () => timed(plan, 2_400)));
    expect(chunkAttributes()).toEqual({ chunks: 3, maxGapMs: 1_250, maxGapStartMs: 50, ttftS: 0.05 });
  });

  it('counts a chunk carrying several choices once', async () => {
    const twoChoices = {
      choices: [
        { index: 0, delta: { content: 'x' } },
        { index: 1, delta: { content: 'y' } },
      ],
    };
    const plan = [
      [1_200, twoChoices],
      [1_500, twoChoices],
    ] as const;
    for await (const _ of llm.stream({ model: 'm' }, () => timed(plan, 1_600)));
    expect(chunkAttributes()).toEqual({ chunks: 2, maxGapMs: 300, maxGapStartMs: 200, ttftS: 0.2 });
  });

  it('keeps the first of equal pauses', async () => {
    const plan = [
      [1_000, content('a')],
      [1_400, content('b')],
      [1_800, content('c')],
    ] as const;
    for await (const _ of llm.stream({ model: 'm' }, () => timed(plan, 1_900)));
    expect(chunkAttributes()).toEqual({ chunks: 3, maxGapMs: 400, maxGapStartMs: 0, ttftS: 0 });
  });

  it('is absent with a single content chunk, whose count is still recorded', async () => {
    for await (const _ of llm.stream({ model: 'm' }, () => timed([[1_300, content('only')]], 1_400)));
    expect(chunkAttributes()).toEqual({ chunks: 1, maxGapMs: undefined, maxGapStartMs: undefined, ttftS: 0.3 });
  });

  it('records 0 chunks for a stream read to its end without content', async () => {
    for await (const _ of llm.stream({ model: 'm' }, () => timed([[1_100, roleOnly]], 1_200)));
    expect(chunkAttributes()).toEqual({ chunks: 0, maxGapMs: undefined, maxGapStartMs: undefined, ttftS: undefined });
  });

  it('counts the chunks read before an early break', async () => {
    for await (const chunk of llm.stream({ model: 'm' }, () => timed(PLAN, 3_050))) if (chunk === PLAN[3][1]) break;
    expect(chunkAttributes()).toEqual({ chunks: 3, maxGapMs: 780, maxGapStartMs: 120, ttftS: 0.1 });
  });
});
