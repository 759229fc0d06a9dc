import { trace } from '@opentelemetry/api';
import { analyseRecords, BREAKDOWN_CATEGORIES, type SpanRecord, type SpanView, type TraceAnalysis } from '@threshold/core';
import { generateText, jsonSchema, simulateReadableStream, stepCountIs, streamText, tool } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureSpans, type SpanCapture } from '../support/capture-spans.js';
import { RECORDED_START_JITTER_MS, sequentialCriticalMs } from '../support/sequential-overlap.js';
import { expectAbout, expectEncloses, sleep, timed } from '../support/timing.js';

/**
 * The real Vercel AI SDK (`ai` 6) with mock models whose streams are paced by
 * simulateReadableStream, telemetry on, spans captured by a real tracer provider.
 *
 * What the SDK emits (found by running it):
 * - streamText: `ai.streamText` (whole call, usage summed over steps) → one `ai.streamText.doStream`
 *   per step → `ai.toolCall` spans *under* the doStream span. The doStream span stays open until
 *   the step's tools finish: the model's finish chunk is held back until the tool results are in,
 *   so `ai.stream.finish` and `ai.response.msToFinish` include tool time.
 * - generateText: `ai.toolCall` spans are *siblings* of `ai.generateText.doGenerate`, under
 *   `ai.generateText`, and run after the call that asked for them.
 * - The stream's first chunk (`ai.stream.firstChunk`, `ai.response.msToFirstChunk`) is the first
 *   chunk after `stream-start`.
 */
/** A JSON schema of string arguments (the SDK's own helper, so no schema library is needed). */
const stringArguments = (...names: string[]) =>
  jsonSchema<Record<string, string>>({
    type: 'object',
    properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
    required: names,
  });

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

/** Designed timing. */
const FIRST_CHUNK_DELAY_MS = 100;
const CHUNK_DELAY_MS = 10;
const SLOW_TOOL_MS = 300;
const FAST_TOOL_MS = 100;
const ANSWER_DELTAS = 8;

let capture: SpanCapture;
beforeAll(() => {
  capture = captureSpans('vercel-agent');
});
afterAll(async () => {
  await capture.shutdown();
});

async function captureTrace(run: () => Promise<void>): Promise<{ records: SpanRecord[]; analysis: TraceAnalysis }> {
  capture.reset();
  await run();
  await sleep(20);
  const records = capture.records();
  return { records, analysis: analyseRecords(records) };
}

