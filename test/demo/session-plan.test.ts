import { planSession } from '@threshold/demo';
import { describe, expect, it } from 'vitest';

describe('session plans', () => {
  it('are the same for the same seed, user and session', () => {
    for (let user = 0; user < 8; user++) {
      for (let session = 0; session < 3; session++) expect(planSession(42, user, session)).toEqual(planSession(42, user, session));
    }
  });

  it('differ with the seed', () => {
    const plans = (seed: number) => JSON.stringify([0, 1, 2, 3].map((user) => planSession(seed, user, 1)));
    expect(plans(1)).not.toBe(plans(2));
  });

  it("start users' first sessions with the agent rotation: mostly support, then coding, then research", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((user) => planSession(9, user, 0).agent)).toEqual([
      'customer-service',
      'research',
      'coding',
      'customer-service',
      'customer-service',
      'coding',
      'customer-service',
      'customer-service',
      'customer-service',
    ]);
  });

  it('alternate the two kinds of support tenant (by user parity) across users’ first sessions', () => {
    const tenants = [0, 3, 4, 6, 7].map((user) => {
      const plan = planSession(9, user, 0);
      return plan.agent === 'customer-service' ? [plan.simpleCallsOnLargeModel, plan.blockingAnswer] : undefined;
    });
    expect(tenants).toEqual([
      [true, true],
      [false, false],
      [true, true],
      [true, true],
      [false, false],
    ]);
  });

  it('give research turns 50+ llm calls: a plan, a relevance check and a summary per page, a report', () => {
    for (let seed = 0; seed < 20; seed++) {
      const plan = planSession(seed, 1, 0);
      if (plan.agent !== 'research') throw new Error('user 1 starts with research');
      for (const turn of plan.turns) {
        expect(1 + 2 * turn.queries.length * turn.pagesPerQuery + 1).toBeGreaterThanOrEqual(50);
        // The first three searches run in sequence and the third repeats the first.
        expect(turn.sequentialQueries).toBe(3);
        expect(turn.queries[2]).toBe(turn.queries[0]);
      }
    }
  });

  it('open each coding session with a request whose first patch leaves tests failing', () => {
    for (let seed = 0; seed < 20; seed++) {
      const plan = planSession(seed, 5, 0);
      if (plan.agent !== 'coding') throw new Error('user 2 starts with coding');
      expect(plan.turns[0].failingAfterFirstPatch).toBeGreaterThan(0);
    }
  });
});
