import { describe, expect, it } from 'vitest';
import {
  advanceAlertState,
  firingPeriods,
  initialAlertState,
  isNotifiedTransition,
  alertSeriesTimes,
  burnRateBucketMs,
  burnRateSeriesFromBuckets,
  type AlertRule,
  type AlertRuleState,
} from '@threshold/core';
import {
  observeAlertRule,
  alertStatisticSeries,
  type AlertTaskSample,
  type AlertTransition,
} from '../../packages/core/src/alerts/index.js';

const T0 = 1_800_000_000_000;
const SECOND = 1_000;

/** Simple-task P99 > 2 s over 60 s, at least 5 samples, held 30 s. */
const rule: AlertRule = {
  id: 'simple-p99',
  name: 'Simple P99 over 2 s',
  kind: 'threshold',
  target: { kind: 'taskClass', value: 'simple' },
  statistic: 'p99',
  threshold: 2_000,
  windowMs: 60 * SECOND,
  minSamples: 5,
  holdMs: 30 * SECOND,
  severity: 'ticket',
  enabled: true,
};

/** One task per second in [fromS, toS), every one taking `durationMs`. */
function traffic(fromS: number, toS: number, durationMs: number): AlertTaskSample[] {
  return Array.from({ length: toS - fromS }, (_, i) => ({
    traceId: `t${fromS + i}`,
    endTimeMs: T0 + (fromS + i) * SECOND,
    durationMs,
    perceivedMs: durationMs,
    budgetMs: 2_000,
    overBudget: durationMs > 2_000,
    taskClass: 'simple',
    service: 's',
    name: 'n',
  }));
}

/** Evaluates every `stepS` seconds from `fromS` to `toS` inclusive; returns the transitions seen. */
function run(tasks: AlertTaskSample[], fromS: number, toS: number, stepS: number, start: AlertRuleState = initialAlertState(rule.id, T0)) {
  let state = start;
  const transitions: Array<AlertTransition & { atS: number }> = [];
  for (let s = fromS; s <= toS; s += stepS) {
    const nowMs = T0 + s * SECOND;
    const step = advanceAlertState(state, observeAlertRule(rule, { tasks, ttfts: [] }, nowMs), rule, nowMs);
    state = step.state;
    if (step.transition) transitions.push({ ...step.transition, atS: s });
  }
  return { state, transitions: transitions.map((t) => `${t.atS}s ${t.fromState}→${t.toState}`) };
}

