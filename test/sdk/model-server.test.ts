/**
 * The loopback model servers speak the real APIs well enough for the official clients: every
 * test drives `openai` 6 or `@anthropic-ai/sdk` against them and checks content, usage, tool
 * calls, errors and the designed timing.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateTokens, replyTokens, startModelServer, type ModelServer } from '@threshold/demo';

/**
 * Timers fire late, never early. The exact part of a timing test is the plan the server recorded
 * and the lower bound; the upper bound only catches gross errors, because a shared machine under
 * load (two cores, several test suites) can delay an event loop by a hundred ms or more.
 */
const LATE_TOLERANCE_MS = 1000;

let server: ModelServer;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  server = await startModelServer({
    profiles: { 'gpt-4o': { ttftMs: 60, perTokenMs: 5, outputTokens: 6 }, 'small-7b': { ttftMs: 20, perTokenMs: 2, outputTokens: 4 } },
  });
  openai = new OpenAI({ apiKey: 'test', baseURL: `${server.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
});
afterAll(() => server.close());

const userMessage = 'What is the weather in Paris?';
const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('OpenAI chat completions', () => {
  it('answers a non-streamed request with the profile’s tokens and an exact usage block', async () => {
    const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: userMessage }] });
    expect(completion.choices[0]!.message.content).toBe(replyTokens(6).join(''));
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toEqual({
      prompt_tokens: estimateTokens(userMessage),
      completion_tokens: 6,
      total_tokens: estimateTokens(userMessage) + 6,
    });
  });

  it('streams one token per chunk after a role-only chunk, and a usage chunk when include_usage is set', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: userMessage }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['', ...replyTokens(6), undefined, undefined]);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual({
      prompt_tokens: estimateTokens(userMessage),
      completion_tokens: 6,
      total_tokens: estimateTokens(userMessage) + 6,
    });
  });

  it('omits the usage chunk when include_usage is not set', async () => {
    const stream = await openai.chat.completions.create({ model: 'small-7b', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
    expect(chunks.length).toBe(1 + 4 + 1);
  });

  it('schedules tokens at the designed offsets and never sends one early', async () => {
    const before = server.requests.length;
    const startedAtMs = performance.now();
    const stream = await openai.chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { headers: { 'x-model-ttft-ms': '150', 'x-model-per-token-ms': '30', 'x-model-output-tokens': '3' } },
    );
    const contentTimesMs: number[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) contentTimesMs.push(performance.now() - startedAtMs);
    expect(server.requests[before]!.plan.tokenOffsetsMs).toEqual([150, 180, 210]);
    expect(contentTimesMs.length).toBe(3);
    [150, 180, 210].forEach((designedMs, index) => {
      expect(contentTimesMs[index]).toBeGreaterThanOrEqual(designedMs - 1);
      expect(contentTimesMs[index]).toBeLessThan(designedMs + LATE_TOLERANCE_MS);
    });
  });

  it('calls the tool named by the x-model-tool-call header, streamed and not', async () => {
    const request = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: userMessage }], tools: [weatherTool] };
    const options = { headers: { 'x-model-tool-call': 'get_weather', 'x-model-tool-arguments': '{"city":"Paris"}' } };
    const completion = await openai.chat.completions.create(request, options);
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.usage!.completion_tokens).toBe(estimateTokens('{"city":"Paris"}'));

    const runner = openai.chat.completions.stream({ ...request, stream_options: { include_usage: true } }, options);
    const final = await runner.finalChatCompletion();
    const streamedCall = final.choices[0]!.message.tool_calls![0]!;
    expect(streamedCall.type === 'function' && streamedCall.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(final.usage!.completion_tokens).toBe(estimateTokens('{"city":"Paris"}'));
  });

  it('calls a tool when the last user message carries a [[tool_call:name]] directive, with placeholder arguments', async () => {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather please [[tool_call:get_weather]]' }],
      tools: [weatherTool],
    });
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function).toEqual({ name: 'get_weather', arguments: '{"city":"example"}' });
  });

  it('answers with text after a tool result even when the conversation began with a directive', async () => {
    const completion = await openai.chat.completions.create({
      model: 'small-7b',
      messages: [
        { role: 'user', content: 'Weather please [[tool_call:get_weather]]' },
        { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
      tools: [weatherTool],
    });
    expect(completion.choices[0]!.message.content).toBe(replyTokens(4).join(''));
  });

  it('raises the client’s own error class for a simulated 429, without retries', async () => {
    const before = server.requests.length;
    const error = await openai.chat.completions
      .create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-model-status': '429', 'x-model-ttft-ms': '0' } },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);
    expect(server.requests.length - before).toBe(1);
  });

  it('cuts a stream after the requested number of tokens, so the client sees a mid-stream error', async () => {
    const stream = await openai.chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { headers: { 'x-model-abort-after-tokens': '2', 'x-model-ttft-ms': '0', 'x-model-per-token-ms': '0' } },
    );
    const contents: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(contents).toEqual(['', ...replyTokens(2)]);
  });
});

describe('OpenAI responses', () => {
  it('answers a non-streamed request with output_text and usage', async () => {
    const response = await openai.responses.create({ model: 'small-7b', input: userMessage });
    expect(response.output_text).toBe(replyTokens(4).join(''));
    expect(response.usage).toMatchObject({
      input_tokens: estimateTokens(userMessage),
      output_tokens: 4,
      total_tokens: estimateTokens(userMessage) + 4,
    });
  });

  it('streams events the client’s ResponseStream helper accumulates into the final response', async () => {
    const stream = openai.responses.stream({ model: 'gpt-4o', input: userMessage });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(final.output[0]).toMatchObject({ type: 'message', content: [{ type: 'output_text', text: replyTokens(6).join('') }] });
    expect(final.usage!.output_tokens).toBe(6);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(6).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('streams a function call when asked to', async () => {
    const stream = openai.responses.stream(
      {
        model: 'gpt-4o',
        input: userMessage,
        tools: [{ type: 'function', name: 'get_weather', parameters: weatherTool.function.parameters, strict: false }],
      },
      { headers: { 'x-model-tool-call': 'auto' } },
    );
    const final = await stream.finalResponse();
    expect(final.output[0]).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '{"city":"example"}' });
  });
});

describe('Anthropic messages', () => {
  it('answers a non-streamed request with text content and usage', async () => {
    const message = await anthropic.messages.create({
      model: 'small-7b',
      max_tokens: 100,
      messages: [{ role: 'user', content: userMessage }],
    });
    expect(message.content).toEqual([{ type: 'text', text: replyTokens(4).join('') }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: estimateTokens(userMessage), output_tokens: 4 });
  });

  it('caps the answer at max_tokens', async () => {
    const message = await anthropic.messages.create({ model: 'gpt-4o', max_tokens: 2, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.usage.output_tokens).toBe(2);
  });

  it('streams message_start … content_block_delta … message_delta, message_stop', async () => {
    const stream = await anthropic.messages.create({
      model: 'small-7b',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const types: string[] = [];
    let outputTokens = 0;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
    }
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      ...Array(4).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(outputTokens).toBe(4);
  });

  it('feeds the MessageStream helper, including tool use, at the designed time to first token', async () => {
    const startedAtMs = performance.now();
    let firstTextAtMs: number | undefined;
    const stream = anthropic.messages
      .stream({ model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-model-ttft-ms': '120' } })
      .on('text', () => (firstTextAtMs ??= performance.now() - startedAtMs));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: replyTokens(6).join('') }]);
    expect(firstTextAtMs!).toBeGreaterThanOrEqual(119);
    expect(firstTextAtMs!).toBeLessThan(120 + LATE_TOLERANCE_MS);

    const toolMessage = await anthropic.messages
      .stream({
        model: 'gpt-4o',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Weather [[tool_call:get_weather]]' }],
        tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      })
      .finalMessage();
    expect(toolMessage.stop_reason).toBe('tool_use');
    expect(toolMessage.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'example' } });
  });

  it('raises the client’s own error class for a simulated 529 overload', async () => {
    const error = await anthropic.messages
      .create(
        { model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-model-status': '529', 'x-model-ttft-ms': '0' } },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
  });
});

describe('profiles and jitter', () => {
  it('replays the same token timings for the same seed and differs for another', async () => {
    const jittery = { ttftMs: 10, perTokenMs: 1, outputTokens: 3, ttftJitter: { sigma: 0.5 }, perTokenJitter: { sigma: 0.5 } };
    const timings = async (seed: number) => {
      const jitterServer = await startModelServer({ seed, profiles: { jittery } });
      const client = new OpenAI({ apiKey: 'test', baseURL: `${jitterServer.url}/v1`, maxRetries: 0 });
      for (let index = 0; index < 3; index++)
        await client.chat.completions.create({ model: 'jittery', messages: [{ role: 'user', content: 'hi' }] });
      await jitterServer.close();
      return jitterServer.requests.map((request) => request.plan.tokenOffsetsMs);
    };
    const first = await timings(7);
    expect(await timings(7)).toEqual(first);
    expect(await timings(8)).not.toEqual(first);
    expect(new Set(first.map((offsets) => offsets[0])).size).toBe(3);
  });

  it('records each request with its plan', async () => {
    const before = server.requests.length;
    await openai.chat.completions.create(
      { model: 'unknown-model', messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-model-ttft-ms': '0', 'x-model-per-token-ms': '0' } },
    );
    const recorded = server.requests[before]!;
    expect(recorded.path).toBe('/v1/chat/completions');
    expect(recorded.view.model).toBe('unknown-model');
    expect(recorded.plan.outputTokens).toBe(24);
  });
});
