/**
 * `llm.call` and `llm.stream` read the real Vercel AI SDK's results: `generateText` usage and
 * model, and `streamText`'s full stream (TTFT at the first text delta, usage from `finish`).
 */
import { generateText, simulateReadableStream, streamText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, expect, it } from 'vitest';
import { llm } from '@threshold/sdk';
import { captureSpans } from './support/span-capture.js';

const capture = captureSpans();
afterEach(() => capture.reset());

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

it('records usage, finish reason and model of a generateText result', async () => {
  const model = new MockLanguageModelV3({
    modelId: 'mock-small',
    doGenerate: async () => ({
      content: [{ type: 'text', text: 'Sunny.' }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: usage(45, 2),
      warnings: [],
      response: { id: 'gen-1', modelId: 'mock-small-2025', timestamp: new Date(0) },
    }),
  });
  const result = await llm.call({ model: 'mock-small', provider: 'mock' }, () => generateText({ model, prompt: 'Weather?' }));
  expect(result.text).toBe('Sunny.');
  expect(capture.span('chat mock-small').attributes).toMatchObject({
    'gen_ai.usage.input_tokens': 45,
    'gen_ai.usage.output_tokens': 2,
    'gen_ai.response.model': 'mock-small-2025',
    'gen_ai.response.id': 'gen-1',
    'gen_ai.response.finish_reasons': ['stop'],
  });
});

it('records TTFT at the first text delta of streamText’s full stream, and usage from finish', async () => {
  const model = new MockLanguageModelV3({
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: [
          { type: 'stream-start', warnings: [] },
          { type: 'response-metadata', id: 'r1', modelId: 'mock-small', timestamp: new Date(0) },
          { type: 'text-start', id: 't' },
          { type: 'text-delta', id: 't', delta: 'Hello' },
          { type: 'text-delta', id: 't', delta: ' there' },
          { type: 'text-end', id: 't' },
          { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(12, 2) },
        ] as never[],
        initialDelayInMs: 80,
        chunkDelayInMs: 5,
      }),
    }),
  });
  const parts: string[] = [];
  for await (const part of llm.stream<{ type: string }>({ model: 'mock-small' }, () => streamText({ model, prompt: 'Hi' }).fullStream))
    parts.push(part.type);
  expect(parts.filter((type) => type === 'text-delta')).toHaveLength(2);
  const span = capture.span('chat mock-small');
  // The first text delta is the model's fourth chunk: 80 ms + 3 × 5 ms. Earlier parts
  // (start, start-step, text-start) carry no content.
  expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThanOrEqual(0.094);
  expect(span.attributes['gen_ai.usage.input_tokens']).toBe(12);
  expect(span.attributes['gen_ai.usage.output_tokens']).toBe(2);
});
