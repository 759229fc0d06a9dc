/**
 * Where the agents keep conversations between turns. Two backends with the latencies teams
 * actually see: an in-region cache (10–30 ms, what docs/DESIGN.md calls healthy: 10–100 ms of state
 * per llm call) and a legacy document store across regions (~320 ms a round trip), whose
 * overhead the state-overhead recommendation points at.
 */
import type { SimulatedLatency } from './simulated-latency.js';

export type SessionStoreKind = 'cache' | 'legacy';

/** One turn of a conversation, as the agents keep it. */
export interface ConversationMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface Conversation {
  sessionId: string;
  messages: ConversationMessage[];
}

const MEDIAN_ROUND_TRIP_MS: Record<SessionStoreKind, number> = { cache: 14, legacy: 320 };

export class SessionStore {
  private readonly conversations = new Map<string, ConversationMessage[]>();

  constructor(private readonly latency: SimulatedLatency) {}

  async load(kind: SessionStoreKind, sessionId: string, turn: number): Promise<Conversation> {
    await this.latency.wait(MEDIAN_ROUND_TRIP_MS[kind], 0.3, 'session-load', kind, sessionId, turn);
    return { sessionId, messages: [...(this.conversations.get(sessionId) ?? [])] };
  }

  async save(kind: SessionStoreKind, conversation: Conversation, turn: number): Promise<void> {
    await this.latency.wait(MEDIAN_ROUND_TRIP_MS[kind], 0.3, 'session-save', kind, conversation.sessionId, turn);
    this.conversations.set(conversation.sessionId, [...conversation.messages]);
  }

  /** Forgets a finished session so a long demo run keeps its memory flat. */
  forget(sessionId: string): void {
    this.conversations.delete(sessionId);
  }
}
