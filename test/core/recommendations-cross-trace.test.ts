import { describe, expect, it } from 'vitest';
import { observeTrace, RuleContextIndex } from '@threshold/core';
import {
  buildRuleContext,
  cacheToolResultsRule,
  compressContextRule,
  prewarmRule,
  routeModelRule,
  speculateRule,
  stepFollowKey,
  type LlmCallObservation,
  type ToolCallObservation,
  type TraceObservations,
} from '../../packages/core/src/recommendations/index.js';
import { analysed, sketch } from './recommendations-fixtures.js';

const T0_MS = 1_700_000_000_000;

/** Another trace's observations, as the collector's index holds them. */
function seen(traceId: string, startTimeMs: number, details: Partial<TraceObservations> = {}): TraceObservations {
  return { traceId, taskName: 'support', startTimeMs, llmCalls: [], toolCalls: [], stepFollows: [], ...details };
}

function llmCall(
  traceId: string,
  startTimeMs: number,
  model: string,
  durationMs: number,
  extra: Partial<LlmCallObservation> = {},
): LlmCallObservation {
  return { traceId, spanId: `${traceId}-llm`, model, startTimeMs, durationMs, ...extra };
}

function toolCall(
  traceId: string,
  startTimeMs: number,
  name: string,
  durationMs: number,
  extra: Partial<ToolCallObservation> = {},
): ToolCallObservation {
  return { traceId, spanId: `${traceId}-${name}`, name, startTimeMs, durationMs, ...extra };
}

describe('route-model', () => {
  //  0          1000             2000
  //  task |============================|
  //  intent|==========|                     big model, 5 output tokens
  //  answer           |===============|     big model
  const trace = analysed([
    sketch('task', 0, 2000),
    sketch('intent', 0, 1000, { parent: 'task', llm: { model: 'big', purpose: 'intent', inputTokens: 200, outputTokens: 5 } }),
    sketch('answer', 1000, 2000, { parent: 'task', llm: { model: 'big', inputTokens: 400, outputTokens: 300 } }),
  ]);
  const intentCalls = (model: string, durations: number[], outputTokens: number, inputTokens: number) =>
    durations.map((durationMs, i) =>
      seen(`${model}${i}`, T0_MS - 10_000 + i, {
        llmCalls: [llmCall(`${model}${i}`, T0_MS - 10_000 + i, model, durationMs, { purpose: 'intent', outputTokens, inputTokens })],
      }),
    );

  it('saves the difference of median latencies at similar token counts', () => {
    // big at ~5 tokens: 800 900 1000 1100 1200 and this call's 1000 → median 1000; small: median 120.
    const context = buildRuleContext([
      ...intentCalls('big', [800, 900, 1000, 1100, 1200], 5, 200),
      ...intentCalls('small', [100, 110, 120, 130, 140], 6, 220),
    ]);
    expect(routeModelRule.evaluate(trace, context)).toEqual([
      {
        ruleId: 'route-model',
        title: 'Route simple calls to a faster model',
        detail:
          'intent (purpose intent) runs on big, which takes a median 1,000 ms for calls like it; small takes 120 ms at similar token counts (5 calls). ' +
          'Routing it there saves 880 ms.',
        savingMs: 880,
        evidenceSpanIds: ['intent'],
        edits: [{ kind: 'shorten', spanId: 'intent', durationMs: 120, model: 'small' }],
      },
    ]);
  });

  it('stays silent when the faster model was only seen at very different token counts', () => {
    const context = buildRuleContext([
      ...intentCalls('big', [800, 900, 1000, 1100, 1200], 5, 200),
      ...intentCalls('small', [100, 110, 120, 130, 140], 400, 220),
    ]);
    expect(routeModelRule.evaluate(trace, context)).toEqual([]);
  });

  it('stays silent when the other model is less than 30 % faster', () => {
    const context = buildRuleContext([
      ...intentCalls('big', [800, 900, 1000, 1100, 1200], 5, 200),
      ...intentCalls('small', [700, 720, 750, 780, 800], 5, 200),
    ]);
    expect(routeModelRule.evaluate(trace, context)).toEqual([]);
  });
});

