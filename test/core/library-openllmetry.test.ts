import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import * as traceloop from '@traceloop/node-server-sdk';
import { analyseRecords, BREAKDOWN_CATEGORIES, type SpanView, type TraceAnalysis } from '@threshold/core';
import { startModelServer, type ModelServer } from '@threshold/demo';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableSpansToRecords } from '../support/readable-span-to-record.js';
import { expectAbout, expectEncloses, sleep, timed } from '../support/timing.js';

/**
 * OpenLLMetry (`@traceloop/node-server-sdk`) instrumenting the real `openai` client, pointed at a
 * loopback OpenAI-compatible server with a fixed TTFT and token pace.
 *
 * What it emits (found by running it):
 * - `withWorkflow` / `withTool` spans carry `traceloop.span.kind`; the instrumented calls are
 *   `chat <model>` spans with `gen_ai.operation.name: chat`, `gen_ai.provider.name`, usage as
 *   `gen_ai.usage.input_tokens` / `output_tokens` (not on streamed calls) and no TTFT at all.
 * - A streamed call's span ends when the caller's `for await` loop ends. A tool run inside the
 *   loop keeps the llm span open and sits *beside* it (a sibling under the workflow), not under it.
 * - The workflow span can end a fraction of a ms before the last call inside it records its end
 *   (callback order, not clock skew): clamped silently.
 */
const MODEL = 'support-model';
const TTFT_MS = 150;
const PER_TOKEN_MS = 10;
const OUTPUT_TOKENS = 10;
const LOOKUP_MS = 200;
const INVOICE_MS = 300;
const SHIPPING_MS = 60;

let server: ModelServer;
let analysis: TraceAnalysis;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  traceloop.initialize({
    appName: 'llmetry-agent',
    exporter,
    disableBatch: true,
    instrumentModules: { openAI: OpenAI },
    silenceInitializationMessage: true,
    traceloopSyncEnabled: false,
  });
  server = await startModelServer({ profiles: { [MODEL]: { ttftMs: TTFT_MS, perTokenMs: PER_TOKEN_MS, outputTokens: OUTPUT_TOKENS } } });
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test-key' });
  await traceloop.withWorkflow({ name: 'support-agent', associationProperties: { session_id: 'session-42' } }, async () => {
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Where is order 7?' }],
      stream: true,
    });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.finish_reason)
        await traceloop.withTool({ name: 'lookupOrder' }, () => timed('lookupOrder', () => sleep(LOOKUP_MS)));
    }
    await Promise.all([
      traceloop.withTool({ name: 'fetchInvoice' }, () => timed('fetchInvoice', () => sleep(INVOICE_MS))),
      traceloop.withTool({ name: 'fetchShipping' }, () => timed('fetchShipping', () => sleep(SHIPPING_MS))),
    ]);
    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Summarise.' }] });
  });
  await sleep(20);
  analysis = analyseRecords(readableSpansToRecords(exporter.getFinishedSpans()));
});

afterAll(async () => {
  await server?.close();
});

const named = (name: string): SpanView => analysis.spans.find((span) => span.name === name || span.tool?.name === name)!;

describe('OpenLLMetry around the real openai client', () => {
  it('classifies the workflow as the task, the calls as llm and the decorated tools as tools', () => {
    expect(analysis.spans.map((span) => [span.name, span.category])).toEqual([
      ['support-agent.workflow', 'task'],
      [`chat ${MODEL}`, 'llm'],
      ['lookupOrder.tool', 'tool'],
      ['fetchInvoice.tool', 'tool'],
      ['fetchShipping.tool', 'tool'],
      [`chat ${MODEL}`, 'llm'],
    ]);
    expect(analysis.traceSpans.map((span) => span.classifier)).toEqual([
      'openllmetry',
      'genai',
      'openllmetry',
      'openllmetry',
      'openllmetry',
      'genai',
    ]);
    expect(analysis.summary).toMatchObject({
      llmCalls: 2,
      toolCalls: 3,
      sessionId: 'session-42',
      name: 'support-agent.workflow',
      service: 'llmetry-agent',
    });
    expect(analysis.warnings).toEqual([]);
  });

  it('leaves TTFT unknown because the library records none, so perceived latency is the duration', () => {
    const calls = analysis.spans.filter((span) => span.category === 'llm');
    expect(calls.map((span) => span.llm?.ttftMs)).toEqual([undefined, undefined]);
    expect(analysis.summary.firstTtftMs).toBeUndefined();
    expect(analysis.summary.perceivedMs).toBe(analysis.summary.durationMs);
  });

  it('reads model, provider and the server’s token counts', () => {
    const calls = analysis.spans.filter((span) => span.category === 'llm');
    expect(calls[1].llm).toEqual({
      model: MODEL,
      provider: 'openai',
      inputTokens: server.requests[1].plan.inputTokens,
      outputTokens: OUTPUT_TOKENS,
    });
    expect(calls[0].llm).toEqual({ model: MODEL, provider: 'openai' });
    expectAbout(calls[1].durationMs, TTFT_MS + (OUTPUT_TOKENS - 1) * PER_TOKEN_MS);
  });

  it('attributes the tool run inside the open stream to the tool, not the llm call', () => {
    const lookup = named('lookupOrder');
    expectAbout(lookup.durationMs, LOOKUP_MS);
    expectEncloses(lookup.durationMs, 'lookupOrder');
    expect(lookup.critical).toBe(true);
    const stream = analysis.traceSpans.find((span) => span.category === 'llm')!;
    expect(stream.llm?.heldOpenMs).toBeCloseTo(lookup.durationMs, 6);
  });

  it('keeps the slower of two parallel tools on the critical path', () => {
    const invoice = named('fetchInvoice');
    const shipping = named('fetchShipping');
    expectAbout(invoice.durationMs, INVOICE_MS);
    expectAbout(shipping.durationMs, SHIPPING_MS);
    expectEncloses(invoice.durationMs, 'fetchInvoice');
    expectEncloses(shipping.durationMs, 'fetchShipping');
    expect([invoice.critical, shipping.critical]).toEqual([true, false]);
    // withTool ends its span in a microtask after the awaited work settles, so the next span can
    // start a few µs before the previous one's recorded end: the bucket may be short by that overlap
    const toolsMs = named('lookupOrder').durationMs + invoice.durationMs;
    expect(analysis.summary.breakdown.tool).toBeLessThanOrEqual(toolsMs + 1e-9);
    expect(analysis.summary.breakdown.tool).toBeGreaterThan(toolsMs - 1);
    const total = BREAKDOWN_CATEGORIES.reduce((sum, category) => sum + analysis.summary.breakdown[category], 0);
    expect(total).toBe(analysis.summary.durationMs);
  });
});
