/**
 * What an agent runs against: the model clients and the simulated services around them. Each
 * agent wraps the clients itself, once per purpose (`wrapOpenAI(openai, { purpose: 'intent' })`),
 * so every llm span says what the call was for. The same agent code would run against real
 * providers and stores.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { BackOffice, KnowledgeBase } from '../simulation/knowledge-base.js';
import type { Sandboxes } from '../simulation/sandboxes.js';
import type { SessionStore } from '../simulation/session-store.js';
import type { SimulatedLatency } from '../simulation/simulated-latency.js';
import type { SlotPool } from '../simulation/slot-pool.js';
import type { Web } from '../simulation/web.js';

export interface AgentContext {
  /** OpenAI client (pointed at the OpenAI-compatible model server). */
  openai: OpenAI;
  /** Anthropic client (pointed at the Anthropic-compatible model server). */
  anthropic: Anthropic;
  sessions: SessionStore;
  knowledgeBase: KnowledgeBase;
  backOffice: BackOffice;
  web: Web;
  sandboxes: Sandboxes;
  /** Concurrency limit on the research agent's summarisation calls (shared by all users). */
  summarizerPool: SlotPool;
  /** Delays of in-process steps (routing, dispatch) and think time. */
  latency: SimulatedLatency;
}

/** One agent: runs turn `turnIndex` of a planned session as one task. */
export interface Agent<Session> {
  runTurn(session: Session, turnIndex: number): Promise<void>;
}
