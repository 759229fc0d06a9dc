import { analyseRecords } from '@threshold/core';
import { extractTtft, timestampToUnixNano } from '../../packages/core/src/analysis/extract-ttft.js';
import { describe, expect, it } from 'vitest';
import { FIXTURE_EPOCH_NS, fixtureRecord, fixtureRecords, type FixtureSpan } from '../support/span-records.js';

/** An llm call from 1000 ms to 3000 ms carrying one TTFT spelling. */
const call = (extra: Partial<FixtureSpan>): FixtureSpan => ({
  id: 'call',
  startMs: 1000,
  endMs: 3000,
  ...extra,
  attributes: { 'gen_ai.operation.name': 'chat', ...extra.attributes },
});

/** 1000 ms after the fixture epoch plus 250 ms, as the units each spelling uses. */
const FIRST_TOKEN_EPOCH_MS = Number(FIXTURE_EPOCH_NS / 1_000_000n) + 1250;

describe('TTFT from every spelling, in its units', () => {
  it.each([
    ['gen_ai.response.time_to_first_chunk in seconds', { attributes: { 'gen_ai.response.time_to_first_chunk': 0.25 } }, 250],
    [
      'gen_ai.client.operation.time_to_first_chunk in seconds',
      { attributes: { 'gen_ai.client.operation.time_to_first_chunk': 0.25 } },
      250,
    ],
    ['gen_ai.server.time_to_first_token in seconds', { attributes: { 'gen_ai.server.time_to_first_token': 0.25 } }, 250],
    ['ai.response.msToFirstChunk in ms', { attributes: { 'ai.response.msToFirstChunk': 250 } }, 250],
    ['ai.stream.msToFirstChunk in ms', { attributes: { 'ai.stream.msToFirstChunk': 250 } }, 250],
    ['a seconds value sent as a string (int64/double as text)', { attributes: { 'gen_ai.response.time_to_first_chunk': '0.25' } }, 250],
    ['the ai.stream.firstChunk event', { events: [{ name: 'ai.stream.firstChunk', atMs: 1250 }] }, 250],
    ['an event named like "First Token Stream Event"', { events: [{ name: 'First Token Stream Event', atMs: 1250 }] }, 250],
    [
      'mastra.completion_start_time as an ISO timestamp',
      { attributes: { 'mastra.completion_start_time': new Date(FIRST_TOKEN_EPOCH_MS).toISOString() } },
      250,
    ],
    ['completion_start_time as epoch ms', { attributes: { completion_start_time: FIRST_TOKEN_EPOCH_MS } }, 250],
    ['completion_start_time as epoch seconds', { attributes: { completion_start_time: FIRST_TOKEN_EPOCH_MS / 1000 } }, 250],
    [
      'completion_start_time as epoch ns in a string',
      { attributes: { completion_start_time: String(FIXTURE_EPOCH_NS + 1_250_000_000n) } },
      250,
    ],
  ] as const)('%s', (_title, extra, ttftMs) => {
    const analysis = analyseRecords(fixtureRecords([call(extra as Partial<FixtureSpan>)]));
    expect(analysis.spans[0].llm?.ttftMs).toBeCloseTo(ttftMs, 9);
    expect(analysis.spans[0].llm?.streaming).toBe(true);
    expect(analysis.summary.firstTtftMs).toBeCloseTo(ttftMs, 9);
  });

  it('prefers the attribute to the event when both are present (docs/DESIGN.md order)', () => {
    const reading = extractTtft(
      fixtureRecord(call({ attributes: { 'ai.response.msToFirstChunk': 240 }, events: [{ name: 'ai.stream.firstChunk', atMs: 1250 }] })),
    );
    expect(reading).toEqual({ ttftMs: 240, impliesStreaming: true });
  });

  it('keeps TTFT unknown, never 0, when the span does not say', () => {
    const analysis = analyseRecords(fixtureRecords([call({ attributes: { 'gen_ai.usage.output_tokens': 100 } })]));
    expect(analysis.spans[0].llm).toEqual({ outputTokens: 100 });
    expect(analysis.summary.firstTtftMs).toBeUndefined();
    expect(analysis.llmTime).toEqual({ waitingForFirstTokenMs: 0, generatingMs: 0, unsplitMs: 2000 });
    expect(analysis.summary.perceivedMs).toBe(2000);
  });

  it('discards a first token before the call started and clamps one after it ended', () => {
    expect(extractTtft(fixtureRecord(call({ events: [{ name: 'ai.stream.firstChunk', atMs: 900 }] })))).toBeUndefined();
    expect(extractTtft(fixtureRecord(call({ attributes: { 'ai.response.msToFirstChunk': 5000 } })))).toEqual({
      ttftMs: 2000,
      impliesStreaming: true,
    });
    expect(extractTtft(fixtureRecord(call({ attributes: { 'ai.response.msToFirstChunk': -3 } })))).toBeUndefined();
  });

  it('computes TPOT as (duration − TTFT) / (output tokens − 1)', () => {
    const analysis = analyseRecords(
      fixtureRecords([call({ attributes: { 'gen_ai.response.time_to_first_chunk': 0.2, 'gen_ai.usage.output_tokens': 91 } })]),
    );
    expect(analysis.spans[0].llm).toEqual({ streaming: true, ttftMs: 200, outputTokens: 91, tpotMs: 20 });
    expect(analysis.llmTime).toEqual({ waitingForFirstTokenMs: 200, generatingMs: 1800, unsplitMs: 0 });
  });

  it('reads timestamps in every unit their magnitude implies', () => {
    expect(timestampToUnixNano('2023-11-14T22:13:20.123456789Z')).toBe(1_700_000_000_123_456_789n);
    expect(timestampToUnixNano(1_700_000_000.5)).toBe(1_700_000_000_500_000_000n);
    expect(timestampToUnixNano(1_700_000_000_500)).toBe(1_700_000_000_500_000_000n);
    expect(timestampToUnixNano(1_700_000_000_500_000)).toBe(1_700_000_000_500_000_000n);
    expect(timestampToUnixNano('1700000000500000001')).toBe(1_700_000_000_500_000_001n);
    expect(timestampToUnixNano('not a time')).toBeUndefined();
    expect(timestampToUnixNano(0)).toBeUndefined();
  });
});
