/**
 * An export as the OpenTelemetry exporters make it (`@opentelemetry/otlp-exporter-base`'s
 * retrying transport): a refusal (429, 502, 503, 504) or a failed connection is retried after the
 * `Retry-After` the collector asked for (without one: a backoff from 1 s, ×1.5, ±20 %, at most
 * 5 s), up to 5 retries, and only while the retry still fits in the export's timeout (10 s by
 * default); past that the batch is dropped. Benchmarks that claim to honour backpressure "like an
 * exporter" send through this, so the refusals they count are the ones a real sender would see
 * and the spans they drop are the ones a real sender would drop.
 */
import { postExport } from './_loopback.mjs';

/** The exporters' defaults. */
export const EXPORT_TIMEOUT_MS = 10_000;
const MAX_RETRIES = 5;
const RETRYABLE = new Set([429, 502, 503, 504]);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Counts of what the collector answered (`200`, `429`, `503`, `error ECONNRESET`, …) and how
 * the exports ended (`acked`, `dropped`: retries exhausted or out of time, `rejected`: an answer
 * not worth retrying), shared by every export of a phase.
 */
export class ExportTally {
  answers = new Map();
  acked = 0;
  dropped = 0;
  rejected = 0;
  /** Slowest single answer, ms. */
  slowestAnswerMs = 0;

  answered(status, tookMs) {
    this.answers.set(status, (this.answers.get(status) ?? 0) + 1);
    this.slowestAnswerMs = Math.max(this.slowestAnswerMs, tookMs);
  }

  /** 429 and 503 answers together: the refusals that ask the sender to slow down. */
  get refusals() {
    return (this.answers.get(429) ?? 0) + (this.answers.get(503) ?? 0);
  }

  toJSON() {
    return {
      answers: Object.fromEntries(this.answers),
      acked: this.acked,
      dropped: this.dropped,
      rejected: this.rejected,
      slowestAnswerMs: Math.round(this.slowestAnswerMs),
    };
  }
}

/**
 * Sends `body` until it is acknowledged or the exporter would give up; no retry is started after
 * `stopAtMs` (performance.now() time), as an exporter shut down with the load. Resolves with the
 * time of the acknowledgement (performance.now()), or undefined when the batch was not acknowledged.
 */
export async function exportWithRetries(agent, port, body, tally, stopAtMs = Infinity) {
  const giveUpAt = Math.min(performance.now() + EXPORT_TIMEOUT_MS, stopAtMs);
  let backoffMs = 1_000;
  for (let retries = 0; ; retries++) {
    const sentAt = performance.now();
    let answer;
    try {
      answer = await postExport(agent, port, body);
    } catch (error) {
      answer = { status: `error ${error.code ?? error.message}`, retryAfterS: undefined, failed: true };
    }
    const answeredAt = performance.now();
    tally.answered(answer.status, answeredAt - sentAt);
    if (answer.status === 200) {
      tally.acked++;
      return answeredAt;
    }
    if (!answer.failed && !RETRYABLE.has(answer.status)) {
      tally.rejected++;
      return undefined;
    }
    const waitMs = answer.retryAfterS !== undefined ? answer.retryAfterS * 1000 : Math.min(backoffMs * (0.8 + Math.random() * 0.4), 5_000);
    backoffMs *= 1.5;
    if (retries >= MAX_RETRIES || answeredAt + waitMs > giveUpAt) {
      tally.dropped++;
      return undefined;
    }
    await sleep(waitMs);
  }
}
