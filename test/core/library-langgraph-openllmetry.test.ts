import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { trace } from '@opentelemetry/api';
import { tool } from '@langchain/core/tools';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import { LangChainInstrumentation } from '@traceloop/instrumentation-langchain';
import { analyseRecords, type SpanView, type TraceAnalysis } from '@threshold/core';
import { startModelServer, type ModelServer } from '@threshold/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { captureSpans, type SpanCapture } from '../support/capture-spans.js';
import { RECORDED_START_JITTER_MS, sequentialCriticalMs } from '../support/sequential-overlap.js';
import { expectAbout, expectEncloses, sleep, timed } from '../support/timing.js';

/**
 * The same LangGraph ReAct agent traced by OpenLLMetry's LangChain instrumentation
 * (`@traceloop/instrumentation-langchain` 0.27) inside the app's own workflow span, as
 * `traceloop.withWorkflow` would open it.
 *
 * What it emits (found by running it; its dist/index.js starts each run's span with
 * `tracer.startSpan` and ignores the parent run): every run is a span directly under the
 * workflow, flat: `workflow CompiledStateGraph`, `workflow RunnableSequence`,
 * `workflow RunnableLambda` (`traceloop.span.kind: workflow`), `chat <model>` (GenAI `chat`,
 * model, usage), `execute_tool DynamicStructuredTool` (kind `task`, operation `execute_tool`,
 * the tool's class, not its name). No TTFT, no streaming flag. Threshold nests the runs back by
 * time (a repair it reports) so the graph span does not hide the calls inside it.
 */
const MODEL = 'graph-model';
const TTFT_MS = 120;
const LOOKUP_MS = 150;

let capture: SpanCapture;
let server: ModelServer;
let analysis: TraceAnalysis;

beforeAll(async () => {
  capture = captureSpans('llmetry-langgraph');
  const instrumentation = new LangChainInstrumentation();
  instrumentation.setTracerProvider(capture.provider);
  instrumentation.manuallyInstrument({ callbackManagerModule: CallbackManagerModule });
  server = await startModelServer({
    profiles: { [MODEL]: { ttftMs: TTFT_MS, perTokenMs: 10, outputTokens: 6 } },
    reply: (view) =>
      view.promptText.includes('SHIPPED-7')
        ? { text: 'Order seven shipped this morning.' }
        : { toolCall: { name: 'lookupOrder', arguments: '{"id":"7"}' } },
  });
  const lookupOrder = tool(() => timed('llmetry-graph-lookupOrder', () => sleep(LOOKUP_MS).then(() => 'SHIPPED-7')), {
    name: 'lookupOrder',
    description: 'Looks up an order by id',
    schema: z.object({ id: z.string() }),
  });
  const agent = createReactAgent({
    llm: new ChatOpenAI({ model: MODEL, apiKey: 'test-key', configuration: { baseURL: `${server.url}/v1` } }),
    tools: [lookupOrder],
  });
  const workflow = {
    'traceloop.span.kind': 'workflow',
    'traceloop.workflow.name': 'support',
    'traceloop.association.properties.session_id': 'session-ll',
  };
  await trace.getTracer('support-app').startActiveSpan('support.workflow', { attributes: workflow }, async (span) => {
    await agent.invoke({ messages: [{ role: 'user', content: 'Where is order 7?' }] }, { configurable: { thread_id: 'thread-2' } });
    span.end();
  });
  await sleep(20);
  analysis = analyseRecords(capture.records());
});

afterAll(async () => {
  await server?.close();
  await capture?.shutdown();
});

const calls = (): SpanView[] => analysis.spans.filter((span) => span.category === 'llm');

describe('LangGraph through OpenLLMetry’s LangChain instrumentation', () => {
  it('nests the flat runs back by time and reports the repair', () => {
    const graph = analysis.spans.find((span) => span.name === 'workflow CompiledStateGraph')!;
    expect(graph.parentSpanId).toBe(analysis.spans[0].spanId);
    const underGraph = analysis.spans.filter((span) => span.parentSpanId !== undefined && span.parentSpanId !== analysis.spans[0].spanId);
    expect(underGraph.length).toBe(analysis.spans.length - 2);
    expect(analysis.warnings).toEqual([
      `${analysis.spans.length - 2} spans of OpenLLMetry's LangChain instrumentation nested by time (it records every run flat under the caller's span)`,
    ]);
  });

  it('classifies the workflow as the task, runs as orchestration, chat spans as calls and the tool run as a tool', () => {
    expect(analysis.spans[0]).toMatchObject({ name: 'support.workflow', category: 'task', classifiedBy: 'openllmetry' });
    const categories = new Set(analysis.spans.filter((span) => span.name.startsWith('workflow ')).map((span) => span.category));
    expect([...categories]).toEqual(['orchestration']);
    expect(calls().map((span) => [span.name, span.classifiedBy])).toEqual([
      [`chat ${MODEL}`, 'genai'],
      [`chat ${MODEL}`, 'genai'],
    ]);
    const tool = analysis.spans.find((span) => span.category === 'tool')!;
    expect([tool.name, tool.classifiedBy, tool.tool]).toEqual([
      'execute_tool DynamicStructuredTool',
      'openllmetry',
      { name: 'DynamicStructuredTool' },
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1, sessionId: 'session-ll' });
  });

  it('reads model and usage; streaming and TTFT stay unknown because it records neither', () => {
    expect(calls().map((span) => span.llm)).toEqual([
      {
        model: MODEL,
        provider: 'openai',
        inputTokens: server.requests[0].plan.inputTokens,
        outputTokens: server.requests[0].plan.outputTokens,
      },
      {
        model: MODEL,
        provider: 'openai',
        inputTokens: server.requests[1].plan.inputTokens,
        outputTokens: server.requests[1].plan.outputTokens,
      },
    ]);
    expect(analysis.summary.firstTtftMs).toBeUndefined();
  });

  it('puts the calls and the tool on the critical path, not the graph span around them', () => {
    const tool = analysis.spans.find((span) => span.category === 'tool')!;
    expectEncloses(tool.durationMs, 'llmetry-graph-lookupOrder');
    expect([...calls(), tool].every((span) => span.critical)).toBe(true);
    // Steps run back to back can be recorded overlapping by < 1 ms; the later step owns the overlap.
    const toolMs = sequentialCriticalMs(analysis.spans, tool);
    expect(toolMs).toBeGreaterThan(tool.durationMs - RECORDED_START_JITTER_MS);
    expect(analysis.summary.breakdown.tool).toBeCloseTo(toolMs, 6);
    for (const call of calls())
      expect(sequentialCriticalMs(analysis.spans, call)).toBeGreaterThan(call.durationMs - RECORDED_START_JITTER_MS);
    const callsMs = calls().reduce((total, span) => total + sequentialCriticalMs(analysis.spans, span), 0);
    expect(analysis.summary.breakdown.llm).toBeCloseTo(callsMs, 6);
    expectAbout(calls()[1].durationMs, TTFT_MS);
  });
});
