import { describe, expect, it } from 'vitest';
import { runRules, type TraceAnalysis } from '@threshold/core';
import {
  cacheToolResultsRule,
  orchestrationOverheadRule,
  parallelizeToolsRule,
  prewarmRule,
  singleTraceContext,
  stateOverheadRule,
  streamAnswerRule,
  type RecommendationRule,
} from '../../packages/core/src/recommendations/index.js';
import { analysed, sketch } from './recommendations-fixtures.js';

const evaluate = (rule: RecommendationRule, trace: TraceAnalysis) => rule.evaluate(trace, singleTraceContext(trace));

describe('stream-answer', () => {
  //  0       300 400                    1400
  //  task |==================================|
  //  intent |==|                                 llm, purpose intent
  //  search     |=|                              tool
  //  answer        |=======================|     llm, not streamed, TTFT unknown
  const answerTrace = (answer: Partial<NonNullable<Parameters<typeof sketch>[3]>['llm']>) =>
    analysed([
      sketch('task', 0, 1400),
      sketch('intent', 0, 300, { parent: 'task', llm: { model: 'gpt-big', purpose: 'intent', streaming: false } }),
      sketch('search', 300, 400, { parent: 'task', tool: { name: 'search' } }),
      sketch('answer', 400, 1400, { parent: 'task', llm: { model: 'gpt-big', ...answer } }),
    ]);

  it('projects perceived latency down to the start of the answer plus a typical TTFT', () => {
    // perceived 1400 → 400 + 200 = 600: 800 ms sooner; the task still takes 1400 ms.
    expect(evaluate(streamAnswerRule, answerTrace({ streaming: false }))).toEqual([
      {
        ruleId: 'stream-answer',
        title: 'Stream the answer',
        detail:
          'The answer from gpt-big (1,000 ms) is not streamed, so the user waits for all of it. ' +
          'Streamed, its first token would show after ~200 ms (a typical TTFT; this model was never seen streaming): 800 ms sooner.',
        savingMs: 800,
        evidenceSpanIds: ['answer'],
        perceived: true,
        edits: [{ kind: 'stream', spanId: 'answer', ttftMs: 200 }],
      },
    ]);
  });

  it('uses the call’s own TTFT when the span carries one', () => {
    const [finding] = evaluate(streamAnswerRule, answerTrace({ streaming: false, ttftMs: 350 }));
    expect([finding.savingMs, finding.edits]).toEqual([650, [{ kind: 'stream', spanId: 'answer', ttftMs: 350 }]]);
  });

  it('stays silent when the answer already streams, or the last call is an internal check', () => {
    expect(evaluate(streamAnswerRule, answerTrace({ streaming: true, ttftMs: 150 }))).toEqual([]);
    expect(evaluate(streamAnswerRule, answerTrace({ streaming: false, purpose: 'safety' }))).toEqual([]);
  });
});

describe('parallelize-tools', () => {
  //  0    100  200  300       500  550
  //  task |==================================|
  //  t1   |====|
  //  t2        |====|
  //  t3             |====|
  //  llm                 |=========|
  it('saves sum − longest for a sequential run with no llm call between', () => {
    const trace = analysed([
      sketch('task', 0, 550),
      sketch('t1', 0, 100, { parent: 'task', tool: { name: 'weather' } }),
      sketch('t2', 100, 200, { parent: 'task', tool: { name: 'calendar' } }),
      sketch('t3', 200, 300, { parent: 'task', tool: { name: 'traffic' } }),
      sketch('llm', 300, 500, { parent: 'task', llm: { model: 'm' } }),
    ]);
    expect(evaluate(parallelizeToolsRule, trace)).toEqual([
      {
        ruleId: 'parallelize-tools',
        title: 'Run independent tool calls in parallel',
        detail:
          '3 tool calls (weather, calendar, traffic) ran one after another with no llm call between them: 300 ms in sequence, 100 ms for the longest. ' +
          'If they do not depend on each other, starting them together saves 200 ms.',
        savingMs: 200,
        evidenceSpanIds: ['t1', 't2', 't3'],
        edits: [{ kind: 'start-with', anchorSpanId: 't1', spanIds: ['t2', 't3'] }],
      },
    ]);
  });

  it('stays silent when an llm call sits between the tools', () => {
    //  t1 |==|  llm |====|  t2 |==|
    const trace = analysed([
      sketch('task', 0, 500),
      sketch('t1', 0, 100, { parent: 'task', tool: { name: 'a' } }),
      sketch('llm', 100, 400, { parent: 'task', llm: { model: 'm' } }),
      sketch('t2', 400, 500, { parent: 'task', tool: { name: 'b' } }),
    ]);
    expect(evaluate(parallelizeToolsRule, trace)).toEqual([]);
  });

  it('counts only what the critical path gains when a parallel branch takes over', () => {
    //  0         350       600 700
    //  task |========================|
    //  fetch|=============================|   branch: two tools in sequence, 700 ms
    //   tA1 |=========|
    //   tA2           |=========|
    //  llm  |================|                600 ms in parallel
    // Started together the branch would take 350 ms, but the task still waits 600 ms for the
    // llm call: 100 ms saved, not 350.
    const trace = analysed([
      sketch('task', 0, 700),
      sketch('fetch', 0, 700, { parent: 'task' }),
      sketch('tA1', 0, 350, { parent: 'fetch', tool: { name: 'a' } }),
      sketch('tA2', 350, 700, { parent: 'fetch', tool: { name: 'b' } }),
      sketch('llm', 0, 600, { parent: 'task', llm: { model: 'm' } }),
    ]);
    expect(evaluate(parallelizeToolsRule, trace).map((finding) => finding.savingMs)).toEqual([100]);
  });

  it('stays silent for a run off the critical path', () => {
    const trace = analysed([
      sketch('task', 0, 1000),
      sketch('fetch', 0, 200, { parent: 'task' }),
      sketch('tA1', 0, 100, { parent: 'fetch', tool: { name: 'a' } }),
      sketch('tA2', 100, 200, { parent: 'fetch', tool: { name: 'b' } }),
      sketch('llm', 0, 1000, { parent: 'task', llm: { model: 'm' } }),
    ]);
    expect(evaluate(parallelizeToolsRule, trace)).toEqual([]);
  });
});

