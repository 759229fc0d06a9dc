import { OpenAI as LlamaOpenAI } from '@llamaindex/openai';
import * as llamaindexOpenAIModule from '@llamaindex/openai';
import * as llamaindexModule from 'llamaindex';
import { trace } from '@opentelemetry/api';
import { LlamaIndexInstrumentation } from '@traceloop/instrumentation-llamaindex';
import { analyseRecords, type TraceAnalysis } from '@threshold/core';
import { startModelServer, type ModelServer } from '@threshold/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureSpans, type SpanCapture } from '../support/capture-spans.js';
import { expectAbout, sleep } from '../support/timing.js';

/**
 * LlamaIndex.TS (`llamaindex` 0.12, `@llamaindex/openai` 0.4) traced by OpenLLMetry's LlamaIndex
 * instrumentation (`@traceloop/instrumentation-llamaindex` 0.27), inside the app's workflow span.
 *
 * What it emits (its dist/index.js `CustomLLMInstrumentation.chatWrapper`, confirmed by running
 * it): a `chat <model>` span per `llm.chat()` with `gen_ai.operation.name: chat`,
 * `gen_ai.provider.name`, `gen_ai.request.model` / `gen_ai.response.model`, usage on calls that
 * did not stream; no streaming flag, no first-token time.
 */
const MODEL = 'gpt-4o-mini';
const TTFT_MS = 120;
const PER_TOKEN_MS = 10;
const OUTPUT_TOKENS = 8;

let capture: SpanCapture;
let server: ModelServer;
let analysis: TraceAnalysis;

beforeAll(async () => {
  capture = captureSpans('llamaindex-agent');
  const instrumentation = new LlamaIndexInstrumentation();
  instrumentation.setTracerProvider(capture.provider);
  instrumentation.manuallyInstrument(llamaindexModule, llamaindexOpenAIModule);
  server = await startModelServer({ profiles: { [MODEL]: { ttftMs: TTFT_MS, perTokenMs: PER_TOKEN_MS, outputTokens: OUTPUT_TOKENS } } });
  const llm = new LlamaOpenAI({ model: MODEL, apiKey: 'test-key', baseURL: `${server.url}/v1` });
  const workflow = {
    'traceloop.span.kind': 'workflow',
    'traceloop.workflow.name': 'support',
    'traceloop.association.properties.session_id': 'session-li',
  };
  await trace.getTracer('support-app').startActiveSpan('support.workflow', { attributes: workflow }, async (span) => {
    const stream = await llm.chat({ messages: [{ role: 'user', content: 'Where is order 7?' }], stream: true });
    for await (const _chunk of stream) void _chunk;
    await llm.chat({ messages: [{ role: 'user', content: 'Summarise.' }] });
    span.end();
  });
  await sleep(20);
  analysis = analyseRecords(capture.records());
});

afterAll(async () => {
  await server?.close();
  await capture?.shutdown();
});

describe('LlamaIndex.TS through OpenLLMetry', () => {
  it('classifies the workflow as the task and each chat as a call', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.classifiedBy])).toEqual([
      ['support.workflow', 'task', 'openllmetry'],
      [`chat ${MODEL}`, 'llm', 'genai'],
      [`chat ${MODEL}`, 'llm', 'genai'],
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 0, sessionId: 'session-li' });
  });

  it('reads the model, provider and the plain call’s usage; streaming and TTFT stay unknown because it records neither', () => {
    expect(analysis.spans.slice(1).map((span) => span.llm)).toEqual([
      { model: MODEL, provider: 'openai' },
      { model: MODEL, provider: 'openai', inputTokens: server.requests[1].plan.inputTokens, outputTokens: OUTPUT_TOKENS },
    ]);
    expect(analysis.tokens).toEqual({ inputTokens: server.requests[1].plan.inputTokens, outputTokens: OUTPUT_TOKENS });
    expect(analysis.summary.perceivedMs).toBe(analysis.summary.durationMs);
    expectAbout(analysis.spans[2].durationMs, TTFT_MS + (OUTPUT_TOKENS - 1) * PER_TOKEN_MS);
  });
});
