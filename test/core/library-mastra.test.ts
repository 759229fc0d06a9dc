import { analyseRecords } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { drawTimeline, drawing, fixtureRecords, type FixtureSpan } from '../support/span-records.js';

/**
 * Mastra's AI tracing as its OTel exporters write it. Mastra needs Node ≥ 22.13 (core 1.x) and
 * its 0.3 exporter pins OTel 0.205 peers, so the spans are written here from the exporters' source:
 *
 * - 0.2x (`@mastra/otel-exporter@0.3.3`, dist/index.js `SpanConverter.buildSpanName` /
 *   `buildAttributes`): names `agent.<id>`, `chat <model>`, `step: N`, `chunk: '<type>'`,
 *   `tool.execute <tool>`; `gen_ai.operation.name` `agent.run` / `chat` / `model.step` /
 *   `model.chunk` / `tool.execute`; model and usage on the generation only (`gen_ai.request.model`,
 *   `gen_ai.system`, `gen_ai.usage.*`); span metadata copied as plain keys (`threadId`,
 *   `resourceId`, `modelId` from the step-finish payload); no completion start time.
 * - 1.x (`@mastra/otel-exporter@1.4.0`, dist/index.js `getAttributes` / `getOperationName` /
 *   `SpanConverter.convertSpan`; mastra-ai/mastra observability/otel-exporter/src/gen-ai-semantics.ts):
 *   `invoke_agent <name>`, `execute_tool <tool>`; with paired packages the provider call is a
 *   `model_inference` span (`chat <model>`, usage, `mastra.completion_start_time`) inside
 *   `step: N` (`gen_ai.operation.name: agent_step`) inside the generation; threadId becomes
 *   `gen_ai.conversation.id` and metadata `mastra.metadata.<key>`.
 * - Step and chunk spans: mastra-ai/mastra observability/mastra/src/model-tracing.ts
 *   (`ModelSpanTracker`: `step: ${stepIndex}`, `chunk: '${chunkType}'`, completion start time at
 *   the first text/tool-call/reasoning delta). Times come from JS Dates: whole milliseconds.
 */
const mastra = (type: string, extra: Record<string, string | number> = {}) => ({ 'mastra.span.type': type, ...extra });

describe('Mastra 0.2x (otel-exporter 0.3): the chat span covers the whole agent loop', () => {
  const spans: FixtureSpan[] = [
    {
      id: 'agent',
      name: 'agent.support-agent',
      startMs: 0,
      endMs: 900,
      kind: 2,
      attributes: mastra('agent_run', {
        'gen_ai.operation.name': 'agent.run',
        'agent.id': 'support-agent',
        threadId: 'thread-1',
        resourceId: 'user-1',
      }),
    },
    {
      id: 'chat',
      parent: 'agent',
      name: 'chat gpt-4o-mini',
      startMs: 5,
      endMs: 890,
      kind: 3,
      attributes: mastra('model_generation', {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.system': 'openai',
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 30,
        threadId: 'thread-1',
        resourceId: 'user-1',
      }),
    },
    {
      id: 'step0',
      parent: 'chat',
      name: 'step: 0',
      startMs: 5,
      endMs: 565,
      attributes: mastra('model_step', { 'gen_ai.operation.name': 'model.step', modelId: 'gpt-4o-mini' }),
    },
    {
      id: 'callchunk',
      parent: 'step0',
      name: "chunk: 'tool-call'",
      startMs: 255,
      endMs: 256,
      kind: 3,
      attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }),
    },
    {
      id: 'lookup',
      parent: 'step0',
      name: 'tool.execute lookupOrder',
      startMs: 260,
      endMs: 560,
      attributes: mastra('tool_call', { 'gen_ai.operation.name': 'tool.execute', 'gen_ai.tool.name': 'lookupOrder' }),
    },
    {
      id: 'step1',
      parent: 'chat',
      name: 'step: 1',
      startMs: 570,
      endMs: 885,
      attributes: mastra('model_step', { 'gen_ai.operation.name': 'model.step', modelId: 'gpt-4o-mini' }),
    },
    {
      id: 'textchunk',
      parent: 'step1',
      name: "chunk: 'text'",
      startMs: 720,
      endMs: 880,
      kind: 3,
      attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }),
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('is drawn as described', () => {
    expect(drawTimeline(spans, 30)).toBe(
      drawing(`
        agent     |=============================|
        chat      |=============================|
        step0     |==================|
        callchunk          |
        lookup             |=========|
        step1                        |==========|
        textchunk                         |====|
      `),
    );
  });

  it('counts the steps as the calls, not the chat span around them nor their chunks', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.classifiedBy])).toEqual([
      ['agent.support-agent', 'task', 'mastra'],
      ['chat gpt-4o-mini', 'orchestration', 'mastra'],
      ['step: 0', 'llm', 'mastra'],
      ["chunk: 'tool-call'", 'llm', 'mastra'],
      ['tool.execute lookupOrder', 'tool', 'mastra'],
      ['step: 1', 'llm', 'mastra'],
      ["chunk: 'text'", 'llm', 'mastra'],
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1, sessionId: 'thread-1' });
    expect(analysis.traceSpans[0].task).toEqual({ sessionId: 'thread-1', userId: 'user-1' });
  });

  it('finds the model of each step in its modelId metadata and the loop’s usage on the chat span', () => {
    expect(analysis.spans.filter((span) => span.name.startsWith('step')).map((span) => span.llm)).toEqual([
      { model: 'gpt-4o-mini', provider: 'openai' },
      { model: 'gpt-4o-mini', provider: 'openai' },
    ]);
    expect(analysis.tokens).toEqual({ inputTokens: 120, outputTokens: 30 });
    expect(analysis.summary.firstTtftMs).toBeUndefined();
    expect(analysis.summary.perceivedMs).toBe(900);
  });

  it('splits the whole-ms trace exactly: the loop’s glue is orchestration, the tool its own', () => {
    expect(analysis.summary.breakdown).toEqual({ llm: 575, tool: 300, state: 0, orchestration: 10, other: 15 });
    expect(analysis.criticalPath).toEqual(['agent', 'chat', 'step0', 'callchunk', 'lookup', 'step1', 'textchunk']);
  });
});

