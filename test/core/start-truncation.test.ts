import { describe, expect, it } from 'vitest';
import { observeTrace } from '@threshold/core';
import { applyEdits } from '../../packages/core/src/what-if/index.js';
import {
  buildRuleContext,
  parallelizeToolsRule,
  singleTraceContext,
  speculateRule,
  stepFollowKey,
  type TraceObservations,
} from '../../packages/core/src/recommendations/index.js';
import { analysed, sketch, timings } from './recommendations-fixtures.js';

// Third-party OTel JS instrumentations record span starts in whole milliseconds and ends at full
// precision, so a span that started just after its sibling ended can look like it started up to
// 1 ms before that end, and a child up to 1 ms before its parent.

describe('critical path and breakdown with starts truncated to whole milliseconds', () => {
  it('a tool that seems to start 0.4 ms before the llm call it followed ends: llm then tool, summing exactly', () => {
    //  0                300 300.4   500
    //  task |==========================|
    //  llm  |===================|           ends 300.4
    //  tool                 |======|        recorded start 300 (truncated)
    const trace = analysed([
      sketch('task', 0, 500),
      sketch('llm', 0, 300.4, { parent: 'task', llm: { model: 'm' } }),
      sketch('tool', 300, 500, { parent: 'task', tool: { name: 'crm' } }),
    ]);
    expect(trace.criticalPath).toEqual(['task', 'llm', 'tool']);
    expect(trace.summary.breakdown).toEqual({ llm: 300, tool: 200, state: 0, orchestration: 0, other: 0 });
  });

  it('a child that seems to start 0.7 ms before its parent is clamped to it', () => {
    //  0     100 100.7            400        1000
    //  task |=================================|
    //  step       |=====================|           other, 100.7–900
    //  tool     |===========|                       recorded start 100 (truncated), ends 400
    const trace = analysed([
      sketch('task', 0, 1000),
      sketch('step', 100.7, 900, { parent: 'task' }),
      sketch('tool', 100, 400, { parent: 'step', tool: { name: 'crm' } }),
    ]);
    expect(trace.criticalPath).toEqual(['task', 'step', 'tool']);
    const { breakdown } = trace.summary;
    expect(breakdown.tool).toBeCloseTo(299.3, 9);
    expect(breakdown.other).toBeCloseTo(700.7, 9);
    expect(breakdown.llm + breakdown.tool + breakdown.state + breakdown.orchestration + breakdown.other).toEqual(1000);
  });
});

describe('sibling order tolerates 1 ms of start truncation', () => {
  //  0                300 300.4        500              1000
  //  task   |===========================================|
  //  intent |=================|                             llm, ends 300.4
  //  crm                  |===========|                     tool, recorded start 300
  //  answer                           |=================|   llm
  const trace = analysed(
    [
      sketch('task', 0, 1000, { name: 'support' }),
      sketch('intent', 0, 300.4, { parent: 'task', llm: { model: 'm', purpose: 'intent' } }),
      sketch('crm', 300, 500, { parent: 'task', tool: { name: 'crm' } }),
      sketch('answer', 500, 1000, { parent: 'task', llm: { model: 'm' } }),
    ],
    { traceId: 'this' },
  );
  const history: TraceObservations[] = Array.from({ length: 10 }, (_, i) => ({
    traceId: `t${i}`,
    taskName: 'support',
    startTimeMs: 1_700_000_000_000 - i,
    llmCalls: [],
    toolCalls: [],
    stepFollows: [stepFollowKey('intent', 'crm')],
  }));

  it('records the tool as following the llm step', () => {
    expect(observeTrace(trace).stepFollows).toEqual([stepFollowKey('intent', 'crm')]);
  });

  it('speculate still fires; the saving is what the projection gives, 0.4 ms less than the tool', () => {
    // crm moves to 0–200; answer waits for intent (ends 300.4), so the task ends at 800.4.
    const findings = speculateRule.evaluate(trace, buildRuleContext(history));
    expect(findings.map((finding) => [finding.savingMs, finding.evidenceSpanIds])).toEqual([[199.6, ['intent', 'crm']]]);
  });

  it('a span that started together with a sibling is never its predecessor, however short the sibling', () => {
    //  0 0.5            200
    //  a |=|                      tool, 0–0.5
    //  b |================|       tool, 0–200: parallel with a, not after it
    const parallel = analysed(
      [
        sketch('task', 0, 200, { name: 'support' }),
        sketch('a', 0, 0.5, { parent: 'task', llm: { model: 'm', purpose: 'intent' } }),
        sketch('b', 0, 200, { parent: 'task', tool: { name: 'crm' } }),
      ],
      { traceId: 'parallel' },
    );
    expect(observeTrace(parallel).stepFollows).toEqual([]);
  });

  it('parallelize-tools sees a run whose second tool seems to start 0.5 ms early', () => {
    //  0      100 100.5    200
    //  task |================|
    //  a    |========|            tool, ends 100.5
    //  b          |=========|     tool, recorded start 100
    const run = analysed([
      sketch('task', 0, 200),
      sketch('a', 0, 100.5, { parent: 'task', tool: { name: 'search' } }),
      sketch('b', 100, 200, { parent: 'task', tool: { name: 'fetch' } }),
    ]);
    const findings = parallelizeToolsRule.evaluate(run, singleTraceContext(run));
    // b moves to 0–100; the task ends when a does: 200 − 100.5 = 99.5 ms saved.
    expect(findings.map((finding) => [finding.savingMs, finding.evidenceSpanIds])).toEqual([[99.5, ['a', 'b']]]);
  });

  it('what-if moves a span that followed a shortened sibling, keeping the recorded gap; no edit moves nothing', () => {
    //  0      100 100.5    200            0  49.5 50      149.5
    //  a    |========|              →     a |==|
    //  b          |=========|             b   |=========|      still starts 0.5 ms before a ends
    const spans = [
      sketch('root', 0, 200),
      sketch('a', 0, 100.5, { parent: 'root', tool: { name: 'search' } }),
      sketch('b', 100, 200, { parent: 'root', tool: { name: 'fetch' } }),
    ];
    expect(timings(applyEdits(spans, [{ kind: 'shorten', spanId: 'a', durationMs: 50 }]))).toEqual([
      ['root', 0, 149.5],
      ['a', 0, 50],
      ['b', 49.5, 149.5],
    ]);
    expect(timings(applyEdits(spans, []))).toEqual(timings(spans));
  });
});

describe('span offsets count from the task’s start', () => {
  it('a child recorded 0.6 ms before its task does not shift the task and every other span', () => {
    //  -0.6 0              400      1000
    //  task   |=======================|     starts 0.6 ms after the earliest span
    //  tool |========|                      recorded start truncated: 0.6 ms before the task
    //  llm             |==============|
    const trace = analysed([
      sketch('task', 0.6, 1000.6),
      sketch('tool', 0, 400.6, { parent: 'task', tool: { name: 'crm' } }),
      sketch('llm', 400.6, 1000.6, { parent: 'task', llm: { model: 'm' } }),
    ]);
    expect(trace.spans.map((span) => [span.spanId, span.startOffsetMs, span.durationMs])).toEqual([
      ['task', 0, 1000],
      ['tool', -0.6, 400.6],
      ['llm', 400, 600],
    ]);
    expect(trace.summary).toMatchObject({ durationMs: 1000, startTimeMs: 1_700_000_000_000.6 });
  });
});
