/**
 * The one way user code runs inside a span: called exactly once with its own `this` and
 * arguments, inside the span's context; its value returned as is (the same promise object); its
 * error rethrown as the same object; the span ended exactly once — in `finally` for synchronous
 * work, when the promise settles for asynchronous work, or later by a stream that keeps it open.
 */
import { context } from '@opentelemetry/api';
import { guard } from './guard.js';
import { observeAsync } from './observe-promise.js';
import type { SpanHandle } from './span-handle.js';

/**
 * Records what the work produced on the span. Returns true when the value (a stream) now owns the
 * span and will end it; otherwise the span ends right after.
 */
export type ValueRecorder = (handle: SpanHandle, value: unknown) => boolean | void;

function recordValue(record: ValueRecorder | undefined, handle: SpanHandle, value: unknown): boolean {
  if (record === undefined) return false;
  let keepsSpan = false;
  guard('recording a result', () => {
    keepsSpan = record(handle, value) === true;
  });
  return keepsSpan;
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
    guard('observing an asynchronous result', () => {
      observed = observeAsync(result, {
        onValue: (value) => {
          if (!recordValue(record, handle, value)) handle.end();
        },
        onError: (error) => {
          handle.fail(error);
          handle.end();
        },
        onUnparsedResponse: () => handle.end(),
      });
    });
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