describe('Mastra 1.x (otel-exporter 1.4, paired packages): model_inference inside step inside generation', () => {
  const spans: FixtureSpan[] = [
    {
      id: 'agent',
      name: 'invoke_agent Support',
      startMs: 0,
      endMs: 1000,
      kind: 2,
      attributes: mastra('agent_run', {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'Support',
        'gen_ai.conversation.id': 'thread-9',
        'mastra.metadata.threadId': 'thread-9',
        'mastra.metadata.resourceId': 'user-9',
      }),
    },
    {
      id: 'loop',
      parent: 'agent',
      name: 'model_generation gpt-4o',
      startMs: 10,
      endMs: 990,
      attributes: mastra('model_generation', { 'gen_ai.operation.name': 'model_generation', 'mastra.metadata.resourceId': 'user-9' }),
    },
    {
      id: 'step0',
      parent: 'loop',
      name: 'step: 0',
      startMs: 10,
      endMs: 420,
      attributes: mastra('model_step', { 'gen_ai.operation.name': 'agent_step', 'mastra.model_step.step_index': 0 }),
    },
    {
      id: 'call0',
      parent: 'step0',
      name: 'chat gpt-4o',
      startMs: 12,
      endMs: 212,
      kind: 3,
      attributes: mastra('model_inference', {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 200,
        'gen_ai.usage.output_tokens': 11,
        'gen_ai.usage.cache_read.input_tokens': 150,
        'mastra.completion_start_time': '2023-11-14T22:13:20.132Z',
      }),
    },
    {
      id: 'tool',
      parent: 'step0',
      name: 'execute_tool lookupOrder',
      startMs: 215,
      endMs: 415,
      attributes: mastra('tool_call', {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookupOrder',
        'gen_ai.tool.call.id': 'call_1',
      }),
    },
    {
      id: 'step1',
      parent: 'loop',
      name: 'step: 1',
      startMs: 425,
      endMs: 985,
      attributes: mastra('model_step', { 'gen_ai.operation.name': 'agent_step', 'mastra.model_step.step_index': 1 }),
    },
    {
      id: 'call1',
      parent: 'step1',
      name: 'chat gpt-4o',
      startMs: 430,
      endMs: 980,
      kind: 3,
      attributes: mastra('model_inference', {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 260,
        'gen_ai.usage.output_tokens': 41,
        'mastra.completion_start_time': '2023-11-14T22:13:20.630Z',
      }),
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('counts the inference spans as the calls; the generation and each step are the loop around them', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.orchestration?.kind])).toEqual([
      ['invoke_agent Support', 'task', undefined],
      ['model_generation gpt-4o', 'orchestration', 'step'],
      ['step: 0', 'orchestration', 'step'],
      ['chat gpt-4o', 'llm', undefined],
      ['execute_tool lookupOrder', 'tool', undefined],
      ['step: 1', 'orchestration', 'step'],
      ['chat gpt-4o', 'llm', undefined],
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1, sessionId: 'thread-9', firstTtftMs: 120 });
    expect(analysis.traceSpans[0].task).toEqual({ sessionId: 'thread-9', userId: 'user-9' });
  });

  it('reads TTFT from the ISO completion start time, cache reads and usage from each call', () => {
    const [first, answer] = analysis.spans.filter((span) => span.category === 'llm');
    expect(first.llm).toEqual({
      model: 'gpt-4o',
      provider: 'openai',
      streaming: true,
      ttftMs: 120,
      tpotMs: 8,
      inputTokens: 200,
      outputTokens: 11,
      cacheReadInputTokens: 150,
    });
    expect(answer.llm).toEqual({
      model: 'gpt-4o',
      provider: 'openai',
      streaming: true,
      ttftMs: 200,
      tpotMs: 8.75,
      inputTokens: 260,
      outputTokens: 41,
    });
    expect(analysis.tokens).toEqual({ inputTokens: 460, outputTokens: 52 });
    expect(analysis.summary.perceivedMs).toBe(630);
  });

  it('gives the steps’ own time to orchestration, every ms accounted for', () => {
    expect(analysis.summary.breakdown).toEqual({ llm: 750, tool: 200, state: 0, orchestration: 30, other: 20 });
  });
});

