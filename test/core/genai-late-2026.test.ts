import { analyseRecords, runRules } from '@threshold/core';
import { singleTraceContext } from '../../packages/core/src/recommendations/index.js';
import { describe, expect, it } from 'vitest';
import { fixtureRecords, type FixtureSpan } from '../support/span-records.js';

/**
 * GenAI semantic conventions as of late 2026 (open-telemetry/semantic-conventions-genai:
 * model/gen-ai/registry.yaml and spans.yaml; changelog.d/571 `handle_conversation_turn` and
 * `gen_ai.invocation.is_nested`, 535 the `gen_ai.tool.call.decision` event with outcome
 * allow / deny / require_approval, memory operations from #140, `plan` from #97).
 */
const op = (name: string, extra: Record<string, string | number | boolean> = {}) => ({ 'gen_ai.operation.name': name, ...extra });

describe('a conversation turn under an HTTP server span, with planning, memory and a nested agent', () => {
  const spans: FixtureSpan[] = [
    { id: 'http', name: 'POST /chat', startMs: 0, endMs: 1000, kind: 2, attributes: { 'http.request.method': 'POST' } },
    {
      id: 'turn',
      parent: 'http',
      name: 'handle_conversation_turn',
      startMs: 10,
      endMs: 990,
      attributes: op('handle_conversation_turn', { 'gen_ai.conversation.id': 'conv-1', 'gen_ai.invocation.is_nested': false }),
    },
    {
      id: 'recall',
      parent: 'turn',
      name: 'search_memory prefs',
      startMs: 10,
      endMs: 60,
      attributes: op('search_memory', { 'gen_ai.memory.store.id': 'prefs' }),
    },
    { id: 'plan', parent: 'turn', name: 'plan', startMs: 60, endMs: 260, attributes: op('plan') },
    {
      id: 'plancall',
      parent: 'plan',
      name: 'chat small',
      startMs: 70,
      endMs: 250,
      attributes: op('chat', { 'gen_ai.request.model': 'small', 'gen_ai.provider.name': 'openai' }),
    },
    {
      id: 'agent',
      parent: 'turn',
      name: 'invoke_agent Researcher',
      startMs: 260,
      endMs: 900,
      attributes: op('invoke_agent', { 'gen_ai.invocation.is_nested': true, 'gen_ai.request.stream': true }),
    },
    {
      id: 'call',
      parent: 'agent',
      name: 'chat large',
      startMs: 270,
      endMs: 890,
      attributes: op('chat', {
        'gen_ai.request.model': 'large',
        'gen_ai.provider.name': 'openai',
        'gen_ai.response.time_to_first_chunk': 0.3,
        'gen_ai.usage.input_tokens': 500,
        'gen_ai.usage.cache_read.input_tokens': 400,
        'gen_ai.usage.cache_write.input_tokens': 50,
        'gen_ai.usage.output_tokens': 33,
      }),
    },
    { id: 'save', parent: 'turn', name: 'upsert_memory prefs', startMs: 900, endMs: 990, attributes: op('upsert_memory') },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('makes the turn the task, the nested agent and the plan orchestration, memory operations state', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.orchestration?.kind])).toEqual([
      ['POST /chat', 'task', undefined],
      ['handle_conversation_turn', 'task', undefined],
      ['search_memory prefs', 'state', undefined],
      ['plan', 'orchestration', 'plan'],
      ['chat small', 'llm', undefined],
      ['invoke_agent Researcher', 'orchestration', 'step'],
      ['chat large', 'llm', undefined],
      ['upsert_memory prefs', 'state', undefined],
    ]);
    expect(analysis.traceSpans.filter((span) => span.state).map((span) => span.state)).toEqual([
      { operation: 'retrieve', target: 'memory' },
      { operation: 'save', target: 'memory' },
    ]);
    expect(analysis.summary.sessionId).toBe('conv-1');
  });

  it('reads cache reads and writes, and streaming stated on the agent for a call that does not say', () => {
    expect(analysis.spans.find((span) => span.spanId === 'call')!.llm).toEqual({
      model: 'large',
      provider: 'openai',
      streaming: true,
      ttftMs: 300,
      tpotMs: 10,
      inputTokens: 500,
      outputTokens: 33,
      cacheReadInputTokens: 400,
      cacheWriteInputTokens: 50,
    });
    expect(analysis.spans.find((span) => span.spanId === 'plancall')!.llm).toEqual({ model: 'small', provider: 'openai' });
    expect(analysis.summary.perceivedMs).toBe(570);
  });
});

