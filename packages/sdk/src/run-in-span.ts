/**
 * The one way user code runs inside a span: called exactly once with its own `this` and
 * arguments, inside the span's context; its value returned as is (the same promise object); its
 * error rethrown as the same object; the span ended exactly once — in `finally` for synchronous
 * work, when the promise settles for asynchronous work, or later by a stream that keeps it open.
 */
import { context } from '@opentelemetry/api';
import { reportOnce } from './guard.js';
import { observeAsync, type SettleObserver } from './observe-promise.js';
import type { SpanHandle } from './span-handle.js';

/**
 * Records what the work produced on the span. Returns true when the value (a stream) now owns the
 * span and will end it; otherwise the span ends right after.
 */
export type ValueRecorder = (handle: SpanHandle, value: unknown) => boolean | void;

function recordValue(record: ValueRecorder | undefined, handle: SpanHandle, value: unknown): boolean {
  if (record === undefined) return false;
  try {
    return record(handle, value) === true;
  } catch (error) {
    reportOnce('recording a result', error);
    return false;
  }
}

/** Settlement handlers of one call, as a class so a call allocates one object, not four closures. */
class Settlement implements SettleObserver {
  constructor(
    private readonly handle: SpanHandle,
    private readonly record: ValueRecorder | undefined,
  ) {}
  onValue(value: unknown): void {
    if (!recordValue(this.record, this.handle, value)) this.handle.end();
  }
  onError(error: unknown): void {
    this.handle.fail(error);
    this.handle.end();
  }
  onUnparsedResponse(): void {
    this.handle.end();
  }
}

/** Calls `fn` with `thisArg` and `args` inside `handle`'s span (or bare when there is no span). */
export function runInSpan<Result>(
  handle: SpanHandle | undefined,
  fn: (...args: any[]) => Result,
  thisArg: unknown,
  args: readonly unknown[],
  record?: ValueRecorder,
): Result {
  if (handle === undefined) return Reflect.apply(fn, thisArg, args);
  let spanOwnedElsewhere = false;
  try {
    const result = context.with(handle.context, fn, thisArg, ...args);
    let observed: { returned: unknown } | undefined;
    try {
      observed = observeAsync(result, new Settlement(handle, record));
    } catch (error) {
      reportOnce('observing an asynchronous result', error);
    }
    if (observed !== undefined) {
      spanOwnedElsewhere = true;
      return observed.returned as Result;
    }
    spanOwnedElsewhere = recordValue(record, handle, result);
    return result;
  } catch (error) {
    handle.fail(error);
    throw error;
  } finally {
    if (!spanOwnedElsewhere) handle.end();
  }
}
