import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { trace } from '@opentelemetry/api';
import { analyseRecords, type TraceAnalysis } from '@threshold/core';
import { startModelServer, type ModelServer } from '@threshold/demo';
import OpenAI from 'openai';
import * as openaiModule from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureSpans, type SpanCapture } from '../support/capture-spans.js';
import { expectAbout, expectEncloses, sleep, timed } from '../support/timing.js';

/**
 * OpenInference (`@arizeai/openinference-instrumentation-openai`) around the real `openai`
 * client and a loopback OpenAI-compatible server; the agent's own spans follow OpenInference too.
 *
 * What it emits (found by running it):
 * - `OpenAI Chat Completions` spans with `openinference.span.kind: LLM`, `llm.model_name`,
 *   `llm.system`, the request in `llm.invocation_parameters` (JSON, `"stream": true` when
 *   streamed), `llm.token_count.*` only for calls that did not stream, and no first-token event.
 * - A streamed call's span ends when the instrumentation's own tee'd copy of the stream is read to
 *   the end, not when the caller finishes: a tool the caller runs on the last chunk starts a moment
 *   before the llm span ends (a staggered overlap), and whatever the caller does after reading is
 *   the parent's time.
 */
const MODEL = 'support-model';
const TTFT_MS = 150;
const PER_TOKEN_MS = 10;
const OUTPUT_TOKENS = 10;
const LOOKUP_MS = 150;

let capture: SpanCapture;
let server: ModelServer;
let analysis: TraceAnalysis;

beforeAll(async () => {
  capture = captureSpans('openinference-agent');
  new OpenAIInstrumentation({ tracerProvider: capture.provider }).manuallyInstrument(openaiModule as unknown as typeof OpenAI);
  server = await startModelServer({ profiles: { [MODEL]: { ttftMs: TTFT_MS, perTokenMs: PER_TOKEN_MS, outputTokens: OUTPUT_TOKENS } } });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test-key' });
  const tracer = trace.getTracer('support-agent');
  await tracer.startActiveSpan(
    'support-agent',
    { attributes: { 'openinference.span.kind': 'AGENT', 'session.id': 'session-9' } },
    async (agent) => {
      const stream = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'Where is order 7?' }],
        stream: true,
      });
      for await (const chunk of stream) {
        if (!chunk.choices[0]?.finish_reason) continue;
        await tracer.startActiveSpan(
          'lookupOrder',
          { attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'lookupOrder' } },
          async (span) => {
            await timed('lookupOrder', () => sleep(LOOKUP_MS));
            span.end();
          },
        );
      }
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

describe('OpenInference around the real openai client', () => {
  it('classifies the agent as the task, the calls as llm and the tool span as a tool', () => {
    expect(analysis.spans.map((span) => [span.name, span.category])).toEqual([
      ['support-agent', 'task'],
      ['OpenAI Chat Completions', 'llm'],
      ['lookupOrder', 'tool'],
      ['OpenAI Chat Completions', 'llm'],
    ]);
    expect(analysis.traceSpans.map((span) => span.classifier)).toEqual([
      'openinference',
      'openinference',
      'openinference',
      'openinference',
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1, sessionId: 'session-9' });
  });

  it('knows from the recorded invocation parameters that the first call streamed and the second did not, and leaves unknowns unknown', () => {
    const [streamed, plain] = analysis.spans.filter((span) => span.category === 'llm');
    expect(streamed.llm).toEqual({ model: MODEL, provider: 'openai', streaming: true });
    expect(plain.llm).toEqual({
      model: MODEL,
      provider: 'openai',
      streaming: false,
      inputTokens: server.requests[1].plan.inputTokens,
      outputTokens: OUTPUT_TOKENS,
    });
    expect(analysis.summary.firstTtftMs).toBeUndefined();
    expect(analysis.summary.perceivedMs).toBe(analysis.summary.durationMs);
  });

  it('gives the staggered stream its time until the tool starts and the tool its whole run', () => {
    const [streamed, lookup, plain] = analysis.spans.slice(1);
    expect([streamed.critical, lookup.critical, plain.critical]).toEqual([true, true, true]);
    expectAbout(lookup.durationMs, LOOKUP_MS);
    expectEncloses(lookup.durationMs, 'lookupOrder');
    // The tool owns its run up to where the next critical call starts: the SDK's clock can put the
    // next span's start a few µs before the tool's end, and that overlap belongs to the later call.
    // (A child outliving its parent is clamped to the parent's end likewise.)
    const lookupEndMs = lookup.startOffsetMs + lookup.durationMs;
    const parent = analysis.spans.find((span) => span.spanId === lookup.parentSpanId)!;
    const ownedEndMs = Math.min(lookupEndMs, plain.startOffsetMs, parent.startOffsetMs + parent.durationMs);
    expect(analysis.summary.breakdown.tool).toBeCloseTo(ownedEndMs - lookup.startOffsetMs, 6);
    expect(lookupEndMs - ownedEndMs).toBeLessThan(1);
    expectAbout(streamed.durationMs, TTFT_MS + (OUTPUT_TOKENS - 1) * PER_TOKEN_MS);
    const segments = analysis.criticalSegments!.filter((segment) => segment.spanId === streamed.spanId);
    const streamedSpan = analysis.traceSpans[1];
    expect(segments).toEqual([
      { spanId: streamed.spanId, startNs: streamedSpan.startNs, endNs: Math.min(streamedSpan.endNs, analysis.traceSpans[2].startNs) },
    ]);
  });
});
