/**
 * A started span plus the bookkeeping every wrapper needs: the context to run user code in, a
 * monotonic start time for TTFT, and an `end` that takes effect exactly once whichever path
 * (value, error, early break, cancel, garbage collection, shutdown) gets there first.
 *
 * Timestamps are given explicitly, from the monotonic clock (`performance.timeOrigin +
 * performance.now()`, sub-millisecond): left to itself OpenTelemetry JS starts each span at
 * `Date.now()`, a whole millisecond, so a child can appear to start before — or end after — its
 * parent, and a breakdown built on those times loses up to a millisecond per span.
 */
import { type Attributes, type Context, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { guard, reportOnce } from './guard.js';
import { ERROR_TYPE } from './semantic-attributes.js';
import { sdkTracer } from './sdk-config.js';

/** `performance.timeOrigin` read once: it is constant, and its getter is not free. */
const TIME_ORIGIN_MS = performance.timeOrigin;

/** Now as epoch milliseconds with sub-millisecond precision, from the monotonic clock. */
export function epochNowMs(): number {
  return TIME_ORIGIN_MS + performance.now();
}

/** The error's class name (`RateLimitError`), falling back to its `name`. */
function errorType(error: Error): string {
  const className = error.constructor?.name;
  return className !== undefined && className !== '' && className !== 'Error' ? className : error.name || 'Error';
}

/**
 * Spans handed to a stream, which may outlive any await in user code; `shutdown` ends those still
 * open so nothing is lost at exit. (Plain calls are not tracked: a Set entry per call would cost
 * more than the rest of the wrapper.)
 */
const openStreamHandles = new Set<SpanHandle>();

export class SpanHandle {
  /** The OpenTelemetry span. */
  readonly span: Span;
  /** The active context with this span, for running user code. */
  context: Context;
  /** `performance.now()` when the span started (the origin of TTFT). */
  readonly startedAtMs: number;
  /** Whether `end` has run. */
  ended = false;

  constructor(span: Span, parent: Context, startedAtMs: number) {
    this.span = span;
    this.context = trace.setSpan(parent, span);
    this.startedAtMs = startedAtMs;
  }

  /** Keeps this span on the list `shutdown` ends: a stream now owns it. */
  trackUntilEnd(): void {
    if (!this.ended) openStreamHandles.add(this);
  }

  /** Marks the span failed with `error` (status, exception event, `error.type`). */
  fail(error: unknown): void {
    if (this.ended) return;
    guard('recording an error', () => {
      const isError = error instanceof Error;
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: isError ? error.message : String(error) });
      this.span.setAttribute(ERROR_TYPE, isError ? errorType(error) : typeof error);
      if (isError) this.span.recordException(error, epochNowMs());
    });
  }

  /** Ends the span once (now, or at `endTimeMs`, epoch ms); later calls do nothing. */
  end(endTimeMs?: number): void {
    if (this.ended) return;
    this.ended = true;
    openStreamHandles.delete(this);
    try {
      this.span.end(endTimeMs ?? epochNowMs());
    } catch (error) {
      reportOnce('ending a span', error);
    }
  }
}

/** Starts a span under the active context; undefined if the tracer fails. */
export function startSpan(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  parent: Context = context.active(),
): SpanHandle | undefined {
  try {
    const startedAtMs = performance.now();
    const startTime = TIME_ORIGIN_MS + startedAtMs;
    return new SpanHandle(sdkTracer().startSpan(name, { kind, attributes, startTime }, parent), parent, startedAtMs);
  } catch (error) {
    reportOnce('starting a span', error);
    return undefined;
  }
}

/** Ends every span still open (streams never consumed, calls still pending) — used at shutdown. */
export function endOpenSpans(): void {
  for (const handle of [...openStreamHandles]) handle.end();
}

export { SpanKind };
