/**
 * One simulated user: session after session until the run's deadline, each turn handed to the
 * agent the session talks to, with the user's think time between turns. A failed turn is
 * counted and the user carries on, as a real user would retry or leave.
 */
import type { Agent, AgentContext } from './agents/agent-context.js';
import type { CodingSession, CustomerServiceSession, ResearchSession } from './scenario/session-plan.js';
import { type AgentKind, planSession, type SessionPlan } from './scenario/session-plan.js';
import { createSeededRandom, deriveSeed } from './simulation/seeded-random.js';

/** Simulated ms between two users' arrivals (the ramp-up of a load test). */
const ARRIVAL_INTERVAL_MS = 500;

/** The agent behind each kind of session. */
export interface DemoAgents {
  'customer-service': Agent<CustomerServiceSession & SessionPlan>;
  research: Agent<ResearchSession & SessionPlan>;
  coding: Agent<CodingSession & SessionPlan>;
}

export interface UserTally {
  /** Turns completed per agent. */
  tasks: Record<AgentKind, number>;
  failedTasks: number;
  /** Sessions started, in order: `user-3 #0 research (2 turns)`. */
  sessions: string[];
}

export function emptyTally(): UserTally {
  return { tasks: { 'customer-service': 0, research: 0, coding: 0 }, failedTasks: 0, sessions: [] };
}

function runTurn(agents: DemoAgents, plan: SessionPlan, turnIndex: number): Promise<void> {
  switch (plan.agent) {
    case 'customer-service':
      return agents['customer-service'].runTurn(plan, turnIndex);
    case 'research':
      return agents.research.runTurn(plan, turnIndex);
    case 'coding':
      return agents.coding.runTurn(plan, turnIndex);
  }
}

export interface SimulatedUserOptions {
  seed: number;
  userIndex: number;
  /** Epoch ms after which no new turn starts (turns in flight finish). */
  deadlineMs: number;
  /** Clock, epoch ms. */
  now: () => number;
  onError?: (error: unknown, plan: SessionPlan, turnIndex: number) => void;
}

export async function runSimulatedUser(
  context: AgentContext,
  agents: DemoAgents,
  options: SimulatedUserOptions,
  tally: UserTally,
): Promise<void> {
  const { seed, userIndex, deadlineMs, now } = options;
  // Users arrive one after another, about every half second, rather than all at once.
  await context.latency.sleepMs((userIndex + createSeededRandom(deriveSeed(seed, 'arrival', userIndex)).next()) * ARRIVAL_INTERVAL_MS);
  for (let sessionIndex = 0; now() < deadlineMs; sessionIndex++) {
    const plan = planSession(seed, userIndex, sessionIndex);
    tally.sessions.push(`${plan.userId} #${sessionIndex} ${plan.agent} (${plan.turns.length} turns)`);
    for (let turnIndex = 0; turnIndex < plan.turns.length; turnIndex++) {
      if (turnIndex > 0) await context.latency.sleepMs(plan.thinkTimesMs[turnIndex - 1]);
      if (now() >= deadlineMs) break;
      try {
        await runTurn(agents, plan, turnIndex);
        tally.tasks[plan.agent]++;
      } catch (error) {
        tally.failedTasks++;
        options.onError?.(error, plan, turnIndex);
      }
    }
    context.sessions.forget(plan.sessionId);
    context.sandboxes.retire(plan.sessionId);
  }
}
