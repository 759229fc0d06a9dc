import { propagateAttributes } from '@langfuse/core';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { setLangfuseTracerProvider, startActiveObservation, startObservation } from '@langfuse/tracing';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { analyseRecords, type SpanRecord, type SpanView, type TraceAnalysis } from '@threshold/core';
import { timestampToUnixNano } from '../../packages/core/src/analysis/extract-ttft.js';
import { startModelServer, type ModelServer, type RecordedModelRequest } from '@threshold/demo';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableSpansToRecords } from '../support/readable-span-to-record.js';
import { RECORDED_START_JITTER_MS, sequentialCriticalMs } from '../support/sequential-overlap.js';
import { expectAbout, expectEncloses, sleep, timed } from '../support/timing.js';

/**
 * Langfuse's JS SDK v5 (`@langfuse/tracing` observations exported by `@langfuse/otel`'s
 * LangfuseSpanProcessor into an in-memory exporter), an agent calling the real `openai` client
 * against a loopback model server with a fixed TTFT and token pace.
 *
 * What it emits (read in node_modules/@langfuse/core LangfuseOtelSpanAttributes and
 * langfuse/langfuse-js packages/tracing/src/attributes.ts, confirmed by running it): spans whose
 * only semantic attributes are `langfuse.observation.type`, `langfuse.observation.model.name`,
 * `langfuse.observation.usage_details` / `cost_details` / `model.parameters` (JSON text) and
 * `langfuse.observation.completion_start_time` (a JSON-encoded ISO timestamp, so whole ms), plus
 * `session.id` / `user.id` from propagateAttributes. No `gen_ai.*`, no span events.
 */
const MODEL = 'support-model';
const TTFT_MS = 150;
const PER_TOKEN_MS = 10;
const OUTPUT_TOKENS = 10;
const RETRIEVE_MS = 40;
const GUARD_MS = 20;
const LOOKUP_MS = 120;
const EMBED_MS = 30;
const COST_USD = 0.0042;

let server: ModelServer;
let client: OpenAI;
const exporter = new InMemorySpanExporter();
const processor = new LangfuseSpanProcessor({
  exporter,
  publicKey: 'pk-lf-test',
  secretKey: 'sk-lf-test',
  baseUrl: 'http://127.0.0.1:9',
  exportMode: 'immediate',
  mediaUploadEnabled: false,
});
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'langfuse-agent' }),
  spanProcessors: [processor],
});

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  setLangfuseTracerProvider(provider);
  server = await startModelServer({ profiles: { [MODEL]: { ttftMs: TTFT_MS, perTokenMs: PER_TOKEN_MS, outputTokens: OUTPUT_TOKENS } } });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test-key' });
});

afterAll(async () => {
  await server?.close();
  await provider.shutdown();
  setLangfuseTracerProvider(null);
  context.disable();
});

/** A streamed chat call recorded the way Langfuse documents it: completionStartTime at the first chunk, usage at the end. */
async function streamedGeneration(name: string, prompt: string): Promise<void> {
  const generation = startObservation(
    name,
    { model: MODEL, modelParameters: { stream: true, temperature: 0 }, input: prompt },
    { asType: 'generation' },
  );
  const stream = await client.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: prompt }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  for await (const chunk of stream) {
    if (text === '' && chunk.choices[0]?.delta?.content) generation.update({ completionStartTime: new Date() });
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage)
      generation.update({
        usageDetails: { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens },
        costDetails: { input: COST_USD / 2, output: COST_USD / 2 },
      });
  }
  generation.update({ output: text }).end();
}

async function capture(run: () => Promise<void>): Promise<{ records: SpanRecord[]; analysis: TraceAnalysis }> {
  exporter.reset();
  await run();
  await processor.forceFlush();
  const records = readableSpansToRecords(exporter.getFinishedSpans());
  return { records, analysis: analyseRecords(records) };
}

const named = (analysis: TraceAnalysis, name: string): SpanView => analysis.spans.find((span) => span.name === name)!;