describe('compress-context', () => {
  // Turn 5 of session s1: input has grown 1,000 → 5,000 tokens and TTFT with it (100 ms per 1k).
  //  0   100                   1600
  //  task|========================|
  //  llm     |====================|   5,000 input tokens, TTFT 700 ms
  const trace = analysed([
    sketch('task', 0, 1600, { task: { sessionId: 's1' } }),
    sketch('llm', 100, 1600, { parent: 'task', llm: { model: 'big', streaming: true, inputTokens: 5000, ttftMs: 700, outputTokens: 41 } }),
  ]);
  const turns = (ttfts: number[]) =>
    ttfts.map((ttftMs, i) =>
      seen(`turn${i + 1}`, T0_MS - 60_000 + i * 1000, {
        sessionId: 's1',
        llmCalls: [llmCall(`turn${i + 1}`, T0_MS - 60_000 + i * 1000, 'big', ttftMs + 800, { inputTokens: (i + 1) * 1000, ttftMs })],
      }),
    );

  it('fits TTFT against input tokens and saves slope × removed tokens', () => {
    // 0.1 ms per token × 5,000 tokens × 0.5 removed = 250 ms off this call's TTFT and duration.
    const [{ edits, ...finding }] = compressContextRule.evaluate(trace, buildRuleContext(turns([300, 400, 500, 600])));
    expect(finding).toEqual({
      ruleId: 'compress-context',
      title: 'Compress the conversation context',
      detail:
        'Input tokens to big grew from 1,000 to 5,000 over 5 turns of this session, and TTFT grew with them: 100 ms per 1,000 input tokens (R² 1.00, 5 calls). ' +
        'Removing 50 % of the context (summarising older turns) would save 250 ms on this turn.',
      savingMs: 250,
      evidenceSpanIds: ['llm'],
    });
    // The fitted slope is 0.1 ms/token up to float rounding: compare at ns precision.
    const atNs = (ms: number | undefined) => (ms === undefined ? ms : Math.round(ms * 1e6) / 1e6);
    expect(
      edits!.map((edit) => (edit.kind === 'shorten' ? { ...edit, durationMs: atNs(edit.durationMs), ttftMs: atNs(edit.ttftMs) } : edit)),
    ).toEqual([{ kind: 'shorten', spanId: 'llm', durationMs: 1250, ttftMs: 450, inputTokens: 2500 }]);
  });

  it('the compression ratio is configurable', () => {
    const [finding] = compressContextRule.evaluate(
      trace,
      buildRuleContext(turns([300, 400, 500, 600]), { thresholds: { compressionRatio: 0.2 } }),
    );
    expect(finding.savingMs).toEqual(100);
  });

  it('stays silent when latency does not grow with the context', () => {
    expect(compressContextRule.evaluate(trace, buildRuleContext(turns([500, 300, 600, 350])))).toEqual([]);
  });

  it('stays silent with too few turns to fit', () => {
    expect(compressContextRule.evaluate(trace, buildRuleContext(turns([300, 400])))).toEqual([]);
  });
});

