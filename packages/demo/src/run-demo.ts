/**
 * `threshold demo`'s engine: starts the loopback model server, points the SDK at a collector,
 * and runs simulated users against the three agents until the duration is over. Returns what
 * happened, for the closing summary.
 */
import Anthropic from '@anthropic-ai/sdk';
import { init, shutdown } from '@threshold/sdk';
import OpenAI from 'openai';
import type { AgentContext } from './agents/agent-context.js';
import { createCodingAgent } from './agents/coding-agent.js';
import { createCustomerServiceAgent } from './agents/customer-service-agent.js';
import { createResearchAgent } from './agents/research-agent.js';
import { startModelServer } from './model-server/index.js';
import { DEMO_MODELS, demoReply } from './simulation/demo-models.js';
import { BackOffice, KnowledgeBase } from './simulation/knowledge-base.js';
import { Sandboxes } from './simulation/sandboxes.js';
import { SessionStore } from './simulation/session-store.js';
import { SimulatedLatency } from './simulation/simulated-latency.js';
import { SlotPool } from './simulation/slot-pool.js';
import { Web } from './simulation/web.js';
import { type DemoAgents, emptyTally, runSimulatedUser, type UserTally } from './simulated-user.js';
import type { AgentKind } from './scenario/session-plan.js';

export interface DemoOptions {
  /** Base URL of the collector's OTLP/HTTP endpoint, e.g. `http://127.0.0.1:4318`. */
  collectorUrl: string;
  /** Concurrent simulated users (default 12). */
  users?: number;
  /** Real time during which users start new turns, ms (default 60 s); turns in flight finish. */
  durationMs?: number;
  /** Seed of every decision (default 42). */
  seed?: number;
  /** Multiplier on every simulated delay, models included (default 1: real-world timing). */
  timeScale?: number;
  /** Sandboxes shared by all coding sessions (default 3). */
  sandboxPoolSize?: number;
  /** Concurrent summarisation calls across research sessions (default 8). */
  summarizerPoolSize?: number;
  /** Service name of the agents' spans (default `demo-agents`). */
  serviceName?: string;
  /** Called when a turn fails (the run carries on). */
  onError?: (error: unknown) => void;
}

export interface DemoSummary {
  users: number;
  seed: number;
  /** Wall time from the first user to the last finished turn, ms. */
  elapsedMs: number;
  /** Turns (tasks) completed per agent. */
  tasks: Record<AgentKind, number>;
  failedTasks: number;
  /** Requests the model server answered. */
  modelRequests: number;
  /** Every session started, per user in order (the run's decisions). */
  sessions: string[];
}

/**
 * One untraced request per API before the users arrive, so connection setup and the clients'
 * first-call costs do not land in the first users' traces.
 */
async function warmUp(context: AgentContext): Promise<void> {
  await Promise.all([
    context.openai.chat.completions.create({ model: DEMO_MODELS.small, max_tokens: 1, messages: [{ role: 'user', content: 'warm-up' }] }),
    context.openai.chat.completions
      .create({ model: DEMO_MODELS.small, max_tokens: 1, stream: true, messages: [{ role: 'user', content: 'warm-up' }] })
      .then(async (stream) => {
        for await (const _chunk of stream);
      }),
    context.anthropic.messages
      .stream({ model: DEMO_MODELS.haiku, max_tokens: 1, messages: [{ role: 'user', content: 'warm-up' }] })
      .finalText(),
  ]);
}

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const users = options.users ?? 12;
  const seed = options.seed ?? 42;
  const timeScale = options.timeScale ?? 1;
  const modelServer = await startModelServer({ seed, reply: demoReply(seed, timeScale) });
  const latency = new SimulatedLatency(seed, timeScale);
  const context: AgentContext = {
    openai: new OpenAI({ baseURL: `${modelServer.url}/v1`, apiKey: 'demo', maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: modelServer.url, apiKey: 'demo', maxRetries: 0 }),
    sessions: new SessionStore(latency),
    knowledgeBase: new KnowledgeBase(latency),
    backOffice: new BackOffice(latency),
    web: new Web(latency),
    sandboxes: new Sandboxes(latency, options.sandboxPoolSize ?? 3),
    summarizerPool: new SlotPool(options.summarizerPoolSize ?? 8),
    latency,
  };
  await warmUp(context);
  init({ serviceName: options.serviceName ?? 'demo-agents', endpoint: options.collectorUrl });
  const agents: DemoAgents = {
    'customer-service': createCustomerServiceAgent(context),
    research: createResearchAgent(context),
    coding: createCodingAgent(context),
  };
  const startedAtMs = Date.now();
  const deadlineMs = startedAtMs + (options.durationMs ?? 60_000);
  const tallies: UserTally[] = [];
  // The model server records every request; count and drop them so a long run keeps its memory flat.
  let modelRequests = 0;
  const drainRequests = () => {
    modelRequests += modelServer.requests.length;
    modelServer.requests.length = 0;
  };
  const drainTimer = setInterval(drainRequests, 1_000);
  try {
    await Promise.all(
      Array.from({ length: users }, (_, userIndex) => {
        const tally = emptyTally();
        tallies.push(tally);
        return runSimulatedUser(context, agents, { seed, userIndex, deadlineMs, now: Date.now, onError: options.onError }, tally);
      }),
    );
  } finally {
    clearInterval(drainTimer);
    drainRequests();
    await shutdown();
    await modelServer.close();
  }
  const tasks = emptyTally().tasks;
  for (const tally of tallies) for (const agent of Object.keys(tasks) as AgentKind[]) tasks[agent] += tally.tasks[agent];
  return {
    users,
    seed,
    elapsedMs: Date.now() - startedAtMs,
    tasks,
    failedTasks: tallies.reduce((sum, tally) => sum + tally.failedTasks, 0),
    modelRequests,
    sessions: tallies.flatMap((tally) => tally.sessions),
  };
}
