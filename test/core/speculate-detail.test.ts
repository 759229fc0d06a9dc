import { buildRuleContext, speculateRule, stepFollowKey, type TraceObservations } from '../../packages/core/src/recommendations/index.js';
import { describe, expect, it } from 'vitest';
import { analysed, sketch } from './recommendations-fixtures.js';

const T0_MS = 1_700_000_000_000;

describe('speculate on a trace where the same tool follows the same step again and again', () => {
  //  0     300 400   700 800   1100  1250  1450  1600
  //  task |================================================|   research
  //  s1   |=====|                                               llm, purpose summarize
  //  f1         |=|                                             fetch_page 100 ms
  //  s2           |=====|                                       summarize
  //  f2                 |=|                                     fetch_page 100 ms
  //  s3                   |=====|                               summarize
  //  f3                         |==|                            fetch_page 150 ms
  //  i1                            |====|                       llm, purpose intent
  //  c1                                 |===|                   crm 150 ms
  const trace = analysed(
    [
      sketch('task', 0, 1600, { name: 'research' }),
      sketch('s1', 0, 300, { parent: 'task', llm: { model: 'm', purpose: 'summarize' } }),
      sketch('f1', 300, 400, { parent: 'task', tool: { name: 'fetch_page' } }),
      sketch('s2', 400, 700, { parent: 'task', llm: { model: 'm', purpose: 'summarize' } }),
      sketch('f2', 700, 800, { parent: 'task', tool: { name: 'fetch_page' } }),
      sketch('s3', 800, 1100, { parent: 'task', llm: { model: 'm', purpose: 'summarize' } }),
      sketch('f3', 1100, 1250, { parent: 'task', tool: { name: 'fetch_page' } }),
      sketch('i1', 1250, 1450, { parent: 'task', llm: { model: 'm', purpose: 'intent' } }),
      sketch('c1', 1450, 1600, { parent: 'task', tool: { name: 'crm' } }),
    ],
    { traceId: 'this' },
  );
  // Ten other research traces, each with both pairs: 11 of 11 traces, 100 %.
  const history: TraceObservations[] = Array.from({ length: 10 }, (_, i) => ({
    traceId: `t${i}`,
    taskName: 'research',
    startTimeMs: T0_MS - i,
    llmCalls: [],
    toolCalls: [],
    stepFollows: [stepFollowKey('summarize', 'fetch_page'), stepFollowKey('intent', 'crm')],
  }));

  it('says it once per step and tool, with the count and the time of the repeats', () => {
    // Every tool starts with the llm call before it: the three summarize calls and the intent
    // call run back to back, 300 + 300 + 300 + 200 = 1,100 ms instead of 1,600.
    expect(speculateRule.evaluate(trace, buildRuleContext(history))).toEqual([
      {
        ruleId: 'speculate',
        title: 'Start predictable tools speculatively',
        detail:
          'fetch_page runs right after the summarize step in 100 % of 11 research traces (3 times in this trace: 350 ms of tool calls, after 900 ms of llm calls); ' +
          'crm runs right after the intent step in 100 % of 11 research traces (150 ms, after a 200 ms call). ' +
          'Starting each while the llm call before it runs saves 500 ms.',
        savingMs: 500,
        evidenceSpanIds: ['s1', 'f1', 's2', 'f2', 's3', 'f3', 'i1', 'c1'],
        edits: [
          { kind: 'start-with', anchorSpanId: 's1', spanIds: ['f1'] },
          { kind: 'start-with', anchorSpanId: 's2', spanIds: ['f2'] },
          { kind: 'start-with', anchorSpanId: 's3', spanIds: ['f3'] },
          { kind: 'start-with', anchorSpanId: 'i1', spanIds: ['c1'] },
        ],
      },
    ]);
  });
});