const byName = (analysis: TraceAnalysis, name: string): SpanView[] => analysis.spans.filter((span) => span.name === name);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('Vercel AI SDK streamText with parallel tools', () => {
  let analysis: TraceAnalysis;
  beforeAll(async () => {
    let step = 0;
    const model = new MockLanguageModelV3({
      doStream: async () => {
        step++;
        const chunks: unknown[] =
          step === 1
            ? [
                { type: 'stream-start', warnings: [] },
                { type: 'response-metadata', id: 'response-1', modelId: 'mock-model', timestamp: new Date(0) },
                { type: 'tool-call', toolCallId: 'call-slow', toolName: 'searchOrders', input: '{"query":"late"}' },
                { type: 'tool-call', toolCallId: 'call-fast', toolName: 'lookupCustomer', input: '{"id":"42"}' },
                { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(50, 20) },
              ]
            : [
                { type: 'stream-start', warnings: [] },
                { type: 'text-start', id: 'text' },
                ...Array.from({ length: ANSWER_DELTAS }, (_, i) => ({ type: 'text-delta', id: 'text', delta: `word${i} ` })),
                { type: 'text-end', id: 'text' },
                { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(80, ANSWER_DELTAS) },
              ];
        return {
          stream: simulateReadableStream({
            chunks: chunks as never[],
            initialDelayInMs: FIRST_CHUNK_DELAY_MS,
            chunkDelayInMs: CHUNK_DELAY_MS,
          }),
        };
      },
    });
    ({ analysis } = await captureTrace(async () => {
      const result = streamText({
        model,
        prompt: 'Where is my order?',
        stopWhen: stepCountIs(3),
        tools: {
          searchOrders: tool({
            inputSchema: stringArguments('query'),
            execute: async () => (await timed('searchOrders', () => sleep(SLOW_TOOL_MS)), 'found'),
          }),
          lookupCustomer: tool({
            inputSchema: stringArguments('id'),
            execute: async () => (await timed('lookupCustomer', () => sleep(FAST_TOOL_MS)), 'Ada'),
          }),
        },
        experimental_telemetry: { isEnabled: true, functionId: 'order-agent', metadata: { sessionId: 'session-7' } },
      });
      await result.consumeStream();
    }));
  });

  it('classifies the wrapper as the task, each step as an llm call and each tool execution as a tool', () => {
    expect(analysis.spans.map((span) => [span.name, span.category])).toEqual([
      ['ai.streamText', 'task'],
      ['ai.streamText.doStream', 'llm'],
      ['ai.toolCall', 'tool'],
      ['ai.toolCall', 'tool'],
      ['ai.streamText.doStream', 'llm'],
    ]);
    expect(analysis.summary.llmCalls).toBe(2);
    expect(analysis.summary.toolCalls).toBe(2);
    expect(analysis.summary.sessionId).toBe('session-7');
    expect(analysis.warnings).toEqual([]);
  });

  it('reads tokens from each step and does not count the wrapper that sums them again', () => {
    const steps = byName(analysis, 'ai.streamText.doStream');
    expect(steps.map((span) => [span.llm?.inputTokens, span.llm?.outputTokens])).toEqual([
      [50, 20],
      [80, ANSWER_DELTAS],
    ]);
    const wrapper = analysis.traceSpans.find((span) => span.name === 'ai.streamText')!;
    expect(wrapper.llm).toMatchObject({ aggregate: true, inputTokens: 130, outputTokens: 28 });
    expect(analysis.tokens).toEqual({ inputTokens: 130, outputTokens: 28 });
  });

  it('takes TTFT from the stream’s first chunk in ms, streaming, with TPOT over the tokens after it', () => {
    const [first, answer] = byName(analysis, 'ai.streamText.doStream');
    const firstSpan = analysis.traceSpans.find((span) => span.spanId === first.spanId)!;
    expect(first.llm?.ttftMs).toBe(firstSpan.attributes['ai.response.msToFirstChunk']);
    expect(first.llm?.streaming).toBe(true);
    // stream-start does not count; response-metadata is the first chunk, one chunk delay later
    expectAbout(first.llm?.ttftMs, FIRST_CHUNK_DELAY_MS + CHUNK_DELAY_MS);
    // text-start is the answer's first chunk
    expectAbout(answer.llm?.ttftMs, FIRST_CHUNK_DELAY_MS + CHUNK_DELAY_MS);
    expect(answer.llm?.tpotMs).toBeCloseTo((answer.durationMs - answer.llm!.ttftMs!) / (ANSWER_DELTAS - 1), 9);
    expectAbout(answer.llm?.tpotMs, CHUNK_DELAY_MS);
    // the first chunk came before the tools it asked for started
    const firstTool = analysis.spans.filter((span) => span.category === 'tool').sort((a, b) => a.startOffsetMs - b.startOffsetMs)[0];
    expect(first.startOffsetMs + first.llm!.ttftMs!).toBeLessThan(firstTool.startOffsetMs);
  });

  it('times both tools and keeps only the slower one on the critical path', () => {
    const [slow, fast] = ['searchOrders', 'lookupCustomer'].map((name) => analysis.spans.find((span) => span.tool?.name === name)!);
    expect(slow.tool).toEqual({ name: 'searchOrders', callId: 'call-slow' });
    expectAbout(slow.durationMs, SLOW_TOOL_MS);
    expectAbout(fast.durationMs, FAST_TOOL_MS);
    expectEncloses(slow.durationMs, 'searchOrders');
    expectEncloses(fast.durationMs, 'lookupCustomer');
    expect(slow.critical).toBe(true);
    expect(fast.critical).toBe(false);
    expect(analysis.criticalPath).toEqual([analysis.spans[0].spanId, analysis.spans[1].spanId, slow.spanId, analysis.spans[4].spanId]);
  });

  it('gives the tool time inside the held-open stream span to the tool bucket, not the llm', () => {
    const slow = analysis.spans.find((span) => span.tool?.name === 'searchOrders')!;
    const firstStep = analysis.traceSpans.find((span) => span.name === 'ai.streamText.doStream')!;
    // The tool and the next step can be recorded overlapping by < 1 ms (whole-ms starts); the step owns the overlap.
    expect(sequentialCriticalMs(analysis.spans, slow)).toBeGreaterThan(slow.durationMs - RECORDED_START_JITTER_MS);
    expect(analysis.summary.breakdown.tool).toBeCloseTo(sequentialCriticalMs(analysis.spans, slow), 6);
    expect(firstStep.llm?.heldOpenMs).toBeCloseTo(slow.durationMs, 6);
    expect(sum(BREAKDOWN_CATEGORIES.map((category) => analysis.summary.breakdown[category]))).toBe(analysis.summary.durationMs);
    const llm = analysis.llmTime!;
    expect(llm.waitingForFirstTokenMs + llm.generatingMs + llm.unsplitMs).toBeCloseTo(analysis.summary.breakdown.llm, 9);
    const ttfts = byName(analysis, 'ai.streamText.doStream').map((span) => span.llm!.ttftMs!);
    expect(llm.waitingForFirstTokenMs).toBeCloseTo(ttfts[0] + ttfts[1], 6);
  });

  it('puts perceived latency at the answer step’s first token, and bands both', () => {
    const answer = byName(analysis, 'ai.streamText.doStream')[1];
    expect(analysis.summary.perceivedMs).toBeCloseTo(answer.startOffsetMs - analysis.spans[0].startOffsetMs + answer.llm!.ttftMs!, 6);
    // ≈ 110 first chunk + 3 more chunks + 300 slow tool + 110 answer chunk ≈ 550 ms of a ≈ 660 ms task
    expectAbout(
      analysis.summary.perceivedMs,
      FIRST_CHUNK_DELAY_MS + 2 * CHUNK_DELAY_MS + SLOW_TOOL_MS + FIRST_CHUNK_DELAY_MS + CHUNK_DELAY_MS,
    );
    expect(analysis.summary.perceivedBand).toBe('noticeable');
    expect(analysis.summary.band).toBe('noticeable');
  });
});