describe('cache-tool-results', () => {
  //  0       200       400       600
  //  task |============================|
  //  get  |=======|                        lookup(x)
  //  llm          |=======|
  //  get2                 |=======|        lookup(x) again
  const repeatTrace = (argsHash: string, cacheHit?: boolean) =>
    analysed([
      sketch('task', 0, 600),
      sketch('get', 0, 200, { parent: 'task', tool: { name: 'lookup', argsHash: 'x' } }),
      sketch('llm', 200, 400, { parent: 'task', llm: { model: 'm' } }),
      sketch('get2', 400, 600, { parent: 'task', tool: { name: 'lookup', argsHash, ...(cacheHit === undefined ? {} : { cacheHit }) } }),
    ]);

  it('saves the repeat’s duration', () => {
    expect(evaluate(cacheToolResultsRule, repeatTrace('x'))).toEqual([
      {
        ruleId: 'cache-tool-results',
        title: 'Cache repeated tool calls',
        detail: '1 call to lookup repeated an earlier call with the same arguments (200 ms in all). Reusing the first result saves 200 ms.',
        savingMs: 200,
        evidenceSpanIds: ['get2', 'get'],
        edits: [{ kind: 'shorten', spanId: 'get2', durationMs: 0 }],
      },
    ]);
  });

  it('stays silent for other arguments or a call already served from cache', () => {
    expect(evaluate(cacheToolResultsRule, repeatTrace('y'))).toEqual([]);
    expect(evaluate(cacheToolResultsRule, repeatTrace('x', true))).toEqual([]);
  });
});

describe('prewarm (flagged cold start)', () => {
  //  0                1500  1800
  //  task |=====================|
  //  run  |===========|            sandbox, cold start
  //  run2             |===|        sandbox, warm
  const coldTrace = (coldMs: number) =>
    analysed([
      sketch('task', 0, coldMs + 300),
      sketch('run', 0, coldMs, { parent: 'task', tool: { name: 'sandbox', coldStart: true } }),
      sketch('run2', coldMs, coldMs + 300, { parent: 'task', tool: { name: 'sandbox' } }),
    ]);

  it('saves cold − warm', () => {
    expect(evaluate(prewarmRule, coldTrace(1500))).toEqual([
      {
        ruleId: 'prewarm',
        title: 'Pre-warm cold tools',
        detail: 'sandbox took 1,500 ms on a cold start against 300 ms warm. Starting it ahead of need saves 1,200 ms.',
        savingMs: 1200,
        evidenceSpanIds: ['run'],
        edits: [{ kind: 'shorten', spanId: 'run', durationMs: 300 }],
      },
    ]);
  });

  it('stays silent when the cold start costs less than the minimum saving', () => {
    expect(evaluate(prewarmRule, coldTrace(305))).toEqual([]);
  });
});

