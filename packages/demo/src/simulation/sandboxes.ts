/**
 * The coding agent's sandboxes: a pool of a few machines shared by every user (waiting for one is
 * a queue wait), a container that cold-starts in 1.5–3 s the first time a session needs it and
 * resumes in ~60 ms afterwards (the pre-warm recommendation's evidence), and test runs of 0.8–2 s.
 */
import type { SimulatedLatency } from './simulated-latency.js';
import { SlotPool } from './slot-pool.js';

export interface TestRun {
  passed: number;
  failed: number;
}

export class Sandboxes {
  private readonly pool: SlotPool;
  private readonly warmSessions = new Set<string>();

  constructor(
    private readonly latency: SimulatedLatency,
    poolSize: number,
  ) {
    this.pool = new SlotPool(poolSize);
  }

  /** Waits for a free machine; the returned function gives it back. */
  acquireSlot(): Promise<() => void> {
    return this.pool.acquire();
  }

  /** True when the session's container would have to cold-start. */
  isCold(sessionId: string): boolean {
    return !this.warmSessions.has(sessionId);
  }

  /** Starts (cold) or resumes (warm) the session's container. */
  async start(sessionId: string, turn: number): Promise<{ coldStart: boolean }> {
    const coldStart = this.isCold(sessionId);
    await this.latency.wait(coldStart ? 2_200 : 60, 0.25, 'sandbox-start', coldStart ? 'cold' : 'warm', sessionId, turn);
    this.warmSessions.add(sessionId);
    return { coldStart };
  }

  async runTests(sessionId: string, turn: number, attempt: number, failing: number): Promise<TestRun> {
    await this.latency.wait(1_200, 0.3, 'run-tests', sessionId, turn, attempt);
    return { passed: 48 - failing, failed: failing };
  }

  /** Lets a finished session's container go. */
  retire(sessionId: string): void {
    this.warmSessions.delete(sessionId);
  }
}
