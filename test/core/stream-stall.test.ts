import { analyseRecords, projectTrace, type TraceAnalysis } from '@threshold/core';
import { singleTraceContext, streamStallRule } from '../../packages/core/src/recommendations/index.js';
import { describe, expect, it } from 'vitest';
import { fixtureRecords } from '../support/span-records.js';
import { analysed, sketch } from './recommendations-fixtures.js';

const evaluate = (trace: TraceAnalysis) => streamStallRule.evaluate(trace, singleTraceContext(trace));

describe('what a streamed call’s span says about its chunks', () => {
  const llmSpan = (attributes: Record<string, string | number>, endMs = 3_000) =>
    analyseRecords(
      fixtureRecords([
        { id: 'task', startMs: 0, endMs, attributes: { 'threshold.category': 'task' } },
        {
          id: 'chat',
          parent: 'task',
          startMs: 0,
          endMs,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', ...attributes },
        },
      ]),
    ).spans[1].llm;

  it('reads the SDK’s chunk count, longest pause and its start', () => {
    expect(
      llmSpan({
        'gen_ai.response.time_to_first_chunk': 0.2,
        'threshold.llm.chunks': 40,
        'threshold.llm.max_chunk_gap_ms': 1_250.5,
        'threshold.llm.max_chunk_gap_start_ms': 900,
      }),
    ).toEqual({ model: 'gpt-4o', streaming: true, ttftMs: 200, chunks: 40, maxChunkGapMs: 1_250.5, maxChunkGapStartMs: 900 });
  });

  it('clamps a pause longer than the span, and a start that would run past its end', () => {
    expect(
      llmSpan({ 'threshold.llm.chunks': 2, 'threshold.llm.max_chunk_gap_ms': 5_000, 'threshold.llm.max_chunk_gap_start_ms': 10 }),
    ).toEqual({
      model: 'gpt-4o',
      chunks: 2,
      maxChunkGapMs: 3_000,
      maxChunkGapStartMs: 0,
    });
    expect(llmSpan({ 'threshold.llm.max_chunk_gap_ms': 1_000, 'threshold.llm.max_chunk_gap_start_ms': 2_500 })).toEqual({
      model: 'gpt-4o',
      maxChunkGapMs: 1_000,
      maxChunkGapStartMs: 2_000,
    });
  });

  it('drops readings that cannot be true: a fractional or negative count, a negative pause, a pause with one chunk', () => {
    expect(llmSpan({ 'threshold.llm.chunks': 2.5, 'threshold.llm.max_chunk_gap_ms': -1 })).toEqual({ model: 'gpt-4o' });
    expect(llmSpan({ 'threshold.llm.chunks': 1, 'threshold.llm.max_chunk_gap_ms': 400 })).toEqual({ model: 'gpt-4o', chunks: 1 });
    expect(llmSpan({ 'threshold.llm.chunks': 3, 'threshold.llm.max_chunk_gap_start_ms': 100 })).toEqual({ model: 'gpt-4o', chunks: 3 });
  });

  it('never guesses a pause from Vercel’s average pace (msToFinish, avgOutputTokensPerSecond)', () => {
    expect(
      llmSpan({
        'ai.response.msToFirstChunk': 150,
        'ai.response.msToFinish': 2_950,
        'ai.response.avgOutputTokensPerSecond': 33.9,
        'ai.usage.outputTokens': 100,
      }),
    ).toEqual({ model: 'gpt-4o', streaming: true, ttftMs: 150, outputTokens: 100, tpotMs: 2_850 / 99 });
  });
});

