/**
 * What each simulated user does, decided up front from the run's seed: which agent they talk to,
 * what they ask on each turn, and the configuration quirks of that deployment (the anti-patterns
 * the recommendations find). A pure function of (seed, user, session index), so the same seed
 * gives the same decisions however long requests take.
 */
import { createSeededRandom, deriveSeed, type SeededRandom } from '../simulation/seeded-random.js';
import type { SessionStoreKind } from '../simulation/session-store.js';

export type AgentKind = 'customer-service' | 'research' | 'coding';

export const AGENT_KINDS: readonly AgentKind[] = ['customer-service', 'research', 'coding'];

/** Greetings, thanks and goodbyes are small talk: the keyword router handles them without the full flow. */
export type SupportIntent = 'greeting' | 'thanks' | 'goodbye' | 'faq' | 'order' | 'billing';

export interface CustomerServiceTurn {
  message: string;
  intent: SupportIntent;
  /** Output tokens the answer is allowed. */
  answerTokens: number;
}

export interface CustomerServiceSession {
  agent: 'customer-service';
  customerId: string;
  /** Intent and safety calls on the frontier model instead of the 7B model (route-model's evidence). */
  simpleCallsOnLargeModel: boolean;
  /** Answer with a blocking call instead of a stream (stream-answer's evidence). */
  blockingAnswer: boolean;
  /** Conversation store of this tenant. */
  store: SessionStoreKind;
  turns: CustomerServiceTurn[];
}

export interface ResearchTurn {
  question: string;
  /** Search queries; some repeat earlier turns' (cache-tool-results' evidence). */
  queries: string[];
  /** How many of the first queries run one after another (parallelize-tools' evidence). */
  sequentialQueries: number;
  /** Pages read per query. */
  pagesPerQuery: number;
  answerTokens: number;
}

export interface ResearchSession {
  agent: 'research';
  store: SessionStoreKind;
  turns: ResearchTurn[];
}

export interface CodingTurn {
  request: string;
  patchTokens: number;
  /** Tests still failing after the first patch (0: one attempt suffices). */
  failingAfterFirstPatch: number;
}

export interface CodingSession {
  agent: 'coding';
  repository: string;
  store: SessionStoreKind;
  turns: CodingTurn[];
}

export type SessionPlan = (CustomerServiceSession | ResearchSession | CodingSession) & {
  sessionId: string;
  userId: string;
  /** Pause before each turn after the first, ms of simulated time (the user reading, typing). */
  thinkTimesMs: number[];
};

const SUPPORT_MESSAGES: Record<SupportIntent, string[]> = {
  greeting: ['hi there', 'hello!', 'good morning'],
  thanks: ['thanks!', 'ok, got it', 'great, thank you'],
  goodbye: ['thanks, that is all', 'thank you, bye', 'that solved it, bye'],
  faq: ['what are your opening hours?', 'do you ship to Canada?', 'how do I reset my password?'],
  order: ['where is my order?', 'my parcel arrived damaged', 'can I change the delivery address?'],
  billing: ['why was I charged twice?', 'I need a copy of my invoice', 'how do I get a refund?'],
};

const RESEARCH_TOPICS = [
  'latency of retrieval augmented generation',
  'speculative decoding in production',
  'vector database benchmarks',
  'KV cache reuse across requests',
  'agent evaluation methods',
  'prompt compression techniques',
];

const CODING_REQUESTS = [
  'fix the failing date parsing test',
  'make the retry test pass',
  'repair the broken import in the CLI',
  'update the snapshot after the rename',
];

/**
 * Half the sessions open with a greeting and most close with a goodbye; in between, mostly
 * orders and bills, with the odd "thanks!" along the way.
 */
function supportIntent(random: SeededRandom, turnIndex: number, turnCount: number): SupportIntent {
  const roll = random.next();
  if (turnIndex === 0) return roll < 0.5 ? 'greeting' : roll < 0.7 ? 'faq' : roll < 0.85 ? 'order' : 'billing';
  if (turnIndex === turnCount - 1 && roll < 0.6) return 'goodbye';
  return roll < 0.15 ? 'thanks' : roll < 0.3 ? 'faq' : roll < 0.65 ? 'order' : 'billing';
}

export function isSmallTalk(intent: SupportIntent): boolean {
  return intent === 'greeting' || intent === 'thanks' || intent === 'goodbye';
}

/**
 * A support session. Users' first sessions alternate between the two kinds of tenant — intent on
 * the frontier model with blocking answers, and intent on the 7B model with streamed answers —
 * so even a short run holds both sides of the comparisons the recommendations make.
 */