describe('prewarm (session’s first call markedly slower)', () => {
  //  0              900  1100
  //  task |=================|      turn 1 of session s2
  //  run  |=========|              sandbox, not flagged; later turns: 200, 220, 210 ms
  //  llm            |===|
  const firstTurn = (firstMs: number) =>
    analysed([
      sketch('task', 0, firstMs + 200, { task: { sessionId: 's2' } }),
      sketch('run', 0, firstMs, { parent: 'task', tool: { name: 'sandbox' } }),
      sketch('llm', firstMs, firstMs + 200, { parent: 'task', llm: { model: 'm' } }),
    ]);
  const later = [200, 220, 210].map((durationMs, i) =>
    seen(`later${i}`, T0_MS + (i + 1) * 60_000, {
      sessionId: 's2',
      toolCalls: [toolCall(`later${i}`, T0_MS + (i + 1) * 60_000, 'sandbox', durationMs)],
    }),
  );

  it('saves first − median of later calls', () => {
    expect(prewarmRule.evaluate(firstTurn(900), buildRuleContext(later))).toEqual([
      {
        ruleId: 'prewarm',
        title: 'Pre-warm cold tools',
        detail: 'sandbox took 900 ms as the session’s first call against 210 ms warm. Starting it ahead of need saves 690 ms.',
        savingMs: 690,
        evidenceSpanIds: ['run'],
        edits: [{ kind: 'shorten', spanId: 'run', durationMs: 210 }],
      },
    ]);
  });

  it('stays silent when the first call is less than twice as slow', () => {
    expect(prewarmRule.evaluate(firstTurn(400), buildRuleContext(later))).toEqual([]);
  });
});

describe('cache-tool-results across a session', () => {
  it('a call an earlier turn made with the same arguments counts as a repeat', () => {
    const trace = analysed([
      sketch('task', 0, 500, { task: { sessionId: 's3' } }),
      sketch('get', 0, 300, { parent: 'task', tool: { name: 'lookup', argsHash: 'x' } }),
      sketch('llm', 300, 500, { parent: 'task', llm: { model: 'm' } }),
    ]);
    const earlier = seen('earlier', T0_MS - 60_000, {
      sessionId: 's3',
      toolCalls: [toolCall('earlier', T0_MS - 60_000, 'lookup', 280, { argsHash: 'x' })],
    });
    const [finding] = cacheToolResultsRule.evaluate(trace, buildRuleContext([earlier]));
    expect([finding.savingMs, finding.evidenceSpanIds, finding.detail]).toEqual([
      300,
      ['get'],
      '1 call to lookup repeated a call an earlier turn of this session made with the same arguments (300 ms in all). Reusing the first result saves 300 ms.',
    ]);
    const other = seen('other', T0_MS - 60_000, {
      sessionId: 's9',
      toolCalls: [toolCall('other', T0_MS - 60_000, 'lookup', 280, { argsHash: 'x' })],
    });
    expect(cacheToolResultsRule.evaluate(trace, buildRuleContext([other]))).toEqual([]);
  });
});

describe('speculate', () => {
  //  0        300     500            1000
  //  task |================================|
  //  intent |=======|                          llm, purpose intent
  //  crm            |=====|                    tool: follows intent in ≥ 90 % of support traces
  //  answer               |============|
  const trace = analysed(
    [
      sketch('task', 0, 1000, { name: 'support' }),
      sketch('intent', 0, 300, { parent: 'task', llm: { model: 'm', purpose: 'intent' } }),
      sketch('crm', 300, 500, { parent: 'task', tool: { name: 'crm' } }),
      sketch('answer', 500, 1000, { parent: 'task', llm: { model: 'm' } }),
    ],
    { traceId: 'this' },
  );
  const history = (following: number, others: number) =>
    Array.from({ length: others }, (_, i) =>
      seen(`t${i}`, T0_MS - i, { stepFollows: i < following ? [stepFollowKey('intent', 'crm')] : [] }),
    );

  it('saves min(tool, preceding llm call) when the tool follows the same step in ≥ 90 % of traces', () => {
    // 9 of 10 other traces + this one: 10/11 = 91 %.
    expect(speculateRule.evaluate(trace, buildRuleContext(history(9, 10)))).toEqual([
      {
        ruleId: 'speculate',
        title: 'Start predictable tools speculatively',
        detail:
          'crm runs right after the intent step in 91 % of 11 support traces (200 ms, after a 300 ms call). Starting it while the llm call before it runs saves 200 ms.',
        savingMs: 200,
        evidenceSpanIds: ['intent', 'crm'],
        edits: [{ kind: 'start-with', anchorSpanId: 'intent', spanIds: ['crm'] }],
      },
    ]);
  });

  it('stays silent below 90 %, and before the task has enough traces', () => {
    expect(speculateRule.evaluate(trace, buildRuleContext(history(8, 10)))).toEqual([]); // 9/11 = 82 %
    expect(speculateRule.evaluate(trace, buildRuleContext(history(8, 8)))).toEqual([]); // 9 traces in all
  });

  it('reads the step the trace itself contributes the same way the index records it', () => {
    expect(observeTrace(trace).stepFollows).toEqual([stepFollowKey('intent', 'crm')]);
  });
});

