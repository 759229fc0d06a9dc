/**
 * `wrapOpenAI` over the real `openai` client talking to the loopback model server: the same
 * objects and helpers as without it, llm spans with usage, and a recorded TTFT within a few ms of
 * the server's designed delay.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import OpenAI from 'openai';
import { APIPromise } from 'openai/core/api-promise';
import { Stream } from 'openai/core/streaming';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replyTokens, startModelServer, type ModelServer } from '@threshold/demo';
import { llm, wrapOpenAI } from '@threshold/sdk';
import { captureSpans } from './support/span-capture.js';

/**
 * The recorded TTFT is pinned between two bounds that hold on any machine: at least the designed
 * delay (the server never sends early) and at most the moment the consumer saw the first content
 * chunk (the SDK records it just before handing it over) — a TTFT taken at an earlier chunk fails
 * the first, one taken at a later chunk fails the second. On a quiet machine the recorded value
 * is within a few ms of the design (bench/sdk.mjs reports the distribution); the last bound only
 * catches gross errors, since a shared machine under load can stall an event loop for 100+ ms.
 */
const SANITY_BOUND_MS = 1000;

const capture = captureSpans();
let server: ModelServer;
let client: OpenAI;
let raw: OpenAI;

beforeAll(async () => {
  server = await startModelServer({ profiles: { 'gpt-4o': { ttftMs: 80, perTokenMs: 10, outputTokens: 5 } } });
  raw = new OpenAI({ apiKey: 'test', baseURL: `${server.url}/v1`, maxRetries: 0 });
  client = wrapOpenAI(raw);
  // Warm the connection and the code paths of both call kinds, so timing tests measure steady state.
  const fast = { headers: { 'x-model-ttft-ms': '0', 'x-model-per-token-ms': '0' } };
  await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'warm up' }] }, fast);
  for await (const _ of await client.chat.completions.create(
    { model: 'gpt-4o', messages: [{ role: 'user', content: 'warm up' }], stream: true },
    fast,
  ));
  capture.reset();
});
afterAll(() => server.close());
afterEach(() => capture.reset());

const request = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Where is my order?' }] };
const ttftMs = () => (capture.span('chat gpt-4o').attributes['gen_ai.response.time_to_first_chunk'] as number) * 1000;

/** The recorded TTFT is never early, matches what the consumer saw, and is near the design. */
function expectRecordedTtft(designedMs: number, observedMs: number): void {
  const recordedMs = ttftMs();
  expect(recordedMs).toBeGreaterThanOrEqual(designedMs);
  expect(recordedMs).toBeLessThanOrEqual(observedMs);
  expect(recordedMs).toBeLessThan(designedMs + SANITY_BOUND_MS);
}

describe('the wrapped client is the same client', () => {
  it('keeps instanceof, options and stable method identity', () => {
    expect(client).toBeInstanceOf(OpenAI);
    expect(client.baseURL).toBe(raw.baseURL);
    expect(client.chat.completions.create).toBe(client.chat.completions.create);
    expect(wrapOpenAI(client)).toBe(client);
  });

  it('instruments copies made with withOptions()', async () => {
    const copy = client.withOptions({ timeout: 5_000 });
    expect(copy).toBeInstanceOf(OpenAI);
    await copy.chat.completions.create(request);
    expect(capture.spans().map((span) => span.name)).toEqual(['chat gpt-4o']);
  });

  it('returns an APIPromise whose .withResponse() and .asResponse() work as before', async () => {
    const promise = client.chat.completions.create(request);
    expect(promise).toBeInstanceOf(APIPromise);
    const { data, response } = await promise.withResponse();
    expect(data.choices[0]!.message.content).toBe(replyTokens(5).join(''));
    expect(response.status).toBe(200);

    const rawResponse = await client.chat.completions.create(request).asResponse();
    const body = (await rawResponse.json()) as { usage: { completion_tokens: number } };
    expect(body.usage.completion_tokens).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(capture.spans().map((span) => span.name)).toEqual(['chat gpt-4o', 'chat gpt-4o']);
  });
});

