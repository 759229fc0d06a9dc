/**
 * Issue 3's stream guarantees for `llm.stream`, each by name, over async iterables and
 * ReadableStreams: chunks untouched; early break, return(), throw(), an error mid-stream,
 * cancel, tee(), a stream never iterated and double iteration all behave as without the SDK;
 * the span ends exactly once with the right status; TTFT at the first chunk with content.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { llm, shutdown } from '@threshold/sdk';
import { captureSpans } from './support/span-capture.js';

const capture = captureSpans();
afterEach(() => capture.reset());

const roleChunk = { choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] };
const contentChunk = (text: string) => ({ choices: [{ index: 0, delta: { content: text } }] });
const usageChunk = { choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } };

/** A chat-completions-shaped generator that records how it was closed. */
function chatStream(log: string[], options: { failAfter?: number; gapMs?: number } = {}) {
  const chunks = [roleChunk, contentChunk('a'), contentChunk('b'), contentChunk('c'), usageChunk];
  return (async function* () {
    try {
      for (let index = 0; index < chunks.length; index++) {
        if (options.failAfter === index) throw new Error('connection reset');
        if (options.gapMs && index > 0) await new Promise((resolve) => setTimeout(resolve, options.gapMs));
        yield chunks[index]!;
      }
      log.push('completed');
    } finally {
      log.push('finally');
    }
  })();
}

const spanOf = () => capture.span('chat m');

describe('chunks are yielded untouched', () => {
  it('yields the very chunk objects of an async iterable, and records usage and TTFT', async () => {
    const log: string[] = [];
    const source = chatStream(log);
    const seen: unknown[] = [];
    for await (const chunk of llm.stream({ model: 'm' }, () => source)) seen.push(chunk);
    expect(seen).toEqual([roleChunk, contentChunk('a'), contentChunk('b'), contentChunk('c'), usageChunk]);
    expect(seen[0]).toBe(roleChunk);
    expect(seen[4]).toBe(usageChunk);
    const span = spanOf();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['gen_ai.request.stream']).toBe(true);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(7);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(3);
    expect(typeof span.attributes['gen_ai.response.time_to_first_chunk']).toBe('number');
  });

  it('measures TTFT at the first chunk with content, not at a role-only chunk', async () => {
    const source = (async function* () {
      yield roleChunk;
      await new Promise((resolve) => setTimeout(resolve, 60));
      yield contentChunk('late');
    })();
    for await (const _ of llm.stream({ model: 'm' }, () => source));
    expect(spanOf().attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThanOrEqual(0.059);
  });

  it('computes TPOT from the output tokens', async () => {
    for await (const _ of llm.stream({ model: 'm' }, () => chatStream([], { gapMs: 10 })));
    const span = spanOf();
    const durationS = span.duration[0] + span.duration[1] / 1e9;
    const ttftS = span.attributes['gen_ai.response.time_to_first_chunk'] as number;
    // (end − first content) / (3 − 1): the span's end is a hair after the recording's end.
    expect(span.attributes['threshold.llm.time_per_output_token']).toBeCloseTo((durationS - ttftS) / 2, 2);
  });

  it('reads a promise of a stream (the openai create shape) on first iteration', async () => {
    const seen: unknown[] = [];
    for await (const chunk of llm.stream({ model: 'm' }, async () => chatStream([]))) seen.push(chunk);
    expect(seen).toHaveLength(5);
    expect(spanOf().attributes['gen_ai.usage.output_tokens']).toBe(3);
  });
});

describe('early break, return() and throw()', () => {
  it('early break closes the source and ends the span unset', async () => {
    const log: string[] = [];
    for await (const chunk of llm.stream({ model: 'm' }, () => chatStream(log))) if (chunk !== roleChunk) break;
    expect(log).toEqual(['finally']);
    expect(spanOf().status.code).toBe(SpanStatusCode.UNSET);
    expect(spanOf().attributes['gen_ai.response.time_to_first_chunk']).toBeDefined();
  });

  it('return() is forwarded with its value and is safe to call twice', async () => {
    const log: string[] = [];
    const stream = llm.stream({ model: 'm' }, () => chatStream(log)) as AsyncIterableIterator<unknown>;
    await stream.next();
    expect(await stream.return!('stop')).toEqual({ done: true, value: 'stop' });
    expect(await stream.return!('again')).toEqual({ done: true, value: 'again' });
    expect(log).toEqual(['finally']);
    expect(capture.spans()).toHaveLength(1);
  });

  it('throw() is forwarded: the generator sees the error and the same error comes back', async () => {
    const log: string[] = [];
    const stream = llm.stream({ model: 'm' }, () => chatStream(log)) as AsyncIterableIterator<unknown>;
    await stream.next();
    const error = new Error('consumer gave up');
    expect(await stream.throw!(error).catch((thrown: unknown) => thrown)).toBe(error);
    expect(log).toEqual(['finally']);
    expect(spanOf().status).toEqual({ code: SpanStatusCode.ERROR, message: 'consumer gave up' });
  });
});

