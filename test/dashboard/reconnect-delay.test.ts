import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../dashboard/src/live/reconnect-delay';

describe('live stream reconnect delay', () => {
  it('doubles from 1 s per failed attempt', () => {
    expect([0, 1, 2, 3].map((attempt) => reconnectDelayMs(attempt, 0))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('stops growing at 10 s', () => {
    expect(reconnectDelayMs(4, 0)).toBe(10_000);
    expect(reconnectDelayMs(50, 0)).toBe(10_000);
  });

  it('shortens by up to a fifth with jitter', () => {
    expect(reconnectDelayMs(2, 0.5)).toBe(3_600);
    expect(reconnectDelayMs(2, 0.999)).toBe(3_201);
  });
});