describe('Mastra 1.x without model_inference: the generation names the model and the first token', () => {
  const spans: FixtureSpan[] = [
    {
      id: 'agent',
      name: 'invoke_agent Support',
      startMs: 0,
      endMs: 500,
      attributes: mastra('agent_run', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 'thread-3' }),
    },
    {
      id: 'gen',
      parent: 'agent',
      name: 'chat gpt-4o',
      startMs: 0,
      endMs: 500,
      attributes: mastra('model_generation', {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 90,
        'gen_ai.usage.output_tokens': 21,
        'mastra.completion_start_time': '2023-11-14T22:13:20.180Z',
      }),
    },
    {
      id: 'step0',
      parent: 'gen',
      name: 'step: 0',
      startMs: 20,
      endMs: 480,
      attributes: mastra('model_step', { 'gen_ai.operation.name': 'model_step', 'mastra.metadata.modelId': 'gpt-4o' }),
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('gives the step the first token that fell inside it and counts the generation’s usage once', () => {
    expect(analysis.spans.map((span) => [span.name, span.category])).toEqual([
      ['invoke_agent Support', 'task'],
      ['chat gpt-4o', 'orchestration'],
      ['step: 0', 'llm'],
    ]);
    expect(analysis.spans[2].llm).toEqual({ model: 'gpt-4o', provider: 'openai', streaming: true, ttftMs: 160 });
    expect(analysis.tokens).toEqual({ inputTokens: 90, outputTokens: 21 });
    expect(analysis.summary).toMatchObject({ llmCalls: 1, perceivedMs: 180, sessionId: 'thread-3' });
  });
});

describe('Mastra workflows', () => {
  const spans: FixtureSpan[] = [
    {
      id: 'flow',
      name: 'invoke_workflow order-flow',
      startMs: 0,
      endMs: 300,
      attributes: mastra('workflow_run', { 'gen_ai.operation.name': 'invoke_workflow' }),
    },
    {
      id: 'validate',
      parent: 'flow',
      name: 'workflow_step validate',
      startMs: 0,
      endMs: 100,
      attributes: mastra('workflow_step', { 'gen_ai.operation.name': 'workflow_step' }),
    },
    {
      id: 'pause',
      parent: 'flow',
      name: 'workflow_sleep',
      startMs: 100,
      endMs: 250,
      attributes: mastra('workflow_sleep', { 'gen_ai.operation.name': 'workflow_sleep' }),
    },
    {
      id: 'notify',
      parent: 'flow',
      name: 'workflow_step notify',
      startMs: 250,
      endMs: 300,
      attributes: mastra('workflow_step', { 'gen_ai.operation.name': 'workflow_step' }),
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('makes the run the task, its steps orchestration steps and a sleep a queue wait', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.orchestration?.kind])).toEqual([
      ['invoke_workflow order-flow', 'task', undefined],
      ['workflow_step validate', 'orchestration', 'step'],
      ['workflow_sleep', 'orchestration', 'queue'],
      ['workflow_step notify', 'orchestration', 'step'],
    ]);
    expect(analysis.summary.breakdown).toEqual({ llm: 0, tool: 0, state: 0, orchestration: 300, other: 0 });
  });
});