describe('stream-stall', () => {
  //  0   200      1000     2500                         5000
  //  task |===============================================|
  //  answer |ttft|-.-.-.-.|      pause 1,500     |-.-.-.-.-|   102 chunks
  const stallTrace = (llm: Record<string, number>, extra: Parameters<typeof sketch>[] = []) =>
    analysed([
      sketch('task', 0, 5_000),
      sketch('answer', 0, 5_000, { parent: 'task', llm: { model: 'gpt-4o', streaming: true, ttftMs: 200, chunks: 102, ...llm } }),
      ...extra.map((args) => sketch(...args)),
    ]);

  it('reports a pause a reader notices, with the wall time the task would gain at the call’s usual pace', () => {
    // usual gap (5000 − 200 − 1500) ÷ (102 − 2) = 33 ms; the stream 1,467 ms shorter, and the task with it.
    expect(evaluate(stallTrace({ maxChunkGapMs: 1_500, maxChunkGapStartMs: 1_000 }))).toEqual([
      {
        ruleId: 'stream-stall',
        title: 'Find what stalls the stream',
        detail:
          'The stream from gpt-4o froze for 1,500 ms, 1,000 ms into the call (102 chunks, 33 ms apart otherwise). ' +
          'A reader notices a pause over 1,000 ms: look at provider load, a reasoning or tool-call block mid-answer, and a consumer that stops reading. ' +
          'At the usual pace the task would end 1,467 ms sooner.',
        savingMs: 1_467,
        evidenceSpanIds: ['answer'],
        edits: [{ kind: 'shorten', spanId: 'answer', durationMs: 3_533, maxChunkGapMs: 33, ttftMs: 200 }],
      },
    ]);
  });

  it('stays silent below the threshold and when nothing recorded a pause', () => {
    expect(evaluate(stallTrace({ maxChunkGapMs: 999.9, maxChunkGapStartMs: 1_000 }))).toEqual([]);
    expect(evaluate(stallTrace({}))).toEqual([]);
  });

  it('leaves a pause a tool ran through to the tool rules', () => {
    expect(
      evaluate(
        stallTrace({ maxChunkGapMs: 1_500, maxChunkGapStartMs: 1_000 }, [
          ['lookup', 1_100, 2_300, { parent: 'answer', tool: { name: 'lookup' } }],
        ]),
      ),
    ).toEqual([]);
    // A tool through less than half of it does not explain it.
    const [finding] = evaluate(
      stallTrace({ maxChunkGapMs: 1_500, maxChunkGapStartMs: 1_000 }, [
        ['lookup', 2_000, 2_600, { parent: 'answer', tool: { name: 'lookup' } }],
      ]),
    );
    expect(finding.evidenceSpanIds).toEqual(['answer']);
  });

  it('still reports a stall off the critical path, saving nothing', () => {
    //  task   |=============================|   0–6000
    //  answer |==========================|       0–5000, stalled
    //  audit  |=============================|    0–6000, the task waits on it
    const trace = analysed([
      sketch('task', 0, 6_000),
      sketch('answer', 0, 5_000, {
        parent: 'task',
        llm: { model: 'gpt-4o', streaming: true, ttftMs: 200, chunks: 2, maxChunkGapMs: 2_000 },
      }),
      sketch('audit', 0, 6_000, { parent: 'task', tool: { name: 'audit' } }),
    ]);
    const [finding] = evaluate(trace);
    expect([
      finding.savingMs,
      finding.detail.endsWith('The task waited on other work meanwhile, so it would end no sooner.'),
      finding.edits,
    ]).toEqual([0, true, [{ kind: 'shorten', spanId: 'answer', durationMs: 3_000, maxChunkGapMs: 0, ttftMs: 200 }]]);
  });

  it('projects the stream with its stall taken out', () => {
    const trace = stallTrace({ maxChunkGapMs: 1_500, maxChunkGapStartMs: 1_000 });
    const [finding] = evaluate(trace);
    const after = projectTrace(trace, finding.edits!);
    expect([after.summary.durationMs, after.spans[1].llm]).toEqual([
      3_533,
      { model: 'gpt-4o', streaming: true, ttftMs: 200, chunks: 102, maxChunkGapMs: 33, maxChunkGapStartMs: 1_000 * (3_533 / 5_000) },
    ]);
  });
});
