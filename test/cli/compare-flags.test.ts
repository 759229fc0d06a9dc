import { describe, expect, it } from 'vitest';
import {
  CompareUsageError,
  parseCompareFlags,
  parseConfidence,
  parseMaxRegression,
  parseTimeMs,
  type CompareFlags,
} from '../../collector/src/commands/compare-flags.js';

const NOW_MS = Date.UTC(2025, 5, 15, 16, 0, 0);
const DEFAULTS: CompareFlags = { percentile: '95', maxRegression: '10%', confidence: '0.95', resamples: '2000', seed: '1' };
const parse = (flags: Partial<CompareFlags>, environmentKey?: string) =>
  parseCompareFlags({ ...DEFAULTS, ...flags }, NOW_MS, environmentKey);
const refusal = (flags: Partial<CompareFlags>) => {
  try {
    parse(flags);
  } catch (error) {
    if (error instanceof CompareUsageError) return error.message;
    throw error;
  }
  return 'accepted';
};

describe('threshold compare flags', () => {
  it('turn two files and the defaults into settings', () => {
    expect(parse({ baseline: 'main.otlp.pb', candidate: 'run.otlp.json' })).toEqual({
      baseline: { kind: 'file', path: 'main.otlp.pb' },
      candidate: { kind: 'file', path: 'run.otlp.json' },
      service: undefined,
      options: { fraction: 0.95, maxRegression: 0.1, confidence: 0.95, resamples: 2_000, seed: 1 },
    });
  });

  it('turn collector windows into sources, the key from the flag or else the environment', () => {
    const windows = {
      baselineUrl: 'http://127.0.0.1:4318',
      baselineFrom: '2025-06-15T10:00:00Z',
      baselineTo: '1750000000000',
      candidateUrl: 'http://ci:4318/',
      candidateFrom: '2h',
    };
    expect(parse(windows, 'env-key-0123456789').baseline).toEqual({
      kind: 'collector',
      url: 'http://127.0.0.1:4318',
      fromMs: Date.UTC(2025, 5, 15, 10),
      toMs: 1_750_000_000_000,
      apiKey: 'env-key-0123456789',
    });
    expect(parse({ ...windows, apiKey: 'flag-key-0123456789' }, 'env-key-0123456789').candidate).toEqual({
      kind: 'collector',
      url: 'http://ci:4318/',
      fromMs: NOW_MS - 7_200_000,
      toMs: NOW_MS,
      apiKey: 'flag-key-0123456789',
    });
  });

  it.each([
    ['10%', 0.1],
    ['12.5 %', 0.125],
    ['0', 0],
    ['25', 0.25],
    ['-5%', undefined],
    ['ten', undefined],
    ['1001%', undefined],
  ])('--max-regression %s is %s', (text, expected) => {
    expect(parseMaxRegression(text)).toBe(expected);
  });

  it.each([
    ['0.95', 0.95],
    ['99%', 0.99],
    ['0.5', 0.5],
    ['1', undefined],
    ['95', undefined],
    ['0.4', undefined],
    ['high', undefined],
  ])('--confidence %s is %s', (text, expected) => {
    expect(parseConfidence(text)).toBe(expected);
  });

  it.each([
    ['now', NOW_MS],
    ['1750000000000', 1_750_000_000_000],
    ['2025-06-15T15:30:00Z', Date.UTC(2025, 5, 15, 15, 30)],
    ['2025-06-15T17:30:00+02:00', Date.UTC(2025, 5, 15, 15, 30)],
    ['90m', NOW_MS - 5_400_000],
    ['yesterday', undefined],
    ['2025-13-45T99:00:00Z', undefined],
    ['30', undefined],
  ])('the time %s is %s', (text, expected) => {
    expect(parseTimeMs(text, NOW_MS)).toBe(expected);
  });

  it.each<[Partial<CompareFlags>, string]>([
    [{}, '--baseline <file> or --baseline-url <url> is required'],
    [{ baseline: 'a.pb' }, '--candidate <file> or --candidate-url <url> is required'],
    [
      { baseline: 'a.pb', baselineUrl: 'http://127.0.0.1:4318', candidate: 'b.pb' },
      'give either --baseline <file> or --baseline-url, not both',
    ],
    [
      { baseline: 'a.pb', baselineFrom: '2h', candidate: 'b.pb' },
      '--baseline-from and --baseline-to apply to --baseline-url only: a file holds exactly the tasks to compare',
    ],
    [
      { baseline: 'a.pb', candidateUrl: 'http://127.0.0.1:4318' },
      '--candidate-from is required with --candidate-url: the start of the candidate window (e.g. 2025-06-15T15:00:00Z, epoch ms, or 2h for two hours ago)',
    ],
    [
      { baseline: 'a.pb', candidateUrl: 'ftp://example.com', candidateFrom: '1h' },
      '--candidate-url expects http://host:port, got "ftp://example.com"',
    ],
    [
      { baseline: 'a.pb', candidateUrl: 'http://127.0.0.1:4318', candidateFrom: 'yesterday' },
      '--candidate-from expects a time (2025-06-15T15:00:00Z, epoch ms, now, or 2h for two hours ago), got "yesterday"',
    ],
    [
      { baseline: 'a.pb', candidateUrl: 'http://127.0.0.1:4318', candidateFrom: '1h', candidateTo: 'soon' },
      '--candidate-to expects a time (2025-06-15T16:00:00Z, epoch ms, now, or 30m for thirty minutes ago), got "soon"',
    ],
    [
      {
        baseline: 'a.pb',
        candidateUrl: 'http://127.0.0.1:4318',
        candidateFrom: '2025-06-15T16:00:00Z',
        candidateTo: '2025-06-15T15:00:00Z',
      },
      'the candidate window is empty: --candidate-to (2025-06-15T15:00:00.000Z) must be after --candidate-from (2025-06-15T16:00:00.000Z)',
    ],
    [
      { baseline: 'a.pb', candidate: 'b.pb', percentile: '100' },
      '--percentile expects a number above 0 and below 100 (e.g. 95), got "100"',
    ],
    [
      { baseline: 'a.pb', candidate: 'b.pb', percentile: 'p95' },
      '--percentile expects a number above 0 and below 100 (e.g. 95), got "p95"',
    ],
    [
      { baseline: 'a.pb', candidate: 'b.pb', maxRegression: '-5%' },
      '--max-regression expects a percentage from 0% to 1000% (e.g. 10%), got "-5%"',
    ],
    [
      { baseline: 'a.pb', candidate: 'b.pb', confidence: '95' },
      '--confidence expects a number from 0.5 up to 1, or a percentage (e.g. 0.95 or 95%), got "95"',
    ],
    [{ baseline: 'a.pb', candidate: 'b.pb', resamples: '10' }, '--resamples expects a whole number from 100 to 100000, got "10"'],
    [{ baseline: 'a.pb', candidate: 'b.pb', seed: 'x' }, '--seed expects a whole number from 0 to 4294967295, got "x"'],
    [{ baseline: 'a.pb', candidate: 'b.pb', service: ' ' }, '--service expects a service name'],
  ])('refuse %j: %s', (flags, message) => {
    expect(refusal(flags)).toBe(message);
  });
});
