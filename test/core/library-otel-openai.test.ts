import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { metrics, trace } from '@opentelemetry/api';
import { analyseRecords, type TraceAnalysis } from '@threshold/core';
import { startModelServer, type ModelServer } from '@threshold/demo';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureSpans, type SpanCapture } from '../support/capture-spans.js';
import { RECORDED_START_JITTER_MS, sequentialCriticalMs } from '../support/sequential-overlap.js';
import { expectAbout, expectEncloses, sleep, timed } from '../support/timing.js';

/**
 * The official `@opentelemetry/instrumentation-openai` (0.21, the last release for Node 20) around
 * the real `openai` client and a loopback server; the agent's own spans follow the GenAI
 * conventions (`invoke_agent`, `execute_tool`).
 *
 * What it emits (read in its build/src/instrumentation.js, confirmed by running it): `chat
 * <model>` spans with `gen_ai.operation.name`, `gen_ai.system: openai`, `gen_ai.request.model`,
 * `gen_ai.response.model`, and usage also for streamed calls when the request asks for it
 * (`stream_options.include_usage`); no `gen_ai.request.stream`, no time to first token (message
 * content goes to log events, not spans).
 */
const MODEL = 'support-model';
const TTFT_MS = 120;
const PER_TOKEN_MS = 10;
const OUTPUT_TOKENS = 8;
const TOOL_MS = 100;

let capture: SpanCapture;
let server: ModelServer;
let analysis: TraceAnalysis;

beforeAll(async () => {
  capture = captureSpans('otel-openai-agent');
  const instrumentation = new OpenAIInstrumentation();
  instrumentation.setTracerProvider(capture.provider);
  instrumentation.setMeterProvider(metrics.getMeterProvider());
  instrumentation.getModuleDefinitions()[0]!.patch!({ OpenAI } as never, '6.0.0');
  server = await startModelServer({ profiles: { [MODEL]: { ttftMs: TTFT_MS, perTokenMs: PER_TOKEN_MS, outputTokens: OUTPUT_TOKENS } } });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test-key' });
  const tracer = trace.getTracer('support-agent');
  await tracer.startActiveSpan(
    'invoke_agent Support',
    { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 'conv-5' } },
    async (agent) => {
      const stream = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'Where is order 7?' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _chunk of stream) void _chunk;
      await tracer.startActiveSpan(
        'execute_tool lookupOrder',
        { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookupOrder', 'gen_ai.tool.call.id': 'call_1' } },
        async (span) => {
          await timed('otel-lookupOrder', () => sleep(TOOL_MS));
          span.end();
        },
      );
      await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Summarise.' }] });
      agent.end();
    },
  );
  await sleep(20);
  analysis = analyseRecords(capture.records());
});

afterAll(async () => {
  await server?.close();
  await capture?.shutdown();
});

describe('@opentelemetry/instrumentation-openai around the real openai client', () => {
  it('classifies the agent as the task, each chat span as a call and the tool span as a tool', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.classifiedBy])).toEqual([
      ['invoke_agent Support', 'task', 'genai'],
      [`chat ${MODEL}`, 'llm', 'genai'],
      ['execute_tool lookupOrder', 'tool', 'genai'],
      [`chat ${MODEL}`, 'llm', 'genai'],
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1, sessionId: 'conv-5' });
    expect(analysis.warnings).toEqual([]);
  });

  it('reads model and usage of both calls, and leaves streaming and TTFT unknown because it records neither', () => {
    const [streamed, plain] = analysis.spans.filter((span) => span.category === 'llm');
    expect(streamed.llm).toEqual({
      model: MODEL,
      provider: 'openai',
      inputTokens: server.requests[0].plan.inputTokens,
      outputTokens: OUTPUT_TOKENS,
    });
    expect(plain.llm).toEqual({
      model: MODEL,
      provider: 'openai',
      inputTokens: server.requests[1].plan.inputTokens,
      outputTokens: OUTPUT_TOKENS,
    });
    expect(analysis.summary.firstTtftMs).toBeUndefined();
    expect(analysis.summary.perceivedMs).toBe(analysis.summary.durationMs);
    expectAbout(streamed.durationMs, TTFT_MS + (OUTPUT_TOKENS - 1) * PER_TOKEN_MS);
  });

  it('gives the tool its own time on the critical path', () => {
    const tool = analysis.spans.find((span) => span.category === 'tool')!;
    expectEncloses(tool.durationMs, 'otel-lookupOrder');
    expect(tool.critical).toBe(true);
    // The tool and the next call can be recorded overlapping by < 1 ms (whole-ms starts); the call owns the overlap.
    expect(sequentialCriticalMs(analysis.spans, tool)).toBeGreaterThan(tool.durationMs - RECORDED_START_JITTER_MS);
    expect(analysis.summary.breakdown.tool).toBeCloseTo(sequentialCriticalMs(analysis.spans, tool), 6);
  });
});
