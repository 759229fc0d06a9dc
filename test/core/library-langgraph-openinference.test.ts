import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { tool } from '@langchain/core/tools';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import { analyseRecords, type SpanView, type TraceAnalysis } from '@threshold/core';
import { startModelServer, type ModelServer } from '@threshold/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { captureSpans, type SpanCapture } from '../support/capture-spans.js';
import { RECORDED_START_JITTER_MS, sequentialCriticalMs } from '../support/sequential-overlap.js';
import { expectAbout, expectEncloses, sleep, timed } from '../support/timing.js';

/**
 * LangGraph's prebuilt ReAct agent (`@langchain/langgraph` 1.7, `@langchain/openai` 1.5
 * `ChatOpenAI`) traced by OpenInference's LangChain instrumentation
 * (`@arizeai/openinference-instrumentation-langchain` 4.1), against a loopback model server that
 * answers the first call with a tool call and the second with text.
 *
 * What it emits (found by running it): every runnable is a span: the graph (`LangGraph`), its
 * nodes (`__start__`, `agent`, `tools`) and their runnables are `CHAIN`; the model call
 * `ChatOpenAI` is `LLM` with `llm.model_name`, `llm.token_count.*` and the request as
 * `llm.invocation_parameters` (`"stream": false`); the tool is `TOOL` with `tool.name`; every
 * span carries `session.id` from the run's `metadata.session_id`. No provider, no first token.
 * The calls do not stream: ChatOpenAI's streamed `invoke` estimates token counts with tiktoken,
 * which downloads its encodings, and this machine (like many CI sandboxes) has no network.
 */
const MODEL = 'graph-model';
const TTFT_MS = 120;
const PER_TOKEN_MS = 10;
const LOOKUP_MS = 150;

let capture: SpanCapture;
let server: ModelServer;
let analysis: TraceAnalysis;

beforeAll(async () => {
  capture = captureSpans('langgraph-agent');
  new LangChainInstrumentation({ tracerProvider: capture.provider }).manuallyInstrument(CallbackManagerModule);
  server = await startModelServer({
    profiles: { [MODEL]: { ttftMs: TTFT_MS, perTokenMs: PER_TOKEN_MS, outputTokens: 6 } },
    reply: (view) =>
      view.promptText.includes('SHIPPED-7')
        ? { text: 'Order seven shipped this morning.' }
        : { toolCall: { name: 'lookupOrder', arguments: '{"id":"7"}' } },
  });
  const lookupOrder = tool(() => timed('graph-lookupOrder', () => sleep(LOOKUP_MS).then(() => 'SHIPPED-7')), {
    name: 'lookupOrder',
    description: 'Looks up an order by id',
    schema: z.object({ id: z.string() }),
  });
  const llm = new ChatOpenAI({ model: MODEL, apiKey: 'test-key', configuration: { baseURL: `${server.url}/v1` } });
  const agent = createReactAgent({ llm, tools: [lookupOrder] });
  await agent.invoke(
    { messages: [{ role: 'user', content: 'Where is order 7?' }] },
    { configurable: { thread_id: 'thread-1' }, metadata: { session_id: 'session-graph' } },
  );
  await sleep(20);
  analysis = analyseRecords(capture.records());
});

afterAll(async () => {
  await server?.close();
  await capture?.shutdown();
});

const calls = (): SpanView[] => analysis.spans.filter((span) => span.category === 'llm');

describe('LangGraph ReAct agent through OpenInference', () => {
  it('makes the graph the task, its nodes orchestration steps, the model runs calls and the tool a tool', () => {
    const byName = new Map<string, string[]>();
    for (const span of analysis.spans) byName.set(span.name, [...(byName.get(span.name) ?? []), span.category]);
    expect(analysis.spans[0]).toMatchObject({ name: 'LangGraph', category: 'task', classifiedBy: 'openinference' });
    expect(byName.get('agent')).toEqual(['orchestration', 'orchestration']);
    expect(byName.get('tools')).toEqual(['orchestration']);
    expect(byName.get('ChatOpenAI')).toEqual(['llm', 'llm']);
    expect(byName.get('lookupOrder')).toEqual(['tool']);
    expect(analysis.spans.every((span) => span.classifiedBy === 'openinference')).toBe(true);
    expect(analysis.spans.filter((span) => span.category === 'orchestration').every((span) => span.orchestration?.kind === 'step')).toBe(
      true,
    );
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1, sessionId: 'session-graph', name: 'LangGraph' });
  });

  it('reads model, tokens and “not streamed” from the recorded invocation parameters; TTFT is not sent', () => {
    expect(calls().map((span) => span.llm)).toEqual([
      {
        model: MODEL,
        streaming: false,
        inputTokens: server.requests[0].plan.inputTokens,
        outputTokens: server.requests[0].plan.outputTokens,
      },
      {
        model: MODEL,
        streaming: false,
        inputTokens: server.requests[1].plan.inputTokens,
        outputTokens: server.requests[1].plan.outputTokens,
      },
    ]);
    expect(analysis.summary.firstTtftMs).toBeUndefined();
    expect(analysis.summary.perceivedMs).toBe(analysis.summary.durationMs);
  });

  it('puts both calls and the tool on the critical path with their own time', () => {
    const tool = analysis.spans.find((span) => span.category === 'tool')!;
    expectEncloses(tool.durationMs, 'graph-lookupOrder');
    expectAbout(tool.durationMs, LOOKUP_MS);
    expect([...calls(), tool].every((span) => span.critical)).toBe(true);
    // Steps run back to back can be recorded overlapping by < 1 ms; the later step owns the overlap.
    const toolMs = sequentialCriticalMs(analysis.spans, tool);
    expect(toolMs).toBeGreaterThan(tool.durationMs - RECORDED_START_JITTER_MS);
    expect(analysis.summary.breakdown.tool).toBeCloseTo(toolMs, 6);
    for (const call of calls())
      expect(sequentialCriticalMs(analysis.spans, call)).toBeGreaterThan(call.durationMs - RECORDED_START_JITTER_MS);
    const callsMs = calls().reduce((total, span) => total + sequentialCriticalMs(analysis.spans, span), 0);
    expect(analysis.summary.breakdown.llm).toBeCloseTo(callsMs, 6);
    expectAbout(calls()[0].durationMs, TTFT_MS);
  });
});
