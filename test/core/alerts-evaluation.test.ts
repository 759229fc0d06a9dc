import { describe, expect, it } from 'vitest';
import { validateAlertRule, type AlertRule } from '@threshold/core';
import {
  burnRate,
  errorBudgetSpent,
  observeAlertRule,
  type AlertTaskSample,
  type AlertTtftSample,
} from '../../packages/core/src/alerts/index.js';

const NOW_MS = 1_800_000_000_000;

function task(overrides: Partial<AlertTaskSample> & { traceId: string; endTimeMs: number; durationMs: number }): AlertTaskSample {
  return {
    perceivedMs: overrides.durationMs,
    budgetMs: 2_000,
    overBudget: overrides.durationMs > (overrides.budgetMs ?? 2_000),
    taskClass: 'simple',
    service: 'support-bot',
    name: 'answer',
    ...overrides,
  };
}

function rule(input: Record<string, unknown>): AlertRule {
  const result = validateAlertRule({ name: 'r', minSamples: 1, holdMs: 0, ...input });
  if (!result.ok) throw new Error(JSON.stringify(result.fields));
  return result.rule;
}

describe('threshold rules', () => {
  // Window of 60 s ending at NOW: [NOW − 60 s, NOW). Durations 100…1 000 ms, one per second.
  //   t: NOW−61 s   NOW−60 s … NOW−51 s   NOW
  //        │ (out)   │ in          in     │ (NOW itself is out)
  const tasks = [
    task({ traceId: 'old', endTimeMs: NOW_MS - 61_000, durationMs: 99_000 }),
    ...Array.from({ length: 10 }, (_, i) => task({ traceId: `t${i}`, endTimeMs: NOW_MS - 60_000 + i * 1_000, durationMs: (i + 1) * 100 })),
    task({ traceId: 'future', endTimeMs: NOW_MS, durationMs: 99_000 }),
  ];

  it('computes the R-7 P99 over the half-open window and lists the slowest traces', () => {
    // R-7 P99 of 100..1000 step 100: h = 9 · 0.99 = 8.91 → 900 + 0.91 · 100 = 991.
    const observation = observeAlertRule(rule({ statistic: 'p99', threshold: 990, windowMs: 60_000 }), { tasks, ttfts: [] }, NOW_MS);
    expect(observation.sampleCount).toBe(10);
    expect(observation.value).toBeCloseTo(991, 9);
    expect(observation.breaching).toBe(true);
    expect(observation.examples).toEqual([
      { traceId: 't9', valueMs: 1_000 },
      { traceId: 't8', valueMs: 900 },
      { traceId: 't7', valueMs: 800 },
    ]);
  });

  it('does not breach when the statistic equals the threshold (strictly above breaches)', () => {
    const observation = observeAlertRule(rule({ statistic: 'p50', threshold: 550, windowMs: 60_000 }), { tasks, ttfts: [] }, NOW_MS);
    expect(observation).toEqual({
      value: 550,
      sampleCount: 10,
      breaching: false,
      examples: [
        { traceId: 't9', valueMs: 1_000 },
        { traceId: 't8', valueMs: 900 },
        { traceId: 't7', valueMs: 800 },
      ],
    });
  });

  it('has no data below the minimum sample count', () => {
    const observation = observeAlertRule(
      rule({ statistic: 'p99', threshold: 1, windowMs: 60_000, minSamples: 11 }),
      { tasks, ttfts: [] },
      NOW_MS,
    );
    expect(observation).toEqual({ value: null, sampleCount: 10, breaching: null, examples: [] });
  });

  it('watches only its target', () => {
    const mixed = [
      task({ traceId: 'a', endTimeMs: NOW_MS - 1_000, durationMs: 9_000, taskClass: 'complex', budgetMs: 5_000 }),
      task({ traceId: 'b', endTimeMs: NOW_MS - 1_000, durationMs: 300, service: 'search' }),
      task({ traceId: 'c', endTimeMs: NOW_MS - 1_000, durationMs: 700, name: 'summarize' }),
    ];
    const at = (target: unknown) =>
      observeAlertRule(rule({ statistic: 'p50', threshold: 1, windowMs: 60_000, target }), { tasks: mixed, ttfts: [] }, NOW_MS);
    expect(at({ kind: 'taskClass', value: 'complex' }).value).toBe(9_000);
    expect(at({ kind: 'service', value: 'search' }).value).toBe(300);
    expect(at({ kind: 'taskName', value: 'summarize' }).value).toBe(700);
    expect(at({ kind: 'all' }).sampleCount).toBe(3);
  });

  it('measures perceived latency for perceivedP99 and the over-budget fraction for overBudgetRate', () => {
    const four = [
      task({ traceId: 'a', endTimeMs: NOW_MS - 4_000, durationMs: 3_000, perceivedMs: 400 }),
      task({ traceId: 'b', endTimeMs: NOW_MS - 3_000, durationMs: 2_500, perceivedMs: 300 }),
      task({ traceId: 'c', endTimeMs: NOW_MS - 2_000, durationMs: 1_000, perceivedMs: 200 }),
      task({ traceId: 'd', endTimeMs: NOW_MS - 1_000, durationMs: 500, perceivedMs: 100 }),
    ];
    const perceived = observeAlertRule(
      rule({ statistic: 'perceivedP99', threshold: 1_000, windowMs: 60_000 }),
      { tasks: four, ttfts: [] },
      NOW_MS,
    );
    expect(perceived.value).toBeCloseTo(397, 9); // h = 3 · 0.99 = 2.97 → 300 + 0.97 · 100
    expect(perceived.breaching).toBe(false);
    const rate = observeAlertRule(
      rule({ statistic: 'overBudgetRate', threshold: 0.25, windowMs: 60_000 }),
      { tasks: four, ttfts: [] },
      NOW_MS,
    );
    expect(rate).toEqual({
      value: 0.5,
      sampleCount: 4,
      breaching: true,
      examples: [
        { traceId: 'a', valueMs: 3_000 },
        { traceId: 'b', valueMs: 2_500 },
      ],
    });
  });

  it('watches the TTFT of one model for a model target', () => {
    const ttfts: AlertTtftSample[] = [
      { traceId: 'x', endTimeMs: NOW_MS - 5_000, model: 'gpt-4o', ttftMs: 200 },
      { traceId: 'y', endTimeMs: NOW_MS - 4_000, model: 'gpt-4o', ttftMs: 600 },
      { traceId: 'z', endTimeMs: NOW_MS - 3_000, model: 'claude', ttftMs: 5_000 },
    ];
    const observation = observeAlertRule(
      rule({ statistic: 'p50', threshold: 350, windowMs: 60_000, target: { kind: 'model', value: 'gpt-4o' } }),
      { tasks: [], ttfts },
      NOW_MS,
    );
    expect(observation).toEqual({
      value: 400,
      sampleCount: 2,
      breaching: true,
      examples: [
        { traceId: 'y', valueMs: 600 },
        { traceId: 'x', valueMs: 200 },
      ],
    });
  });
});

