/**
 * `wrapAnthropic` over the real `@anthropic-ai/sdk` client talking to the loopback model server:
 * the same objects and MessageStream helpers as without it, one llm span per call (the client's
 * own tracing is turned off in the wrapped copy), usage, and TTFT near the designed delay.
 */
import Anthropic from '@anthropic-ai/sdk';
import { SpanStatusCode } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { replyTokens, startModelServer, type ModelServer } from '@threshold/demo';
import { wrapAnthropic } from '@threshold/sdk';
import { captureSpans } from './support/span-capture.js';

/** See wrap-openai.test.ts: never early, never after the consumer saw it, sane. */
const SANITY_BOUND_MS = 1000;

const capture = captureSpans();
let server: ModelServer;
let raw: Anthropic;
let client: Anthropic;

beforeAll(async () => {
  server = await startModelServer({ profiles: { 'claude-sonnet-4-5': { ttftMs: 90, perTokenMs: 10, outputTokens: 5 } } });
  raw = new Anthropic({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
  client = wrapAnthropic(raw);
  const fast = { headers: { 'x-model-ttft-ms': '0', 'x-model-per-token-ms': '0' } };
  await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'warm up' }] }, fast);
  await client.messages
    .stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'warm up' }] }, fast)
    .finalMessage();
  capture.reset();
});
afterAll(() => server.close());
afterEach(() => capture.reset());

const request = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Where is my order?' }] };
const span = () => capture.span('chat claude-sonnet-4-5');

it('keeps instanceof and the client’s settings', () => {
  expect(client).toBeInstanceOf(Anthropic);
  expect(client.baseURL).toBe(raw.baseURL);
  expect(client.apiKey).toBe('test');
});

it('makes exactly one llm span per call, even though the client traces itself', async () => {
  expect(raw.openTelemetry.traces.enabled).toBe(true);
  await client.messages.create(request);
  expect(capture.spans().map((recorded) => recorded.name)).toEqual(['chat claude-sonnet-4-5']);
});

it('records usage and stop reason of a whole message', async () => {
  const message = await client.messages.create(request);
  expect(message.content).toEqual([{ type: 'text', text: replyTokens(5).join('') }]);
  expect(span().attributes).toMatchObject({
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-sonnet-4-5',
    'gen_ai.request.stream': false,
    'gen_ai.usage.input_tokens': message.usage.input_tokens,
    'gen_ai.usage.output_tokens': 5,
    'gen_ai.response.finish_reasons': ['end_turn'],
  });
});

it('keeps .withResponse()', async () => {
  const { data, response } = await client.messages.create(request).withResponse();
  expect(data.usage.output_tokens).toBe(5);
  expect(response.status).toBe(200);
});

it('records a streamed create (stream: true) with usage from message_delta', async () => {
  const stream = await client.messages.create({ ...request, stream: true });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  expect(types.filter((type) => type === 'content_block_delta')).toHaveLength(5);
  expect(span().attributes['gen_ai.usage.output_tokens']).toBe(5);
  expect(span().attributes['gen_ai.request.stream']).toBe(true);
});

describe('MessageStream helpers', () => {
  it('keeps on("text") and finalMessage(), with TTFT at the first text delta', async () => {
    const startedAtMs = performance.now();
    let observedMs: number | undefined;
    let text = '';
    const stream = client.messages
      .stream(request, { headers: { 'x-model-ttft-ms': '140', 'x-model-per-token-ms': '20', 'x-model-output-tokens': '16' } })
      .on('text', (delta) => {
        observedMs ??= performance.now() - startedAtMs;
        text += delta;
      });
    const message = await stream.finalMessage();
    expect(text).toBe(replyTokens(16).join(''));
    expect(message.usage.output_tokens).toBe(16);
    const recordedMs = (span().attributes['gen_ai.response.time_to_first_chunk'] as number) * 1000;
    expect(recordedMs).toBeGreaterThanOrEqual(140);
    expect(recordedMs).toBeLessThanOrEqual(observedMs!);
    expect(recordedMs).toBeLessThan(140 + SANITY_BOUND_MS);
    expect(span().attributes['gen_ai.usage.output_tokens']).toBe(16);
  });

  it('records a tool use answer', async () => {
    const message = await client.messages
      .stream({
        ...request,
        messages: [{ role: 'user', content: 'Weather? [[tool_call:get_weather]]' }],
        tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      })
      .finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'example' } });
    expect(span().attributes['gen_ai.response.finish_reasons']).toEqual(['tool_use']);
    expect(span().attributes['gen_ai.response.time_to_first_chunk']).toBeDefined();
  });

  it('ends the span when the stream is aborted, and abort rejects as before', async () => {
    const stream = client.messages.stream(request, { headers: { 'x-model-output-tokens': '40' } });
    stream.on('text', () => stream.abort());
    const error = await stream.finalMessage().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(capture.spans()).toHaveLength(1);
  });
});

it('rethrows the client’s own error and fails the span', async () => {
  const error = await client.messages
    .create(request, { headers: { 'x-model-status': '529', 'x-model-ttft-ms': '0' } })
    .catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(Anthropic.APIError);
  expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
  expect(span().status.code).toBe(SpanStatusCode.ERROR);
});
