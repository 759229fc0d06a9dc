/**
 * Latencies of the simulated world (tools, stores, queues, think time). Each delay is drawn from a
 * random stream keyed by what is being done (`'web_search', query, sessionId, turn`), not from a
 * shared stream, so the same seed gives the same delay to the same call however the concurrent
 * users happen to interleave. `timeScale` shrinks every delay alike (tests run at 0.3).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createSeededRandom, deriveSeed } from './seeded-random.js';

export class SimulatedLatency {
  constructor(
    private readonly seed: number,
    /** Multiplier on every simulated delay; 1 is real time. */
    readonly timeScale: number,
  ) {}

  /** The unscaled delay for a call: log-normal around `medianMs`, fixed by `key`. */
  sampleMs(medianMs: number, spread: number, ...key: Array<string | number>): number {
    return createSeededRandom(deriveSeed(this.seed, ...key)).latencyMs(medianMs, spread);
  }

  /** Waits the scaled delay for a call; resolves with the unscaled ms it stood for. */
  async wait(medianMs: number, spread: number, ...key: Array<string | number>): Promise<number> {
    const delayMs = this.sampleMs(medianMs, spread, ...key);
    await this.sleepMs(delayMs);
    return delayMs;
  }

  /** Sleeps `delayMs` of simulated time (scaled). */
  async sleepMs(delayMs: number): Promise<void> {
    const scaledMs = delayMs * this.timeScale;
    if (scaledMs >= 1) await sleep(scaledMs);
  }
}