describe('RuleContextIndex', () => {
  it('replaces a re-analysed trace and forgets the oldest beyond its capacity', () => {
    const index = new RuleContextIndex(10); // forgets in one batch once 10 + 5 is exceeded
    for (let i = 0; i <= 14; i++) index.add(seen(`t${i}`, T0_MS + i, { llmCalls: [llmCall(`t${i}`, T0_MS + i, 'm', 100 + i)] }));
    index.add(seen('t14', T0_MS + 14, { llmCalls: [llmCall('t14', T0_MS + 14, 'm', 999)] }));
    expect(
      index
        .context()
        .modelCalls.get('m')!
        .map((call) => call.durationMs),
    ).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 999]);
    index.add(seen('t15', T0_MS + 15, { llmCalls: [llmCall('t15', T0_MS + 15, 'm', 115)] }));
    expect([index.size, index.has('t5'), index.has('t6')]).toEqual([10, false, true]);
    expect(
      index
        .context()
        .modelCalls.get('m')!
        .map((call) => call.durationMs),
    ).toEqual([106, 107, 108, 109, 110, 111, 112, 113, 999, 115]);
  });

  it('keeps a session’s calls in start order, ties in arrival order, whatever order traces arrive in', () => {
    //  ms   5   10   20   30   50   60
    //  t0       b              a          (a listed before b)
    //  t1       b         a               (b ties with t0's b: arrived later, comes after)
    //  t2                           c
    //  t3   d                             (t3 and t4 arrive once t0 and t1 are forgotten)
    //  t4            e
    const index = new RuleContextIndex(3); // forgets in batches once 3 + 1 is exceeded
    const order = () =>
      index
        .context()
        .sessions.get('s')!
        .toolCalls.map((call) => call.spanId);
    index.add(seen('t0', T0_MS, { sessionId: 's', toolCalls: [toolCall('t0', T0_MS + 50, 'a', 1), toolCall('t0', T0_MS + 10, 'b', 1)] }));
    index.add(seen('t1', T0_MS, { sessionId: 's', toolCalls: [toolCall('t1', T0_MS + 30, 'a', 1), toolCall('t1', T0_MS + 10, 'b', 1)] }));
    index.add(seen('t2', T0_MS, { sessionId: 's', toolCalls: [toolCall('t2', T0_MS + 60, 'c', 1)] }));
    expect(order()).toEqual(['t0-b', 't1-b', 't1-a', 't0-a', 't2-c']);
    index.add(seen('t3', T0_MS, { sessionId: 's', toolCalls: [toolCall('t3', T0_MS + 5, 'd', 1)] }));
    expect(order()).toEqual(['t3-d', 't0-b', 't1-b', 't1-a', 't0-a', 't2-c']);
    index.add(seen('t4', T0_MS, { sessionId: 's', toolCalls: [toolCall('t4', T0_MS + 20, 'e', 1)] }));
    expect(order()).toEqual(['t3-d', 't4-e', 't2-c']);
  });

  it('warm tool time leaves out cold, cached and first-in-session calls', () => {
    const context = buildRuleContext([
      seen('a', T0_MS, { sessionId: 's', toolCalls: [toolCall('a', T0_MS, 'db', 900)] }),
      seen('b', T0_MS + 1, { sessionId: 's', toolCalls: [toolCall('b', T0_MS + 1, 'db', 100)] }),
      seen('c', T0_MS + 2, {
        toolCalls: [
          toolCall('c', T0_MS + 2, 'db', 120),
          toolCall('c2', T0_MS + 3, 'db', 5, { cacheHit: true }),
          toolCall('c3', T0_MS + 4, 'db', 2000, { coldStart: true }),
        ],
      }),
    ]);
    expect(context.warmToolMs('db')).toEqual(110);
  });
});