describe('alert state machine over time', () => {
  it('fires once when a breach is held past the hold time, and resolves once on recovery', () => {
    // seconds:  0 ──── 60 ───────── 180 ───────── 300
    // tasks:    │ 500 ms │ 3 000 ms    │ 500 ms     │
    // Evaluated every 10 s over a 60 s window. P99 crosses 2 s as soon as 2 slow tasks are in the
    // window (from 62 s), so the 70 s evaluation goes pending and, 30 s later, 100 s fires. Slow
    // tasks leave the window by 240 s, which resolves it.
    const tasks = [...traffic(0, 60, 500), ...traffic(60, 180, 3_000), ...traffic(180, 300, 500)];
    const { state, transitions } = run(tasks, 10, 400, 10);
    expect(transitions).toEqual(['70s ok→pending', '100s pending→firing', '240s firing→resolved']);
    expect(state.state).toBe('resolved');
    expect(transitions.filter((t) => t.endsWith('firing'))).toHaveLength(1);
  });

  it('goes back to ok without firing when the breach ends within the hold time', () => {
    // seconds: 0 ─── 50 51 ──────── 100
    // tasks:   500 ms │9 s│ 500 ms    │ (traffic ends)
    // Both 9 s tasks are in the 60 s window from 52 s to 110 s: P99 above 2 s, pending at 60 s.
    // At 120 s the window [60 s, 120 s) holds only fast tasks: back to ok, 60 s after pending —
    // inside a 70 s hold, so it never fires. With a 30 s hold the same breach fires at 90 s.
    const tasks = traffic(0, 100, 500);
    for (const i of [50, 51]) tasks[i] = { ...tasks[i], durationMs: 9_000, perceivedMs: 9_000, overBudget: true };
    const evaluate = (holdMs: number) => {
      const held = { ...rule, holdMs };
      let state = initialAlertState(rule.id, T0);
      const seen: string[] = [];
      for (let s = 10; s <= 200; s += 10) {
        const nowMs = T0 + s * SECOND;
        const step = advanceAlertState(state, observeAlertRule(held, { tasks, ttfts: [] }, nowMs), held, nowMs);
        state = step.state;
        if (step.transition) seen.push(`${s}s ${step.transition.fromState}→${step.transition.toState}`);
      }
      return seen;
    };
    expect(evaluate(70 * SECOND)).toEqual(['60s ok→pending', '120s pending→ok']);
    expect(evaluate(30 * SECOND)).toEqual(['60s ok→pending', '90s pending→firing', '120s firing→resolved']);
  });

  it('does not fire with too few samples, however slow they are', () => {
    // One 10 s task every 15 s: 4 per 60 s window, below minSamples 5.
    const tasks = Array.from({ length: 40 }, (_, i) => ({ ...traffic(i * 15, i * 15 + 1, 10_000)[0] }));
    const { state, transitions } = run(tasks, 10, 600, 10);
    expect(transitions).toEqual([]);
    expect(state).toMatchObject({ state: 'ok', value: null, sampleCount: 4 });
  });

  it('keeps firing through a window without data and resolves only on a healthy window', () => {
    // slow 0–100 s, silence 100–300 s, fast 300–400 s.
    const tasks = [...traffic(0, 100, 3_000), ...traffic(300, 400, 500)];
    const { transitions } = run(tasks, 10, 400, 10);
    expect(transitions).toEqual(['10s ok→pending', '40s pending→firing', '310s firing→resolved']);
  });

  it('fires straight away with no hold, and a resolved alert fires again on the next breach', () => {
    const noHold = { ...rule, holdMs: 0 };
    const at = (state: AlertRuleState, breaching: boolean | null, s: number) =>
      advanceAlertState(state, { value: breaching ? 3_000 : 1_000, sampleCount: 10, breaching, examples: [] }, noHold, T0 + s * SECOND);
    const fired = at(initialAlertState(rule.id, T0), true, 10);
    expect(fired.transition).toEqual({ fromState: 'ok', toState: 'firing', atMs: T0 + 10 * SECOND });
    expect(at(fired.state, true, 20).transition).toBeNull();
    const resolved = at(fired.state, false, 30);
    expect(resolved.state).toEqual({
      ruleId: 'simple-p99',
      state: 'resolved',
      sinceMs: T0 + 30 * SECOND,
      evaluatedAtMs: T0 + 30 * SECOND,
      value: 1_000,
      sampleCount: 10,
      examples: [],
    });
    expect(at(resolved.state, false, 40).transition).toBeNull();
    expect(at(resolved.state, true, 50).transition).toEqual({ fromState: 'resolved', toState: 'firing', atMs: T0 + 50 * SECOND });
  });

  it('notifies on firing and resolved only', () => {
    expect((['ok', 'pending', 'firing', 'resolved'] as const).map((toState) => isNotifiedTransition({ toState }))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});

describe('alert series and firing periods', () => {
  it('evaluates the statistic at each step over the window ending there', () => {
    const tasks = [...traffic(0, 60, 500), ...traffic(60, 120, 3_000)];
    const points = alertStatisticSeries(rule, { tasks, ttfts: [] }, T0, T0 + 120 * SECOND, 60 * SECOND);
    expect(points).toEqual([
      { t: T0 + 60 * SECOND, value: 500, sampleCount: 60 },
      { t: T0 + 120 * SECOND, value: 3_000, sampleCount: 60 },
    ]);
  });

  it('turns state changes into firing periods clipped to the range, open while still firing', () => {
    const events = [
      { fromState: 'firing', toState: 'resolved', atMs: 250 },
      { fromState: 'pending', toState: 'firing', atMs: 50 },
      { fromState: 'ok', toState: 'pending', atMs: 40 },
      { fromState: 'resolved', toState: 'firing', atMs: 400 },
      { fromState: 'firing', toState: 'resolved', atMs: 900 },
    ] as const;
    expect(firingPeriods(events, 100, 600)).toEqual([
      { startMs: 100, endMs: 250 },
      { startMs: 400, endMs: null },
    ]);
    expect(firingPeriods(events, 300, 350)).toEqual([]);
  });
});

describe('burn-rate series from bucketed counts', () => {
  it('gives the same points as evaluating each point over the samples', () => {
    const burn: AlertRule = {
      id: 'burn',
      name: 'burn',
      kind: 'burn-rate',
      target: { kind: 'all' },
      objective: 0.99,
      periodMs: 30 * 86_400_000,
      threshold: 14.4,
      windowMs: 60 * SECOND,
      shortWindowMs: 20 * SECOND,
      minSamples: 5,
      holdMs: 0,
      severity: 'page',
      enabled: true,
    };
    // Fast, then a slow burst, then fast, one task a second; plus a few tasks ending off-grid.
    const tasks = [...traffic(0, 60, 500), ...traffic(60, 90, 3_000), ...traffic(90, 200, 500)];
    tasks.push({ ...tasks[5], traceId: 'odd', endTimeMs: T0 + 75_500, durationMs: 9_000, overBudget: true });
    const fromMs = T0 + 30 * SECOND;
    const toMs = T0 + 190 * SECOND;
    const stepMs = 10 * SECOND;
    const bucketMs = burnRateBucketMs(burn, fromMs, toMs, stepMs)!;
    expect(bucketMs).toBe(10 * SECOND);
    const originMs = fromMs - burn.windowMs;
    const buckets = new Map<number, { startMs: number; count: number; overBudgetCount: number }>();
    for (const task of tasks) {
      if (task.endTimeMs < originMs || task.endTimeMs >= toMs) continue;
      const startMs = originMs + Math.floor((task.endTimeMs - originMs) / bucketMs) * bucketMs;
      const bucket = buckets.get(startMs) ?? { startMs, count: 0, overBudgetCount: 0 };
      bucket.count++;
      if (task.overBudget) bucket.overBudgetCount++;
      buckets.set(startMs, bucket);
    }
    const fromBuckets = burnRateSeriesFromBuckets(
      burn as Extract<AlertRule, { kind: 'burn-rate' }>,
      [...buckets.values()],
      originMs,
      bucketMs,
      alertSeriesTimes(fromMs, toMs, stepMs),
    );
    const pointByPoint = alertStatisticSeries(burn, { tasks, ttfts: [] }, fromMs, toMs, stepMs);
    expect(fromBuckets).toEqual(pointByPoint);
    expect(pointByPoint.filter((point) => point.value !== null && point.value > 14.4).length).toBeGreaterThan(0);
  });
});
