import { analyseRecords, DEFAULT_TASK_CLASS_CONFIG } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { budgetOfClass } from '../../packages/core/src/facts/class-budget.js';
import { spanFactsOf } from '../../packages/core/src/facts/span-facts.js';
import { traceFacts } from '../../packages/core/src/facts/trace-facts.js';
import { fixtureRecords, type FixtureSpan } from '../support/span-records.js';

const mastra = (type: string, extra: Record<string, string | number> = {}) => ({ 'mastra.span.type': type, ...extra });

/**
 * A Mastra 0.2x turn (the exporter's names, as in library-mastra.test.ts) whose task states its
 * class, budget and turn:
 *
 *   agent      |=============================|   threshold.task.class support, budget 1500 ms, turn 3
 *   chat       |=============================|   the generation: usage 120 in / 30 out for the whole loop
 *   step0      |==================|              a call (no usage of its own)
 *   callchunk           |                        a chunk of step0's stream: an llm span, not a call
 *   lookup              |=========|
 *   step1                         |==========|   a call
 *   textchunk                          |====|    a chunk
 */
const SPANS: FixtureSpan[] = [
  {
    id: 'agent',
    name: 'agent.support-agent',
    startMs: 0,
    endMs: 900,
    kind: 2,
    attributes: mastra('agent_run', {
      'agent.id': 'support-agent',
      'threshold.task.class': 'support',
      'threshold.task.budget_ms': 1500,
      'threshold.turn': 3,
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
    }),
  },
  { id: 'step0', parent: 'chat', name: 'step: 0', startMs: 5, endMs: 565, attributes: mastra('model_step', { modelId: 'gpt-4o-mini' }) },
  { id: 'callchunk', parent: 'step0', name: "chunk: 'tool-call'", startMs: 255, endMs: 256, kind: 3, attributes: mastra('model_chunk') },
  {
    id: 'lookup',
    parent: 'step0',
    name: 'tool.execute lookupOrder',
    startMs: 260,
    endMs: 560,
    status: 2,
    attributes: mastra('tool_call', { 'gen_ai.tool.name': 'lookupOrder' }),
  },
  { id: 'step1', parent: 'chat', name: 'step: 1', startMs: 570, endMs: 885, attributes: mastra('model_step', { modelId: 'gpt-4o-mini' }) },
  { id: 'textchunk', parent: 'step1', name: "chunk: 'text'", startMs: 720, endMs: 880, kind: 3, attributes: mastra('model_chunk') },
];

describe('the facts stored of a trace', () => {
  const config = { ...DEFAULT_TASK_CLASS_CONFIG, budgetsMs: { ...DEFAULT_TASK_CLASS_CONFIG.budgetsMs, support: 2_000 } };
  const facts = traceFacts(analyseRecords(fixtureRecords(SPANS), config));

  it('marks the steps as the llm calls, never the chunks of their streams nor the generation around them', () => {
    expect(facts.spans.map((span) => [span.name, span.category, span.llmCall, span.aggregate])).toEqual([
      ['chat gpt-4o-mini', 'orchestration', false, true],
      ['step: 0', 'llm', true, false],
      ["chunk: 'tool-call'", 'llm', false, false],
      ['lookupOrder', 'tool', false, false],
      ['step: 1', 'llm', true, false],
      ["chunk: 'text'", 'llm', false, false],
    ]);
  });

  it('counts the usage the generation carries once, as core counts it, when no call reported its own', () => {
    expect([facts.inputTokens, facts.outputTokens]).toEqual([120, 30]);
  });

  it('takes the turn, class and budget the task stated, its budget before the configured one', () => {
    expect([facts.turn, facts.taskClass, facts.budgetMs]).toEqual([3, 'support', 1_500]);
  });

  it('stores a tool under its tool name with its error and duration', () => {
    expect(facts.spans[3]).toEqual({
      category: 'tool',
      name: 'lookupOrder',
      service: 'agent',
      llmCall: false,
      aggregate: false,
      model: null,
      provider: null,
      streaming: null,
      ttftMs: null,
      tpotMs: null,
      inputTokens: null,
      outputTokens: null,
      maxChunkGapMs: null,
      durationMs: 300,
      cacheHit: null,
      coldStart: null,
      error: true,
    });
  });

  it('derives the span facts once per analysis, and afresh for a new analysis of the same spans', () => {
    const analysis = analyseRecords(fixtureRecords(SPANS), config);
    const once = spanFactsOf(analysis.traceSpans);
    expect(spanFactsOf(analysis.traceSpans)).toBe(once);
    expect(traceFacts(analysis).spans).toBe(once);
    const again = analyseRecords(fixtureRecords(SPANS), config);
    expect(spanFactsOf(again.traceSpans)).not.toBe(once);
    expect(spanFactsOf(again.traceSpans)).toEqual(once);
  });
});

describe("a task class's budget", () => {
  const config = { ...DEFAULT_TASK_CLASS_CONFIG, budgetsMs: { simple: 2_000, complex: 5_000 }, defaultBudgetMs: 7_000 };

  it.each([
    { case: 'its latest trace stated one, over the configured budget', taskClass: 'simple', latest: 1_500, expected: 1_500 },
    { case: 'its latest trace was held to the configured budget', taskClass: 'simple', latest: 2_000, expected: 2_000 },
    { case: 'no trace in view: the configured budget', taskClass: 'complex', latest: null, expected: 5_000 },
    { case: 'unconfigured, its latest trace stated one', taskClass: 'research', latest: 30_000, expected: 30_000 },
    { case: 'unconfigured, no trace in view: the default', taskClass: 'research', latest: null, expected: 7_000 },
    { case: 'a class named like an Object.prototype member is not configured', taskClass: 'constructor', latest: null, expected: 7_000 },
  ])('is $expected ms when $case', ({ taskClass, latest, expected }) => {
    expect(budgetOfClass(config, taskClass, latest)).toBe(expected);
  });

  it("equals core's budget of a trace of the class, whatever the trace stated", () => {
    for (const stated of [undefined, 1_500]) {
      const attributes = { 'threshold.task.class': 'simple', ...(stated === undefined ? {} : { 'threshold.task.budget_ms': stated }) };
      const { summary } = analyseRecords(fixtureRecords([{ id: 'task', startMs: 0, endMs: 100, attributes }]), config);
      expect(budgetOfClass(config, 'simple', summary.budgetMs)).toBe(summary.budgetMs);
    }
  });
});