function planCustomerService(random: SeededRandom, userIndex: number, sessionIndex: number): CustomerServiceSession {
  const turnCount = random.integer(4, 7);
  const turns: CustomerServiceTurn[] = [];
  for (let index = 0; index < turnCount; index++) {
    const intent = supportIntent(random, index, turnCount);
    turns.push({
      message: random.pick(SUPPORT_MESSAGES[intent]),
      intent,
      answerTokens: intent === 'order' || intent === 'billing' ? random.integer(30, 100) : random.integer(12, 30),
    });
  }
  const legacyTenant = sessionIndex === 0 ? userIndex % 2 === 0 : random.chance(0.4);
  return {
    agent: 'customer-service',
    customerId: `cus_${(userIndex + 1) * 7919}`,
    simpleCallsOnLargeModel: legacyTenant,
    blockingAnswer: legacyTenant,
    store: random.chance(0.3) ? 'legacy' : 'cache',
    turns,
  };
}

function planResearch(random: SeededRandom): ResearchSession {
  const topic = random.pick(RESEARCH_TOPICS);
  const angles = ['overview', 'benchmarks', 'trade-offs', 'case studies', 'open problems', 'tooling', 'costs', 'failure modes'];
  const turnCount = random.integer(2, 4);
  const turns: ResearchTurn[] = [];
  const asked: string[] = [];
  for (let index = 0; index < turnCount; index++) {
    const queryCount = random.integer(6, 9);
    // Every turn opens by searching the topic itself, then one angle, then the topic again "to
    // be sure": three searches in a row, one of them a repeat.
    const queries: string[] = [topic, `${topic} ${random.pick(angles)}`, topic];
    while (queries.length < queryCount) {
      const repeat = asked.length > 0 && random.chance(0.3);
      queries.push(repeat ? random.pick(asked) : `${topic} ${random.pick(angles)}`);
    }
    asked.push(...queries);
    turns.push({
      question: index === 0 ? `Research ${topic}` : `Dig deeper into the ${random.pick(angles)} of ${topic}`,
      queries,
      sequentialQueries: 3,
      pagesPerQuery: 4,
      answerTokens: random.integer(250, 450),
    });
  }
  return { agent: 'research', store: 'cache', turns };
}

function planCoding(random: SeededRandom, userIndex: number): CodingSession {
  const turnCount = random.integer(2, 4);
  const turns: CodingTurn[] = [];
  for (let index = 0; index < turnCount; index++) {
    turns.push({
      request: random.pick(CODING_REQUESTS),
      patchTokens: random.integer(80, 200),
      // A session opens with the hard request: the first patch leaves tests failing.
      failingAfterFirstPatch: index === 0 || random.chance(0.3) ? random.integer(1, 3) : 0,
    });
  }
  return { agent: 'coding', repository: `repo-${userIndex % 5}`, store: random.chance(0.5) ? 'legacy' : 'cache', turns };
}

/**
 * Users' first sessions, by user index: every agent is busy from the start, and most users are
 * support customers, as in production (8 users: 5 support, 2 coding, 1 research).
 */
const FIRST_SESSION_ROTATION: readonly AgentKind[] = [
  'customer-service',
  'research',
  'coding',
  'customer-service',
  'customer-service',
  'coding',
  'customer-service',
  'customer-service',
];

/** The agent a session talks to: first sessions follow the rotation, later ones are weighted. */
function chooseAgent(random: SeededRandom, userIndex: number, sessionIndex: number): AgentKind {
  if (sessionIndex === 0) return FIRST_SESSION_ROTATION[userIndex % FIRST_SESSION_ROTATION.length];
  const roll = random.next();
  return roll < 0.55 ? 'customer-service' : roll < 0.8 ? 'coding' : 'research';
}

const THINK_TIME_MEDIAN_MS: Record<AgentKind, number> = { 'customer-service': 600, research: 3_000, coding: 2_000 };

/** The `sessionIndex`-th session of user `userIndex` in a run seeded with `seed`. */
export function planSession(seed: number, userIndex: number, sessionIndex: number): SessionPlan {
  const random = createSeededRandom(deriveSeed(seed, 'session', userIndex, sessionIndex));
  const agent = chooseAgent(random, userIndex, sessionIndex);
  const body =
    agent === 'customer-service'
      ? planCustomerService(random, userIndex, sessionIndex)
      : agent === 'research'
        ? planResearch(random)
        : planCoding(random, userIndex);
  const thinkTimesMs = body.turns.slice(1).map(() => random.latencyMs(THINK_TIME_MEDIAN_MS[agent], 0.4));
  const sessionId = `${agent}-s${seed}-u${userIndex}-${sessionIndex}`;
  return { ...body, sessionId, userId: `user-${userIndex}`, thinkTimesMs };
}