describe('state-overhead and orchestration-overhead', () => {
  //  0     250       450       650   800
  //  task |=============================|
  //  load |====|                            state 250
  //  llm1      |=========|
  //  llm2                |=========|
  //  save                          |===|    state 150
  // 400 ms of state for 2 llm calls; healthy is ≤ 100 ms per call → 200 ms over.
  it('state beyond 100 ms per llm call: saves the excess', () => {
    const trace = analysed([
      sketch('task', 0, 800),
      sketch('load', 0, 250, { parent: 'task', category: 'state', state: { operation: 'load' } }),
      sketch('llm1', 250, 450, { parent: 'task', llm: { model: 'm' } }),
      sketch('llm2', 450, 650, { parent: 'task', llm: { model: 'm' } }),
      sketch('save', 650, 800, { parent: 'task', category: 'state', state: { operation: 'save' } }),
    ]);
    expect(evaluate(stateOverheadRule, trace)).toEqual([
      {
        ruleId: 'state-overhead',
        title: 'Cut state overhead',
        detail:
          'State operations (loads, saves, retrieval, checkpoints) took 400 ms of the critical path across 2 llm calls (200 ms per call); ' +
          'healthy agents spend 10–100 ms per llm call on state. Bringing it to 100 ms per call saves 200 ms.',
        savingMs: 200,
        evidenceSpanIds: ['load', 'save'],
        edits: [
          { kind: 'shorten', spanId: 'load', durationMs: 125 },
          { kind: 'shorten', spanId: 'save', durationMs: 75 },
        ],
      },
    ]);
  });

  it('stays silent within the healthy range', () => {
    const trace = analysed([
      sketch('task', 0, 590),
      sketch('load', 0, 100, { parent: 'task', category: 'state' }),
      sketch('llm1', 100, 300, { parent: 'task', llm: { model: 'm' } }),
      sketch('llm2', 300, 500, { parent: 'task', llm: { model: 'm' } }),
      sketch('save', 500, 590, { parent: 'task', category: 'state' }),
    ]);
    expect(evaluate(stateOverheadRule, trace)).toEqual([]);
  });

  //  0      100          300
  //  task |=================|
  //  queue|====|                 rate-limit wait, 100 ms for 1 llm call (20 ms healthy)
  //  llm       |===========|
  it('orchestration beyond 20 ms per llm call: saves the excess', () => {
    const trace = analysed([
      sketch('task', 0, 300),
      sketch('queue', 0, 100, { parent: 'task', category: 'orchestration', orchestration: { kind: 'rate_limit' } }),
      sketch('llm', 100, 300, { parent: 'task', llm: { model: 'm' } }),
    ]);
    const [finding] = evaluate(orchestrationOverheadRule, trace);
    expect([finding.savingMs, finding.evidenceSpanIds, finding.edits]).toEqual([
      80,
      ['queue'],
      [{ kind: 'shorten', spanId: 'queue', durationMs: 20 }],
    ]);
  });

  it('orchestration within 20 ms per llm call stays silent', () => {
    const trace = analysed([
      sketch('task', 0, 215),
      sketch('queue', 0, 15, { parent: 'task', category: 'orchestration' }),
      sketch('llm', 15, 215, { parent: 'task', llm: { model: 'm' } }),
    ]);
    expect(evaluate(orchestrationOverheadRule, trace)).toEqual([]);
  });
});

describe('runRules', () => {
  const trace = analysed([
    sketch('task', 0, 550),
    sketch('t1', 0, 100, { parent: 'task', tool: { name: 'weather' } }),
    sketch('t2', 100, 200, { parent: 'task', tool: { name: 'calendar' } }),
    sketch('t3', 200, 300, { parent: 'task', tool: { name: 'traffic' } }),
    sketch('llm', 300, 500, { parent: 'task', llm: { model: 'm', streaming: true, ttftMs: 100 } }),
  ]);

  it('a rule that throws loses only its own findings', () => {
    const broken: RecommendationRule = {
      id: 'speculate',
      title: 'Broken',
      why: 'Throws.',
      evaluate() {
        throw new Error('step table missing');
      },
    };
    const run = runRules(trace, singleTraceContext(trace), [broken, parallelizeToolsRule]);
    expect(run.failures).toEqual([{ ruleId: 'speculate', message: 'step table missing' }]);
    expect(run.findings.map((finding) => [finding.ruleId, finding.savingMs])).toEqual([['parallelize-tools', 200]]);
  });

  it('runs every rule by default and orders findings by saving', () => {
    const run = runRules(trace, singleTraceContext(trace));
    expect(run).toEqual({ findings: evaluate(parallelizeToolsRule, trace), failures: [] });
  });
});
