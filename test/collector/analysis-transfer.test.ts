import { resolveOptions } from '@threshold/collector';
import type { SpanRecord, TraceAnalysis } from '@threshold/core';
import { describe, expect, test } from 'vitest';
import { analyseTrace, type TraceAnalysed } from '../../collector/src/pipeline/analyse-stage.js';
import { jsonCarriesExactly, receiveAnalysed, sendAnalysed } from '../../collector/src/pipeline/analysis-job.js';
import { fixtureRecords, type FixtureSpan } from '../support/span-records.js';
import { recordAgentTurn } from './otlp-recorded-spans.js';

/**
 * An analysis made on a thread goes back to the event loop as JSON text when JSON carries it
 * exactly, and as the object otherwise (SentAnalysis). What arrives must be what was sent: the
 * message is cloned as `postMessage` clones it, then read back, and compared with a structured
 * clone of the analysis (what `postMessage` of the object gave before).
 */
const settings = { maxSpansPerTrace: 50_000, taskClasses: resolveOptions({}).taskClasses };

/** Through a thread boundary: the message cloned as `postMessage` clones it. */
const acrossThreads = (analysed: TraceAnalysed): TraceAnalysed => receiveAnalysed(structuredClone(sendAnalysed(analysed)));

/**
 *   0         200        700  900      1500     1800 2000
 *   |task .......................................................|  invoke_agent, session s-1
 *     |load|                                                         state
 *           |chat (streamed, chunks at 420, 460, 1,300)|            gpt-4o, TTFT 0.2 s
 *                        |route|                                     orchestration
 *                                 |search ....|                      tool, error
 *                                            |chat|                  claude, cache read
 */
const agentTurn: FixtureSpan[] = [
  {
    id: 'task',
    name: 'invoke_agent support',
    startMs: 0,
    endMs: 2000,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 's-1', 'threshold.turn': 3 },
  },
  { id: 'load', parent: 'task', name: 'load state', startMs: 10, endMs: 190, attributes: { 'threshold.category': 'state' } },
  {
    id: 'chat1',
    parent: 'task',
    name: 'chat gpt-4o',
    startMs: 200,
    endMs: 1400,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.stream': true,
      'gen_ai.response.time_to_first_chunk': 0.2,
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 90,
      'gen_ai.response.finish_reasons': ['stop', 'length'],
    },
    events: [420, 460, 1300].map((atMs) => ({ name: 'gen_ai.choice', atMs })),
  },
  { id: 'route', parent: 'task', name: 'route', startMs: 700, endMs: 760, attributes: { 'threshold.category': 'orchestration' } },
  {
    id: 'search',
    parent: 'task',
    name: 'execute_tool search',
    startMs: 900,
    endMs: 1500,
    status: 2,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search', 'gen_ai.tool.call.arguments': '{"q":"refund"}' },
  },
  {
    id: 'chat2',
    parent: 'task',
    name: 'chat claude',
    startMs: 1500,
    endMs: 1800,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-sonnet',
      'gen_ai.usage.input_tokens': 3000,
      'gen_ai.usage.cache_read.input_tokens': 2500,
      'gen_ai.usage.output_tokens': 40,
    },
  },
];

/** Spans whose root never arrived: analysed from the earliest, with a warning. */
const orphans: FixtureSpan[] = [
  {
    id: 'a',
    parent: 'gone',
    name: 'chat',
    startMs: 5,
    endMs: 305,
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm' },
  },
  {
    id: 'b',
    parent: 'gone',
    name: 'tool',
    startMs: 310,
    endMs: 320.5,
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 't' },
  },
];

const traces: Array<[string, SpanRecord[]]> = [
  ['an agent turn with state, orchestration, a streamed call, a failed tool and a cached call', fixtureRecords(agentTurn)],
  ['a trace whose root never arrived', fixtureRecords(orphans)],
  ['a turn recorded by the OpenTelemetry SDK (status, events, links)', recordAgentTurn().expected],
];

describe('an analysis sent from an analysis thread to the event loop', () => {
  test.each(traces)('%s travels as JSON text and arrives as it was sent', (_, records) => {
    const analysed = analyseTrace(records, settings);
    const sent = sendAnalysed(analysed);
    expect('json' in sent).toBe(true);
    const arrived = acrossThreads(analysed);
    expect(arrived).toEqual(structuredClone(analysed));
    expect(typeof arrived.analysis.traceStartUnixNano).toBe('bigint');
    expect(arrived.analysis.traceStartUnixNano).toBe(analysed.analysis.traceStartUnixNano);
    // The same trace analysed again from what arrived gives the same analysis: nothing the analysis reads was lost.
    expect(arrived.analysis.summary).toEqual(analysed.analysis.summary);
    expect(arrived.analysis.traceSpans.length).toBeGreaterThan(1);
  });

  test('the parts rendered on the thread travel beside the JSON, as they are', () => {
    const analysed = analyseTrace(fixtureRecords(agentTurn), settings);
    const spansJson = JSON.stringify(analysed.analysis.spans);
    const compressedSpans = new Uint8Array([1, 2, 3, 250]);
    const arrived = acrossThreads({ ...analysed, spansJson, compressedSpans });
    expect(arrived.spansJson).toBe(spansJson);
    expect(arrived.compressedSpans).toEqual(compressedSpans);
  });

  const withValue = (analysed: TraceAnalysed, change: (analysis: TraceAnalysis) => void): TraceAnalysed => {
    const copy = structuredClone(analysed);
    change(copy.analysis);
    return copy;
  };

  test.each([
    ['NaN', (analysis: TraceAnalysis) => void (analysis.summary.durationMs = Number.NaN)],
    ['Infinity', (analysis: TraceAnalysis) => void (analysis.summary.perceivedMs = Number.POSITIVE_INFINITY)],
    ['-0', (analysis: TraceAnalysis) => void (analysis.traceSpans[0].startNs = -0)],
    [
      'undefined in an array',
      (analysis: TraceAnalysis) => void (analysis.criticalPath = [analysis.criticalPath[0], undefined as unknown as string]),
    ],
    ['a BigInt beyond the trace start', (analysis: TraceAnalysis) => void ((analysis.summary as unknown as { extra: bigint }).extra = 5n)],
    [
      'an object of a class',
      (analysis: TraceAnalysis) => void ((analysis.summary as unknown as { extra: Map<string, number> }).extra = new Map([['a', 1]])),
    ],
  ])('with %s in it, it travels as the object and arrives exactly', (_, change) => {
    const analysed = withValue(analyseTrace(fixtureRecords(agentTurn), settings), change);
    const sent = sendAnalysed(analysed);
    expect('analysed' in sent).toBe(true);
    expect(acrossThreads(analysed)).toStrictEqual(structuredClone(analysed));
  });

  test('what JSON carries exactly, and what it does not', () => {
    expect(jsonCarriesExactly({ a: 'x', b: [1, 2.5, true, null], c: { d: undefined, e: -1 } })).toBe(true);
    expect(jsonCarriesExactly([])).toBe(true);
    for (const value of [Number.NaN, -Infinity, -0, 1n, () => 1, Symbol('s'), undefined, new Date(0), new Uint8Array(1), [1, undefined]]) {
      expect(jsonCarriesExactly({ value })).toBe(value === undefined);
    }
    const holed = [1, 2, 3];
    delete holed[1];
    expect(jsonCarriesExactly(holed)).toBe(false);
  });
});