describe('non-streamed calls', () => {
  it('record provider, model and usage', async () => {
    const completion = await client.chat.completions.create(request);
    expect(completion.usage!.completion_tokens).toBe(5);
    expect(capture.span('chat gpt-4o').attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.stream': false,
      'gen_ai.usage.input_tokens': completion.usage!.prompt_tokens,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.response.finish_reasons': ['stop'],
    });
  });

  it('rethrow the client’s own error object and fail the span', async () => {
    const error = await client.chat.completions
      .create(request, { headers: { 'x-model-status': '429', 'x-model-ttft-ms': '0' } })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const span = capture.span('chat gpt-4o');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('RateLimitError');
  });

  it('record the responses API', async () => {
    const response = await client.responses.create({ model: 'gpt-4o', input: 'hello' });
    expect(response.output_text).toBe(replyTokens(5).join(''));
    expect(capture.span('chat gpt-4o').attributes['gen_ai.usage.output_tokens']).toBe(5);
  });
});

describe('streamed calls', () => {
  it('record TTFT within a few ms of the designed delay, usage and TPOT', async () => {
    const startedAtMs = performance.now();
    const stream = await client.chat.completions.create(
      { ...request, stream: true, stream_options: { include_usage: true } },
      { headers: { 'x-model-ttft-ms': '150', 'x-model-per-token-ms': '20', 'x-model-output-tokens': '16' } },
    );
    expect(stream).toBeInstanceOf(Stream);
    const contents: string[] = [];
    let observedMs: number | undefined;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) observedMs ??= performance.now() - startedAtMs;
      contents.push(content ?? '');
    }
    expect(contents.join('')).toBe(replyTokens(16).join(''));
    expectRecordedTtft(150, observedMs!);
    const span = capture.span('chat gpt-4o');
    expect(span.attributes['gen_ai.request.stream']).toBe(true);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(16);
    // TPOT = (end − first content) / (output tokens − 1), from the usage chunk's 16 tokens; the
    // span ends a hair after the recording, so the two agree to well under a millisecond.
    const tpotMs = (span.attributes['threshold.llm.time_per_output_token'] as number) * 1000;
    const durationMs = span.duration[0] * 1000 + span.duration[1] / 1e6;
    expect(Math.abs(tpotMs - (durationMs - ttftMs()) / 15)).toBeLessThan(0.5);
    expect(tpotMs).toBeGreaterThan(0);
  });

  it('keep .tee(): both halves see every chunk and the span ends once', async () => {
    const stream = await client.chat.completions.create({ ...request, stream: true });
    const [left, right] = stream.tee();
    const drain = async (half: typeof left) => {
      let text = '';
      for await (const chunk of half) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    expect(await Promise.all([drain(left), drain(right)])).toEqual([replyTokens(5).join(''), replyTokens(5).join('')]);
    expect(capture.spans()).toHaveLength(1);
    expect(ttftMs()).toBeGreaterThanOrEqual(80);
  });

  it('keep .toReadableStream()', async () => {
    const stream = await client.chat.completions.create({ ...request, stream: true });
    const reader = stream.toReadableStream().getReader();
    let lines = 0;
    for (let result = await reader.read(); !result.done; result = await reader.read()) lines++;
    expect(lines).toBe(1 + 5 + 1);
    expect(ttftMs()).toBeGreaterThanOrEqual(80);
  });

  it('end the span on early break, and the controller aborts the request as before', async () => {
    const stream = await client.chat.completions.create({ ...request, stream: true }, { headers: { 'x-model-output-tokens': '50' } });
    let seen = 0;
    for await (const _ of stream) if (++seen === 3) break;
    expect(stream.controller.signal.aborted).toBe(true);
    expect(capture.span('chat gpt-4o').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('surface a mid-stream failure as before and fail the span', async () => {
    const failing = { headers: { 'x-model-abort-after-tokens': '2', 'x-model-ttft-ms': '0' } };
    const consume = async (source: AsyncIterable<unknown>) => {
      let chunks = 0;
      try {
        for await (const _ of source) chunks++;
        return { chunks, error: undefined };
      } catch (error) {
        return { chunks, error: (error as Error).constructor.name };
      }
    };
    const wrapped = await consume(await client.chat.completions.create({ ...request, stream: true }, failing));
    const unwrapped = await consume(await raw.chat.completions.create({ ...request, stream: true }, failing));
    // How many chunks arrive before the cut depends on socket timing, not on the SDK.
    expect(wrapped.error).toBe(unwrapped.error);
    expect(wrapped.error).toBeDefined();
    expect(wrapped.chunks).toBeLessThanOrEqual(3);
    expect(capture.span('chat gpt-4o').status.code).toBe(SpanStatusCode.ERROR);
  });

  it('second iteration fails exactly as the unwrapped client’s does', async () => {
    const stream = await client.chat.completions.create({ ...request, stream: true });
    for await (const _ of stream);
    const again = await (async () => {
      for await (const _ of stream);
    })().catch((error: Error) => error.message);
    expect(again).toBe('Cannot iterate over a consumed stream, use `.tee()` to split the stream.');
    expect(capture.spans()).toHaveLength(1);
  });

  it('instrument the chat.completions.stream() helper through create', async () => {
    const startedAtMs = performance.now();
    let observedMs: number | undefined;
    const runner = client.chat.completions
      .stream(
        { ...request, stream_options: { include_usage: true } },
        { headers: { 'x-model-ttft-ms': '120', 'x-model-per-token-ms': '20', 'x-model-output-tokens': '16' } },
      )
      .on('content', () => (observedMs ??= performance.now() - startedAtMs));
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe(replyTokens(16).join(''));
    expectRecordedTtft(120, observedMs!);
    expect(capture.span('chat gpt-4o').attributes['gen_ai.usage.output_tokens']).toBe(16);
  });

  it('instrument the responses.stream() helper, with TTFT at the first text delta', async () => {
    const startedAtMs = performance.now();
    let observedMs: number | undefined;
    const stream = client.responses
      .stream(
        { model: 'gpt-4o', input: 'hi' },
        { headers: { 'x-model-ttft-ms': '100', 'x-model-per-token-ms': '20', 'x-model-output-tokens': '16' } },
      )
      .on('response.output_text.delta', () => (observedMs ??= performance.now() - startedAtMs));
    const final = await stream.finalResponse();
    expect(final.usage!.output_tokens).toBe(16);
    expectRecordedTtft(100, observedMs!);
    expect(capture.span('chat gpt-4o').attributes['gen_ai.usage.output_tokens']).toBe(16);
  });

  it('end a stream’s span at the headers when the caller takes the raw response', async () => {
    const response = await client.chat.completions.create({ ...request, stream: true }).asResponse();
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(capture.spans()).toHaveLength(1);
    expect(capture.span('chat gpt-4o').attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
  });
});

describe('llm.call and llm.stream around the unwrapped client', () => {
  it('llm.call returns the client’s APIPromise itself, so .withResponse() still works', async () => {
    const promise = raw.chat.completions.create(request);
    const returned = llm.call({ model: 'gpt-4o', provider: 'openai', purpose: 'intent' }, () => promise);
    expect(returned).toBe(promise);
    const { data } = await returned.withResponse();
    expect(data.usage!.completion_tokens).toBe(5);
    expect(capture.span('chat gpt-4o').attributes).toMatchObject({ 'threshold.llm.purpose': 'intent', 'gen_ai.usage.output_tokens': 5 });
  });

  it('llm.stream over create({ stream: true }) yields the client’s chunks and records TTFT and usage', async () => {
    const startedAtMs = performance.now();
    let observedMs: number | undefined;
    let text = '';
    const stream = llm.stream<OpenAI.ChatCompletionChunk>({ model: 'gpt-4o', provider: 'openai' }, () =>
      raw.chat.completions.create(
        { ...request, stream: true, stream_options: { include_usage: true } },
        { headers: { 'x-model-ttft-ms': '130', 'x-model-per-token-ms': '20', 'x-model-output-tokens': '16' } },
      ),
    );
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) observedMs ??= performance.now() - startedAtMs;
      text += content ?? '';
    }
    expect(text).toBe(replyTokens(16).join(''));
    expectRecordedTtft(130, observedMs!);
    expect(capture.span('chat gpt-4o').attributes['gen_ai.usage.output_tokens']).toBe(16);
  });
});

describe('a stream never iterated', () => {
  it('ends its span, unset and without TTFT, once the Stream is collected', async () => {
    await (async () => {
      await client.chat.completions.create({ ...request, stream: true });
    })();
    expect(capture.spans()).toHaveLength(0);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let attempt = 0; attempt < 50 && capture.spans().length === 0; attempt++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const span = capture.span('chat gpt-4o');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
  });
});