describe('burn rate', () => {
  it('is the bad fraction over the error budget', () => {
    expect(burnRate(144, 1_000, 0.99)).toBeCloseTo(14.4, 12);
    expect(burnRate(0, 0, 0.99)).toBeNull();
    // 14.4× for 1 h spends 2 % of a 30-day budget; 6× for 6 h spends 5 %.
    expect(errorBudgetSpent(14.4, 3_600_000, 30 * 86_400_000)).toBeCloseTo(0.02, 12);
    expect(errorBudgetSpent(6, 6 * 3_600_000, 30 * 86_400_000)).toBeCloseTo(0.05, 12);
  });

  const fast = rule({ kind: 'burn-rate', threshold: 14.4, windowMs: 3_600_000, shortWindowMs: 300_000, minSamples: 20 });

  /** `count` tasks spread evenly over [NOW − startAgoMs, NOW − endAgoMs), `bad` of them over budget. */
  function spread(prefix: string, count: number, bad: number, startAgoMs: number, endAgoMs: number): AlertTaskSample[] {
    const stepMs = (startAgoMs - endAgoMs) / count;
    return Array.from({ length: count }, (_, i) =>
      task({ traceId: `${prefix}${i}`, endTimeMs: NOW_MS - startAgoMs + i * stepMs, durationMs: i < bad ? 2_500 : 500 }),
    );
  }

  it('fires only when both the 1 h and the 5 min windows burn faster than 14.4×', () => {
    // 1 h window: 55 min of 10 % bad then 5 min of 100 % bad.
    //   ├──────────── 55 min: 110 tasks, 11 bad ────────────┼─ 5 min: 10 tasks, 10 bad ─┤ NOW
    // long: 21/120 = 17.5 % → 17.5×; short: 100 % → 100×: both above 14.4 → breach (value 17.5).
    const tasks = [...spread('a', 110, 11, 3_600_000, 300_000), ...spread('b', 10, 10, 300_000, 0)];
    const observation = observeAlertRule(fast, { tasks, ttfts: [] }, NOW_MS);
    expect(observation.burnRates!.long).toBeCloseTo(17.5, 9);
    expect(observation.burnRates!.short).toBeCloseTo(100, 9);
    expect(observation.value).toBeCloseTo(17.5, 9);
    expect(observation.breaching).toBe(true);
    expect(observation.sampleCount).toBe(120);
  });

  it('does not fire on a short spike the long window does not confirm', () => {
    //   ├──────────── 55 min: 110 tasks, 0 bad ─────────────┼─ 5 min: 10 tasks, 10 bad ─┤ NOW
    // long: 10/120 → 8.33×, below 14.4 though the short window burns at 100×.
    const tasks = [...spread('a', 110, 0, 3_600_000, 300_000), ...spread('b', 10, 10, 300_000, 0)];
    const observation = observeAlertRule(fast, { tasks, ttfts: [] }, NOW_MS);
    expect(observation.value).toBeCloseTo(1_000 / 120, 9);
    expect(observation.breaching).toBe(false);
  });

  it('stops breaching as soon as the short window recovers, though the long one still burns', () => {
    //   ├──────── 55 min: 110 tasks, 55 bad ────────┼─ 5 min: 10 tasks, 0 bad ─┤ NOW
    // long: 55/120 → 45.8×; short: 0× → the smaller (0) decides: no breach.
    const tasks = [...spread('a', 110, 55, 3_600_000, 300_000), ...spread('b', 10, 0, 300_000, 0)];
    const observation = observeAlertRule(fast, { tasks, ttfts: [] }, NOW_MS);
    expect(observation.burnRates!.long).toBeCloseTo(5_500 / 120, 9);
    expect(observation.value).toBe(0);
    expect(observation.breaching).toBe(false);
  });

  it('has no data with too few tasks in the long window or none in the short one', () => {
    const few = spread('a', 19, 19, 3_600_000, 0);
    expect(observeAlertRule(fast, { tasks: few, ttfts: [] }, NOW_MS)).toEqual({
      value: null,
      sampleCount: 19,
      breaching: null,
      examples: [],
      burnRates: { long: 100, short: 100 },
    });
    const quietLately = spread('a', 40, 40, 3_600_000, 600_000);
    const observation = observeAlertRule(fast, { tasks: quietLately, ttfts: [] }, NOW_MS);
    expect(observation.breaching).toBeNull();
    expect(observation.burnRates).toEqual({ long: 100, short: null });
  });
});