describe('bounded histories (a session of thousands of turns costs what a short one does)', () => {
  // Session s: turn 0 calls sandbox first (2,000 ms), then 40 turns call it warm (200 + i ms).
  // The index keeps 8 calls per session: the first call leaves the recent calls but stays known.
  const turns = (count: number) => [
    seen('first', T0_MS, { sessionId: 's', toolCalls: [toolCall('first', T0_MS, 'sandbox', 2000)] }),
    ...Array.from({ length: count }, (_, i) =>
      seen(`warm${i}`, T0_MS + (i + 1) * 1000, {
        sessionId: 's',
        toolCalls: [toolCall(`warm${i}`, T0_MS + (i + 1) * 1000, 'sandbox', 200 + i)],
      }),
    ),
  ];

  it('keeps the newest calls per session and the first call of each tool', () => {
    const index = new RuleContextIndex(Number.POSITIVE_INFINITY, { maxSessionCalls: 8 });
    for (const turn of turns(40)) index.add(turn);
    const session = index.context().sessions.get('s')!;
    expect(session.toolCalls.map((call) => call.spanId)).toEqual(Array.from({ length: 8 }, (_, i) => `warm${32 + i}-sandbox`));
    expect(session.firstToolCalls.get('sandbox')?.spanId).toBe('first-sandbox');
    // The first call is still left out of warm time: median of warm0…warm39 = 219.5 ms.
    expect(index.context().warmToolMs('sandbox')).toBe(219.5);
  });

  it('a later turn is not taken for the session’s first call once the first left the recent calls', () => {
    const index = new RuleContextIndex(Number.POSITIVE_INFINITY, { maxSessionCalls: 8 });
    for (const turn of turns(40)) index.add(turn);
    //  a new turn whose sandbox call takes 900 ms: slow, but not the session's first call
    const trace = analysed([
      sketch('task', 0, 1000, { task: { sessionId: 's' } }),
      sketch('run', 0, 900, { parent: 'task', tool: { name: 'sandbox' } }),
    ]);
    expect(prewarmRule.evaluate(trace, index.context())).toEqual([]);
  });

  it('forgets the first call when its trace is removed, falling back to the earliest call held', () => {
    const index = new RuleContextIndex(Number.POSITIVE_INFINITY, { maxSessionCalls: 8 });
    for (const turn of turns(3)) index.add(turn);
    index.remove('first');
    expect(index.context().sessions.get('s')!.firstToolCalls.get('sandbox')?.spanId).toBe('warm0-sandbox');
  });

  it('keeps about the newest calls per model', () => {
    const index = new RuleContextIndex(Number.POSITIVE_INFINITY, { maxCallsPerKey: 100 });
    for (let i = 0; i < 1000; i++) index.add(seen(`t${i}`, T0_MS + i, { llmCalls: [llmCall(`t${i}`, T0_MS + i, 'm', 100 + i)] }));
    const calls = index.context().modelCalls.get('m')!;
    expect(calls.length).toBeGreaterThanOrEqual(100);
    expect(calls.length).toBeLessThanOrEqual(125);
    expect(calls.at(-1)!.traceId).toBe('t999');
    expect(calls[0].traceId).toBe(`t${1000 - calls.length}`);
  });
});