describe('Vercel AI SDK generateText with a tool between two calls', () => {
  const CALL_MS = 120;
  const TOOL_MS = 150;
  let analysis: TraceAnalysis;
  beforeAll(async () => {
    let step = 0;
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        step++;
        await sleep(CALL_MS);
        return step === 1
          ? {
              content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'fetchWeather', input: '{"city":"Oslo"}' }],
              finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
              usage: usage(30, 6),
              warnings: [],
            }
          : {
              content: [{ type: 'text', text: 'Sunny.' }],
              finishReason: { unified: 'stop', raw: 'stop' },
              usage: usage(45, 2),
              warnings: [],
            };
      },
    });
    ({ analysis } = await captureTrace(async () => {
      await generateText({
        model,
        prompt: 'Weather in Oslo?',
        stopWhen: stepCountIs(3),
        tools: { fetchWeather: tool({ inputSchema: stringArguments('city'), execute: async () => (await sleep(TOOL_MS), 'sunny') }) },
        experimental_telemetry: { isEnabled: true },
      });
    }));
  });

  it('finds the tool beside the calls, all three critical in turn', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.critical])).toEqual([
      ['ai.generateText', 'task', true],
      ['ai.generateText.doGenerate', 'llm', true],
      ['ai.toolCall', 'tool', true],
      ['ai.generateText.doGenerate', 'llm', true],
    ]);
    expectAbout(analysis.summary.breakdown.tool, TOOL_MS);
    expectAbout(analysis.summary.breakdown.llm, 2 * CALL_MS);
  });

  it('leaves TTFT unknown for calls that did not stream, and perceived latency at the full duration', () => {
    const calls = byName(analysis, 'ai.generateText.doGenerate');
    expect(calls.map((span) => span.llm)).toEqual([
      { model: 'mock-model-id', provider: 'mock-provider', streaming: false, inputTokens: 30, outputTokens: 6, cacheReadInputTokens: 0 },
      { model: 'mock-model-id', provider: 'mock-provider', streaming: false, inputTokens: 45, outputTokens: 2, cacheReadInputTokens: 0 },
    ]);
    expect(analysis.summary.firstTtftMs).toBeUndefined();
    expect(analysis.llmTime).toEqual({ waitingForFirstTokenMs: 0, generatingMs: 0, unsplitMs: analysis.summary.breakdown.llm });
    expect(analysis.summary.perceivedMs).toBe(analysis.summary.durationMs);
  });
});

describe('Vercel AI SDK inside the agent’s own task span, with a failing tool', () => {
  let analysis: TraceAnalysis;
  beforeAll(async () => {
    let step = 0;
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        step++;
        await sleep(20);
        return step === 1
          ? {
              content: [{ type: 'tool-call', toolCallId: 'call-x', toolName: 'chargeCard', input: '{"id":"9"}' }],
              finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
              usage: usage(12, 4),
              warnings: [],
            }
          : {
              content: [{ type: 'text', text: 'Could not charge.' }],
              finishReason: { unified: 'stop', raw: 'stop' },
              usage: usage(20, 3),
              warnings: [],
            };
      },
    });
    ({ analysis } = await captureTrace(async () => {
      await trace
        .getTracer('checkout-agent')
        .startActiveSpan('checkout', { attributes: { 'threshold.category': 'task', 'threshold.task.class': 'checkout' } }, async (task) => {
          await generateText({
            model,
            prompt: 'Charge card 9',
            stopWhen: stepCountIs(3),
            tools: {
              chargeCard: tool({
                inputSchema: stringArguments('id'),
                execute: async () => {
                  await sleep(10);
                  throw new Error('card declined');
                },
              }),
            },
            experimental_telemetry: { isEnabled: true },
          });
          task.end();
        });
    }));
  });

  it('counts the steps, not the wrapper (orchestration around its calls, its usage an aggregate), and flags the failed tool', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.status])).toEqual([
      ['checkout', 'task', 'unset'],
      ['ai.generateText', 'orchestration', 'unset'],
      ['ai.generateText.doGenerate', 'llm', 'unset'],
      ['ai.toolCall', 'tool', 'error'],
      ['ai.generateText.doGenerate', 'llm', 'unset'],
    ]);
    expect(analysis.traceSpans[1].llm?.aggregate).toBe(true);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1, error: true, taskClass: 'checkout', name: 'checkout' });
    expect(analysis.tokens).toEqual({ inputTokens: 32, outputTokens: 7 });
  });
});
