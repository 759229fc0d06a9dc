import { analyseRecords, DEFAULT_TASK_CLASS_CONFIG, type TraceSummary } from '@threshold/core';
import { analyseTrace } from '../../packages/core/src/analysis/analyse-trace.js';
import { buildTraceSpans } from '../../packages/core/src/analysis/build-trace-spans.js';
import { describe, expect, it } from 'vitest';
import { drawTimeline, drawing, FIXTURE_TRACE_ID, fixtureRecords, type FixtureSpan } from '../support/span-records.js';

/**
 * A customer-service turn, 100 ms per column:
 *
 *   turn      task: session s-1, turn 3
 *   load      state: session load
 *   intent    llm: small model, not streamed
 *   search    tool   } parallel: search is critical
 *   faq       tool   }
 *   answer    llm: streamed, TTFT 400 ms, 61 tokens
 *   save      state: session save, after the answer (the user already sees it)
 */
const TURN: FixtureSpan[] = [
  {
    id: 'turn',
    name: 'support-turn',
    startMs: 0,
    endMs: 3000,
    attributes: { 'threshold.category': 'task', 'gen_ai.conversation.id': 's-1', 'threshold.turn': 3 },
  },
  { id: 'load', parent: 'turn', startMs: 0, endMs: 100, attributes: { 'threshold.state.operation': 'load' } },
  {
    id: 'intent',
    parent: 'turn',
    startMs: 100,
    endMs: 400,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'small-7b',
      'gen_ai.request.stream': false,
      'gen_ai.usage.input_tokens': 200,
      'gen_ai.usage.output_tokens': 3,
    },
  },
  {
    id: 'search',
    parent: 'turn',
    startMs: 400,
    endMs: 1200,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' },
  },
  {
    id: 'faq',
    parent: 'turn',
    startMs: 400,
    endMs: 800,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'faq' },
  },
  {
    id: 'answer',
    parent: 'turn',
    startMs: 1200,
    endMs: 2800,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.stream': true,
      'gen_ai.response.time_to_first_chunk': 0.4,
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.usage.output_tokens': 61,
    },
  },
  { id: 'save', parent: 'turn', startMs: 2800, endMs: 3000, attributes: { 'threshold.state.operation': 'save' } },
];

const TURN_DRAWING = drawing(`
  turn   |=============================|
  load   ||
  intent  |==|
  search     |=======|
  faq        |===|
  answer             |===============|
  save                               |=|
`);