describe('a tool waiting for a human approval', () => {
  const decision = (outcome: string) => ({
    'gen_ai.tool.call.decision.outcome': outcome,
    'gen_ai.tool.call.id': 'call_7',
    'gen_ai.tool.name': 'delete_file',
  });
  const spans: FixtureSpan[] = [
    { id: 'agent', name: 'invoke_agent Ops', startMs: 0, endMs: 10_000, attributes: op('invoke_agent') },
    {
      id: 'call',
      parent: 'agent',
      name: 'chat large',
      startMs: 0,
      endMs: 400,
      attributes: op('chat', { 'gen_ai.request.model': 'large' }),
    },
    {
      id: 'tool',
      parent: 'agent',
      name: 'execute_tool delete_file',
      startMs: 400,
      endMs: 9_600,
      attributes: op('execute_tool', { 'gen_ai.tool.name': 'delete_file', 'gen_ai.tool.call.id': 'call_7' }),
      events: [
        { name: 'gen_ai.tool.call.decision', atMs: 400, attributes: decision('require_approval') },
        { name: 'gen_ai.tool.call.decision', atMs: 9_400, attributes: decision('allow') },
      ],
    },
    {
      id: 'final',
      parent: 'agent',
      name: 'chat large',
      startMs: 9_600,
      endMs: 10_000,
      attributes: op('chat', { 'gen_ai.request.model': 'large' }),
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));
  it('shows the wait as its own orchestration span inside the tool, never tool time', () => {
    const wait = analysis.spans.find((span) => span.orchestration?.kind === 'approval')!;
    expect(wait).toMatchObject({
      name: 'approval delete_file',
      parentSpanId: 'tool',
      category: 'orchestration',
      classifiedBy: 'genai',
      startOffsetMs: 400,
      durationMs: 9_000,
      critical: true,
    });
    expect(wait.attributes).toEqual({
      'threshold.derived_from': 'gen_ai.tool.call.decision',
      'gen_ai.tool.name': 'delete_file',
      'gen_ai.tool.call.id': 'call_7',
      'gen_ai.tool.call.decision.outcome': 'allow',
    });
    expect(analysis.summary.breakdown).toEqual({ llm: 800, tool: 200, state: 0, orchestration: 9_000, other: 0 });
    expect(analysis.summary).toMatchObject({ spanCount: 4, toolCalls: 1, llmCalls: 2 });
    expect(analysis.spans.find((span) => span.spanId === 'tool')!.selfMs).toBe(200);
  });

  it('is not proposed as orchestration overhead to cut', () => {
    const { findings } = runRules(analysis, singleTraceContext(analysis));
    expect(findings.filter((finding) => finding.ruleId === 'orchestration-overhead')).toEqual([]);
  });

  it('stays unmeasured when no later decision or execution says when it ended', () => {
    const open = spans.map((span) =>
      span.id === 'tool'
        ? {
            ...span,
            attributes: op('execute_tool', { 'gen_ai.tool.name': 'delete_file' }),
            events: [
              {
                name: 'gen_ai.tool.call.decision',
                atMs: 400,
                attributes: { 'gen_ai.tool.call.decision.outcome': 'require_approval', 'gen_ai.tool.name': 'other_tool' },
              },
            ],
          }
        : span,
    );
    const unmeasured = analyseRecords(fixtureRecords(open));
    expect(unmeasured.spans.some((span) => span.orchestration?.kind === 'approval')).toBe(false);
    expect(unmeasured.summary.breakdown.tool).toBe(9_200);
  });
});

describe('an approval wait the application marks itself', () => {
  it('is orchestration of kind approval with threshold.orchestration.kind, and not overhead to cut', () => {
    const analysis = analyseRecords(
      fixtureRecords([
        { id: 'task', startMs: 0, endMs: 6_000, attributes: { 'threshold.category': 'task' } },
        { id: 'call', parent: 'task', startMs: 0, endMs: 500, attributes: op('chat', { 'gen_ai.request.model': 'large' }) },
        {
          id: 'wait',
          parent: 'task',
          name: 'await approval',
          startMs: 500,
          endMs: 5_500,
          attributes: { 'threshold.orchestration.kind': 'approval' },
        },
        { id: 'tool', parent: 'task', startMs: 5_500, endMs: 6_000, attributes: op('execute_tool', { 'gen_ai.tool.name': 'refund' }) },
      ]),
    );
    expect(analysis.spans[2]).toMatchObject({
      spanId: 'wait',
      category: 'orchestration',
      classifiedBy: 'threshold',
      orchestration: { kind: 'approval' },
    });
    expect(analysis.summary.breakdown).toEqual({ llm: 500, tool: 500, state: 0, orchestration: 5_000, other: 0 });
    expect(runRules(analysis, singleTraceContext(analysis)).findings.map((finding) => finding.ruleId)).not.toContain(
      'orchestration-overhead',
    );
  });
});
