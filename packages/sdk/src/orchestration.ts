/**
 * Orchestration spans: routing decisions, queue waits, rate-limit waits, load balancing and
 * dispatch — 5–20 ms normally, spiking under load (docs/DESIGN.md), so they deserve their own bucket.
 */
import type { Attributes } from '@opentelemetry/api';
import { runInSpan } from './run-in-span.js';
import { THRESHOLD_CATEGORY, THRESHOLD_ORCHESTRATION_KIND } from './semantic-attributes.js';
import { SpanKind, startSpan } from './span-handle.js';

/** An orchestration step. */
export type OrchestrationKind = 'route' | 'queue' | 'rate_limit' | 'load_balance' | 'dispatch';

/** Options of an orchestration span. */
export interface OrchestrationOptions {
  /** Extra span attributes. */
  attributes?: Attributes;
}

function step(kind: OrchestrationKind) {
  return <Result>(name: string, fn: () => Result, options: OrchestrationOptions = {}): Result => {
    const handle = startSpan(`orchestration.${kind} ${name}`, SpanKind.INTERNAL, {
      [THRESHOLD_CATEGORY]: 'orchestration',
      [THRESHOLD_ORCHESTRATION_KIND]: kind,
      ...options.attributes,
    });
    return runInSpan(handle, fn, undefined, []);
  };
}

/** Orchestration instrumentation: `.route`, `.queue`, `.rateLimit`, `.loadBalance`, `.dispatch`. */
export const orchestration = {
  route: step('route'),
  queue: step('queue'),
  rateLimit: step('rate_limit'),
  loadBalance: step('load_balance'),
  dispatch: step('dispatch'),
};
