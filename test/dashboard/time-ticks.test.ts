import { describe, expect, it } from 'vitest';
import { tickStepMs, timeTicks } from '../../dashboard/src/waterfall/time-ticks';

describe('time axis ticks', () => {
  it('use a 1-2-5 step giving at most the requested number of intervals', () => {
    expect(tickStepMs(1000, 5)).toBe(200);
    expect(tickStepMs(1000, 10)).toBe(100);
    expect(tickStepMs(7, 6)).toBe(2);
    expect(tickStepMs(25_000, 6)).toBe(5_000);
  });

  it('label a 0–1000 ms view in ms, switching to seconds at 1 s', () => {
    expect(timeTicks({ startMs: 0, endMs: 1000 }, 5)).toEqual([
      { ms: 0, fraction: 0, label: '0' },
      { ms: 200, fraction: 0.2, label: '200 ms' },
      { ms: 400, fraction: 0.4, label: '400 ms' },
      { ms: 600, fraction: 0.6, label: '600 ms' },
      { ms: 800, fraction: 0.8, label: '800 ms' },
      { ms: 1000, fraction: 1, label: '1.0 s' },
    ]);
  });

  it('start on the first round step inside a zoomed view', () => {
    expect(timeTicks({ startMs: 1230, endMs: 1290 }, 3).map((tick) => tick.label)).toEqual(['1240 ms', '1260 ms', '1280 ms']);
  });

  it('label sub-millisecond steps with the decimals they need', () => {
    expect(timeTicks({ startMs: 0.1, endMs: 0.35 }, 5).map((tick) => tick.label)).toEqual([
      '0.10 ms',
      '0.15 ms',
      '0.20 ms',
      '0.25 ms',
      '0.30 ms',
      '0.35 ms',
    ]);
  });

  it('label long traces in seconds', () => {
    expect(timeTicks({ startMs: 0, endMs: 30_000 }, 6).map((tick) => tick.label)).toEqual([
      '0',
      '5 s',
      '10 s',
      '15 s',
      '20 s',
      '25 s',
      '30 s',
    ]);
  });

  it('give no ticks for an empty view', () => {
    expect(timeTicks({ startMs: 5, endMs: 5 })).toEqual([]);
  });
});