describe('an error mid-stream', () => {
  it('reaches the consumer as the same error object after the chunks before it, and fails the span', async () => {
    const seen: unknown[] = [];
    let caught: unknown;
    try {
      for await (const chunk of llm.stream({ model: 'm' }, () => chatStream([], { failAfter: 2 }))) seen.push(chunk);
    } catch (error) {
      caught = error;
    }
    expect(seen).toEqual([roleChunk, contentChunk('a')]);
    expect((caught as Error).message).toBe('connection reset');
    expect(spanOf().status).toEqual({ code: SpanStatusCode.ERROR, message: 'connection reset' });
  });

  it('a rejected request fails the span even if nobody iterates', async () => {
    const error = new Error('429');
    const stream = llm.stream({ model: 'm' }, () => Promise.reject(error));
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(spanOf().status.code).toBe(SpanStatusCode.ERROR);
    expect(await (stream as AsyncIterableIterator<unknown>).next().catch((thrown: unknown) => thrown)).toBe(error);
  });
});

describe('ReadableStream', () => {
  const readable = (log: string[]) => {
    let index = 0;
    const chunks = [roleChunk, contentChunk('a'), contentChunk('b')];
    return new ReadableStream(
      {
        pull(controller) {
          if (index < chunks.length) controller.enqueue(chunks[index++]);
          else controller.close();
        },
        cancel(reason) {
          log.push(`cancel:${String(reason)}`);
        },
      },
      { highWaterMark: 0 },
    );
  };

  it('returns a ReadableStream with the same chunks', async () => {
    const stream = llm.stream({ model: 'm' }, () => readable([])) as unknown as ReadableStream;
    expect(stream).toBeInstanceOf(ReadableStream);
    const seen: unknown[] = [];
    for await (const chunk of stream) seen.push(chunk);
    expect(seen[1]).toEqual(contentChunk('a'));
    expect(seen).toHaveLength(3);
    expect(spanOf().attributes['gen_ai.response.time_to_first_chunk']).toBeDefined();
  });

  it('forwards cancel with its reason and ends the span unset', async () => {
    const log: string[] = [];
    const stream = llm.stream({ model: 'm' }, () => readable(log)) as unknown as ReadableStream;
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel('user closed');
    expect(log).toEqual(['cancel:user closed']);
    expect(spanOf().status.code).toBe(SpanStatusCode.UNSET);
  });

  it('tee() gives both branches every chunk and the span ends once', async () => {
    const stream = llm.stream({ model: 'm' }, () => readable([])) as unknown as ReadableStream;
    const [left, right] = stream.tee();
    const drain = async (branch: ReadableStream) => {
      const seen: unknown[] = [];
      for await (const chunk of branch) seen.push(chunk);
      return seen;
    };
    const [fromLeft, fromRight] = await Promise.all([drain(left), drain(right)]);
    expect(fromLeft).toHaveLength(3);
    expect(fromRight).toEqual(fromLeft);
    expect(capture.spans()).toHaveLength(1);
  });

  it('errors reach the reader as the same error and fail the span', async () => {
    const error = new Error('upstream');
    const stream = llm.stream(
      { model: 'm' },
      () => new ReadableStream({ pull: (controller) => controller.error(error) }),
    ) as unknown as ReadableStream;
    expect(
      await stream
        .getReader()
        .read()
        .catch((thrown: unknown) => thrown),
    ).toBe(error);
    expect(spanOf().status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('a stream never iterated', () => {
  it('is never read, and its span ends when the stream is collected', async () => {
    const log: string[] = [];
    let pulled = false;
    (() => {
      llm.stream({ model: 'm' }, () => ({
        [Symbol.asyncIterator]() {
          pulled = true;
          return chatStream(log);
        },
      }));
    })();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let attempt = 0; attempt < 20 && capture.spans().length === 0; attempt++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(pulled).toBe(false);
    expect(capture.spans()).toHaveLength(1);
    expect(spanOf().status.code).toBe(SpanStatusCode.UNSET);
    expect(spanOf().attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
  });

  it('still open at shutdown, its span is ended and flushed', async () => {
    const kept = llm.stream({ model: 'm' }, () => chatStream([]));
    await shutdown();
    expect(capture.spans()).toHaveLength(1);
    expect(kept).toBeDefined();
  });
});

describe('double iteration', () => {
  it('an async generator iterated twice yields nothing the second time, as without the SDK', async () => {
    const stream = llm.stream({ model: 'm' }, () => chatStream([]));
    const first: unknown[] = [];
    for await (const chunk of stream) first.push(chunk);
    const second: unknown[] = [];
    for await (const chunk of stream) second.push(chunk);
    expect(first).toHaveLength(5);
    expect(second).toEqual([]);
    expect(capture.spans()).toHaveLength(1);
  });

  it('a re-iterable source is read afresh the second time, and only the first read is recorded', async () => {
    const source = {
      async *[Symbol.asyncIterator]() {
        yield contentChunk('x');
        yield contentChunk('y');
      },
    };
    const stream = llm.stream({ model: 'm' }, () => source);
    const reads: number[] = [];
    for (let pass = 0; pass < 2; pass++) {
      let count = 0;
      for await (const _ of stream) count++;
      reads.push(count);
    }
    expect(reads).toEqual([2, 2]);
    expect(capture.spans()).toHaveLength(1);
  });
});