describe('analyseTrace over a drawn customer-service turn', () => {
  const analysis = analyseRecords(fixtureRecords(TURN));

  it('draws the trace it describes', () => {
    expect(drawTimeline(TURN, 100)).toBe(TURN_DRAWING);
  });

  it('summarises the task with exact figures', () => {
    const expected: TraceSummary = {
      traceId: FIXTURE_TRACE_ID,
      service: 'agent',
      name: 'support-turn',
      taskClass: 'simple',
      sessionId: 's-1',
      startTimeMs: 1_700_000_000_000,
      durationMs: 3000,
      // the streamed answer is the last llm call on the critical path: 1200 + 400
      perceivedMs: 1600,
      band: 'frustrating',
      perceivedBand: 'noticeable',
      budgetMs: 2000,
      overBudget: true,
      spanCount: 7,
      llmCalls: 2,
      toolCalls: 2,
      firstTtftMs: 400,
      error: false,
      breakdown: { llm: 1900, tool: 800, state: 300, orchestration: 0, other: 0 },
    };
    expect(analysis.summary).toEqual(expected);
    expect(analysis.llmTime).toEqual({ waitingForFirstTokenMs: 400, generatingMs: 1200, unsplitMs: 300 });
    expect(analysis.criticalPath).toEqual(['turn', 'load', 'intent', 'search', 'answer', 'save']);
    expect(analysis.tokens).toEqual({ inputTokens: 1100, outputTokens: 64 });
    expect(analysis.turn).toBe(3);
    expect(analysis.warnings).toEqual([]);
  });

  it('shows each span with self time, criticality and what is known about it', () => {
    expect(analysis.spans.map(({ attributes: _attributes, ...view }) => view)).toEqual([
      {
        spanId: 'turn',
        name: 'support-turn',
        category: 'task',
        classifiedBy: 'threshold',
        startOffsetMs: 0,
        durationMs: 3000,
        selfMs: 0,
        critical: true,
        status: 'unset',
      },
      {
        spanId: 'load',
        parentSpanId: 'turn',
        name: 'load',
        classifiedBy: 'threshold',
        category: 'state',
        startOffsetMs: 0,
        durationMs: 100,
        selfMs: 100,
        critical: true,
        status: 'unset',
      },
      {
        spanId: 'intent',
        parentSpanId: 'turn',
        name: 'intent',
        classifiedBy: 'genai',
        category: 'llm',
        startOffsetMs: 100,
        durationMs: 300,
        selfMs: 300,
        critical: true,
        status: 'unset',
        llm: { model: 'small-7b', streaming: false, inputTokens: 200, outputTokens: 3 },
      },
      {
        spanId: 'search',
        parentSpanId: 'turn',
        name: 'search',
        classifiedBy: 'genai',
        category: 'tool',
        startOffsetMs: 400,
        durationMs: 800,
        selfMs: 800,
        critical: true,
        status: 'unset',
        tool: { name: 'search' },
      },
      {
        spanId: 'faq',
        parentSpanId: 'turn',
        name: 'faq',
        classifiedBy: 'genai',
        category: 'tool',
        startOffsetMs: 400,
        durationMs: 400,
        selfMs: 400,
        critical: false,
        status: 'unset',
        tool: { name: 'faq' },
      },
      {
        spanId: 'answer',
        parentSpanId: 'turn',
        name: 'answer',
        classifiedBy: 'genai',
        category: 'llm',
        startOffsetMs: 1200,
        durationMs: 1600,
        selfMs: 1600,
        critical: true,
        status: 'unset',
        llm: { model: 'gpt-4o', provider: 'openai', streaming: true, ttftMs: 400, tpotMs: 20, inputTokens: 900, outputTokens: 61 },
      },
      {
        spanId: 'save',
        parentSpanId: 'turn',
        name: 'save',
        classifiedBy: 'threshold',
        category: 'state',
        startOffsetMs: 2800,
        durationMs: 200,
        selfMs: 200,
        critical: true,
        status: 'unset',
      },
    ]);
    expect(analysis.traceSpans.find((span) => span.spanId === 'turn')!.task).toEqual({ sessionId: 's-1', turn: 3 });
  });

  it('takes a stated turn only when it is a whole number a 32-bit integer holds (the stores keep it as one)', () => {
    const turnOf = (turn: number | string) =>
      analyseRecords(
        fixtureRecords(
          TURN.map((span) => (span.id === 'turn' ? { ...span, attributes: { ...span.attributes, 'threshold.turn': turn } } : span)),
        ),
      ).turn;
    expect(turnOf(2_147_483_647)).toBe(2_147_483_647);
    expect(turnOf(-2_147_483_648)).toBe(-2_147_483_648);
    expect(turnOf(3_000_000_000)).toBeUndefined();
    expect(turnOf('3000000000')).toBeUndefined();
    expect(turnOf(2.5)).toBeUndefined();
  });

  it('takes an explicit threshold.first_output event over the streamed call’s first token', () => {
    const withEvent = TURN.map((span) =>
      span.id === 'turn' ? { ...span, events: [{ name: 'threshold.first_output', atMs: 1250 }] } : span,
    );
    const summary = analyseRecords(fixtureRecords(withEvent)).summary;
    expect([summary.perceivedMs, summary.perceivedBand]).toEqual([1250, 'noticeable']);
  });

  it('uses the stated task class and budget, then the configured name mapping, then call counts', () => {
    const stated = TURN.map((span) =>
      span.id === 'turn'
        ? { ...span, attributes: { ...span.attributes, 'threshold.task.class': 'support', 'threshold.task.budget_ms': 4000 } }
        : span,
    );
    expect(analyseRecords(fixtureRecords(stated)).summary).toMatchObject({ taskClass: 'support', budgetMs: 4000, overBudget: false });
    const mapped = analyseRecords(fixtureRecords(TURN), { ...DEFAULT_TASK_CLASS_CONFIG, classByTaskName: { 'support-turn': 'complex' } });
    expect(mapped.summary).toMatchObject({ taskClass: 'complex', budgetMs: 5000, overBudget: false });
    const busy = [
      ...TURN,
      ...Array.from({ length: 5 }, (_, i) => ({
        id: `extra${i}`,
        parent: 'turn',
        startMs: 2800,
        endMs: 2810,
        attributes: { 'gen_ai.operation.name': 'chat' },
      })),
    ];
    expect(analyseRecords(fixtureRecords(busy)).summary).toMatchObject({ llmCalls: 7, taskClass: 'complex', budgetMs: 5000 });
  });

  it('flags an error anywhere in the trace', () => {
    const failed = TURN.map((span) => (span.id === 'faq' ? { ...span, status: 2 as const } : span));
    expect(analyseRecords(fixtureRecords(failed)).summary.error).toBe(true);
  });

  it('re-analyses edited spans with nothing but its input (what-if projection)', () => {
    const built = buildTraceSpans(fixtureRecords(TURN));
    // halve the search tool: everything after it moves 400 ms earlier
    const edited = built.spans.map((span) => {
      if (span.spanId === 'search') return { ...span, endNs: span.endNs - 400_000_000 };
      if (span.spanId === 'answer' || span.spanId === 'save')
        return { ...span, startNs: span.startNs - 400_000_000, endNs: span.endNs - 400_000_000 };
      if (span.spanId === 'turn') return { ...span, endNs: span.endNs - 400_000_000 };
      return span;
    });
    const projected = analyseTrace({ spans: edited, traceStartUnixNano: built.traceStartUnixNano, traceId: 'projected' });
    expect(projected.summary).toMatchObject({
      traceId: 'projected',
      durationMs: 2600,
      perceivedMs: 1200,
      breakdown: { llm: 1900, tool: 400, state: 300, orchestration: 0, other: 0 },
    });
    // search and faq now run 400–800 side by side; a tie goes to the first in waterfall order (faq)
    expect(projected.criticalPath).toEqual(['turn', 'load', 'intent', 'faq', 'answer', 'save']);
  });
});

describe('aggregate llm spans', () => {
  it('do not double count calls or tokens a wrapper repeats', () => {
    //   root      |====================|
    //   chain     |====================|   llm wrapper: usage 30/12 = sum of its calls
    //   call 1    |=========|
    //   call 2               |=========|
    const analysis = analyseRecords(
      fixtureRecords([
        { id: 'root', startMs: 0, endMs: 200, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
        {
          id: 'chain',
          parent: 'root',
          startMs: 0,
          endMs: 200,
          attributes: { 'langsmith.span.kind': 'llm', 'gen_ai.usage.input_tokens': 30, 'gen_ai.usage.output_tokens': 12 },
        },
        {
          id: 'call1',
          parent: 'chain',
          startMs: 0,
          endMs: 100,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5 },
        },
        {
          id: 'call2',
          parent: 'chain',
          startMs: 100,
          endMs: 200,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.output_tokens': 7 },
        },
      ]),
    );
    expect(analysis.summary.llmCalls).toBe(2);
    expect(analysis.tokens).toEqual({ inputTokens: 30, outputTokens: 12 });
    expect(analysis.traceSpans.map((span) => span.llm?.aggregate)).toEqual([undefined, true, undefined, undefined]);
  });
});
