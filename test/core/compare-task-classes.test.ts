import { compareTaskClasses, minTasksFor, percentile, type CompareOptions } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { lognormalDurationsMs } from '../support/designed-latencies.js';

const OPTIONS: CompareOptions = { fraction: 0.95, maxRegression: 0.1, confidence: 0.95, resamples: 2_000, seed: 1 };
const draws = (count: number, seed: number, scale = 1) => lognormalDurationsMs(count, { medianMs: 800, sigma: 0.25, seed, scale });
const runs = (entries: Record<string, number[]>) => new Map(Object.entries(entries));

describe('minTasksFor', () => {
  it('asks for 20 tasks, and for at least five beyond the percentile', () => {
    expect([0.5, 0.9, 0.95, 0.99, 0.999].map(minTasksFor)).toEqual([20, 50, 100, 500, 5_000]);
  });
});

describe('compareTaskClasses', () => {
  it('judges each class by where the interval of its ratio lies', () => {
    const baseline = runs({ same: draws(1_000, 1), slower: draws(500, 3), faster: draws(500, 5), unclear: draws(150, 7) });
    const candidate = runs({ same: draws(1_000, 1), slower: draws(500, 4, 1.5), faster: draws(500, 6, 0.6), unclear: draws(150, 8, 1.1) });
    const comparisons = compareTaskClasses(baseline, candidate, OPTIONS);
    expect(comparisons.map(({ taskClass, status }) => [taskClass, status])).toEqual([
      ['faster', 'faster'], // interval wholly below 1
      ['same', 'within'], // the same tasks: ratio 1, interval inside [.., 1.1]
      ['slower', 'regressed'], // 1.5×: interval wholly above 1.1
      ['unclear', 'uncertain'], // 1.1× on 150 tasks: the interval reaches past 1.1 without lying beyond it
    ]);
    for (const comparison of comparisons) {
      const before = percentile(baseline.get(comparison.taskClass)!, 0.95)!;
      const after = percentile(candidate.get(comparison.taskClass)!, 0.95)!;
      expect([comparison.baselineMs, comparison.candidateMs, comparison.ratio]).toEqual([before, after, after / before]);
      expect(comparison.lower! < comparison.ratio! && comparison.ratio! < comparison.upper!).toBe(true);
    }
    const same = comparisons[1];
    expect([same.ratio, same.lower! < 1, same.upper! > 1, same.upper! <= 1.1]).toEqual([1, true, true, true]);
    const slower = comparisons[2];
    expect(slower.lower).toBeGreaterThan(1.1);
  });

  it('does not judge a class with too few tasks, or one only a single run has', () => {
    const baseline = runs({ rare: [100, 200, 300, 400, 500], gone: draws(200, 1) });
    const candidate = runs({ rare: draws(200, 2), added: [700, 900] });
    expect(compareTaskClasses(baseline, candidate, OPTIONS)).toEqual([
      { taskClass: 'added', baselineCount: 0, candidateCount: 2, candidateMs: 890, status: 'candidate-only' },
      {
        taskClass: 'gone',
        baselineCount: 200,
        candidateCount: 0,
        baselineMs: percentile(baseline.get('gone')!, 0.95),
        status: 'baseline-only',
      },
      {
        taskClass: 'rare',
        baselineCount: 5,
        candidateCount: 200,
        baselineMs: 480,
        candidateMs: percentile(candidate.get('rare')!, 0.95),
        status: 'too-few-tasks',
      },
    ]);
  });

  it('gives each class its own draws: the same seed gives the same intervals, whatever other classes are there', () => {
    const baseline = runs({ simple: draws(300, 1) });
    const candidate = runs({ simple: draws(300, 2) });
    const alone = compareTaskClasses(baseline, candidate, OPTIONS);
    const withAnother = compareTaskClasses(
      new Map([...baseline, ['aaa', draws(300, 3)]]),
      new Map([...candidate, ['aaa', draws(300, 4)]]),
      OPTIONS,
    );
    expect(withAnother[1]).toEqual(alone[0]);
    expect(compareTaskClasses(baseline, candidate, OPTIONS)).toEqual(alone);
    expect(compareTaskClasses(baseline, candidate, { ...OPTIONS, seed: 2 })[0].lower).not.toBe(alone[0].lower);
  });

  it('reads the order of tasks as irrelevant: shuffled runs give the same result', () => {
    const before = draws(300, 1);
    const after = draws(300, 2);
    const reversed = compareTaskClasses(runs({ simple: [...before].reverse() }), runs({ simple: [...after].reverse() }), OPTIONS);
    expect(reversed).toEqual(compareTaskClasses(runs({ simple: before }), runs({ simple: after }), OPTIONS));
  });
});