describe('Langfuse v5 observations of every type, one agent turn', () => {
  let analysis: TraceAnalysis;
  let records: SpanRecord[];
  /** The model server's requests made by this turn (another block's may come before it, in any order). */
  let calls: RecordedModelRequest[];
  beforeAll(async () => {
    const before = server.requests.length;
    ({ analysis, records } = await capture(() =>
      propagateAttributes({ sessionId: 'session-lf', userId: 'user-7' }, () =>
        startActiveObservation(
          'support-agent',
          async () => {
            await startActiveObservation('kb-search', () => timed('kb-search', () => sleep(RETRIEVE_MS)), { asType: 'retriever' });
            await startActiveObservation('pii-check', () => timed('pii-check', () => sleep(GUARD_MS)), { asType: 'guardrail' });
            await streamedGeneration('answer', 'Where is order 7?');
            await startActiveObservation('lookupOrder', () => timed('lookupOrder', () => sleep(LOOKUP_MS)), { asType: 'tool' });
            await startActiveObservation(
              'embed-query',
              async (embedding) => {
                await sleep(EMBED_MS);
                embedding.update({ model: 'embed-small', usageDetails: { input: 8 } });
              },
              { asType: 'embedding' },
            );
            await startActiveObservation(
              'format-steps',
              async () => {
                const summary = startObservation(
                  'summary',
                  { model: MODEL, modelParameters: { temperature: 0 } },
                  { asType: 'generation' },
                );
                const answer = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Summarise.' }] });
                summary
                  .update({
                    usageDetails: { prompt_tokens: answer.usage!.prompt_tokens, completion_tokens: answer.usage!.completion_tokens },
                  })
                  .end();
              },
              { asType: 'chain' },
            );
            await startActiveObservation('relevance', () => sleep(5), { asType: 'evaluator' });
            startObservation('user-feedback', { input: 'thumbs up' }, { asType: 'event' });
            // The event is instantaneous: post-process starts a little later, so their order by start is the same every run.
            await sleep(3);
            await startActiveObservation('post-process', () => sleep(5));
          },
          { asType: 'agent' },
        ),
      ),
    ));
    calls = server.requests.slice(before);
  });

  it('classifies every observation type by its langfuse.observation.type', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.classifiedBy])).toEqual([
      ['support-agent', 'task', 'langfuse'],
      ['kb-search', 'state', 'langfuse'],
      ['pii-check', 'orchestration', 'langfuse'],
      ['answer', 'llm', 'langfuse'],
      ['lookupOrder', 'tool', 'langfuse'],
      ['embed-query', 'llm', 'langfuse'],
      ['format-steps', 'orchestration', 'langfuse'],
      ['summary', 'llm', 'langfuse'],
      ['relevance', 'orchestration', 'langfuse'],
      ['user-feedback', 'other', 'langfuse'],
      ['post-process', 'other', 'langfuse'],
    ]);
    expect(analysis.summary).toMatchObject({
      sessionId: 'session-lf',
      llmCalls: 3,
      toolCalls: 1,
      service: 'langfuse-agent',
      name: 'support-agent',
    });
    expect(analysis.traceSpans[0].task?.userId).toBe('user-7');
    expect(analysis.warnings).toEqual([]);
  });

  it('reads model, usage and cost details JSON, and TTFT from the JSON-encoded completion start time', () => {
    const answer = named(analysis, 'answer');
    const record = records.find((span) => span.name === 'answer')!;
    const firstTokenNs = timestampToUnixNano(record.attributes['langfuse.observation.completion_start_time']);
    expect(typeof record.attributes['langfuse.observation.completion_start_time']).toBe('string');
    expect(String(record.attributes['langfuse.observation.completion_start_time'])).toMatch(/^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
    const ttftMs = Number(firstTokenNs! - record.startTimeUnixNano) / 1e6;
    expect(answer.llm).toEqual({
      model: MODEL,
      streaming: true,
      ttftMs,
      tpotMs: (answer.durationMs - ttftMs) / (OUTPUT_TOKENS - 1),
      inputTokens: calls[0].plan.inputTokens,
      outputTokens: OUTPUT_TOKENS,
      cost: COST_USD,
    });
    expectAbout(ttftMs, TTFT_MS);
    expect(analysis.summary.firstTtftMs).toBe(ttftMs);
    expect(named(analysis, 'embed-query').llm).toEqual({ model: 'embed-small', inputTokens: 8 });
  });

  it('leaves streaming unknown where the model parameters do not say, and reads provider-style usage keys', () => {
    expect(named(analysis, 'summary').llm).toEqual({
      model: MODEL,
      inputTokens: calls[1].plan.inputTokens,
      outputTokens: OUTPUT_TOKENS,
    });
    expect(analysis.tokens).toEqual({
      inputTokens: calls[0].plan.inputTokens + calls[1].plan.inputTokens + 8,
      outputTokens: 2 * OUTPUT_TOKENS,
    });
    expect(analysis.summary.perceivedMs).toBe(analysis.summary.durationMs);
  });

  it('times the tool, retriever and guardrail as their own buckets', () => {
    expectEncloses(named(analysis, 'lookupOrder').durationMs, 'lookupOrder');
    expectEncloses(named(analysis, 'kb-search').durationMs, 'kb-search');
    // Steps run back to back can be recorded overlapping by < 1 ms (whole-ms starts); the later step owns the overlap.
    for (const name of ['lookupOrder', 'kb-search']) {
      expect(sequentialCriticalMs(analysis.spans, named(analysis, name))).toBeGreaterThan(
        named(analysis, name).durationMs - RECORDED_START_JITTER_MS,
      );
    }
    expect(analysis.summary.breakdown.tool).toBeCloseTo(sequentialCriticalMs(analysis.spans, named(analysis, 'lookupOrder')), 6);
    expect(analysis.summary.breakdown.state).toBeCloseTo(sequentialCriticalMs(analysis.spans, named(analysis, 'kb-search')), 6);
    expectAbout(analysis.summary.breakdown.tool, LOOKUP_MS);
  });
});

describe('Langfuse trace whose root is a streamed generation', () => {
  let analysis: TraceAnalysis;
  beforeAll(async () => {
    ({ analysis } = await capture(() =>
      propagateAttributes({ sessionId: 'session-root' }, () => streamedGeneration('quick-answer', 'Hi?')),
    ));
  });

  it('is the task and its own call, with perceived latency at its first token', () => {
    const [root] = analysis.spans;
    expect([root.name, root.category, analysis.summary.llmCalls]).toEqual(['quick-answer', 'llm', 1]);
    expect(root.llm?.streaming).toBe(true);
    expect(analysis.summary.perceivedMs).toBe(root.llm!.ttftMs);
    expectAbout(analysis.summary.perceivedMs, TTFT_MS);
    expect(analysis.summary.sessionId).toBe('session-root');
  });
});
