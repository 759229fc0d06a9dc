/**
 * Watching a promise settle without changing what the caller gets.
 *
 * Native promises (and subclasses) are returned as the very same object: the SDK attaches its own
 * handlers, registered before the caller's, so the span ends before the caller's continuation
 * runs. One difference is unavoidable: a rejection the caller never handles is now handled by the
 * SDK's observer, so Node no longer reports it as unhandled.
 *
 * Stainless API promises (`openai`, `@anthropic-ai/sdk`) parse the body lazily, when first awaited;
 * calling their `.then` would consume the body and break `.asResponse()`. They are observed through
 * their own `responsePromise` and `parseResponse` instead, so `.asResponse()`, `.withResponse()` and
 * plain `await` all behave as before.
 *
 * Other thenables (query builders that run on `.then`) are settled once by the SDK and a native
 * promise with the same outcome is returned, so the underlying work still runs exactly once.
 */
import { guard, reportOnce } from './guard.js';

/** What to do when the watched work settles. */
export interface SettleObserver {
  /** The value (for API promises: the parsed body, available once the caller parses). */
  onValue(value: unknown): void;
  /** The error, as thrown. */
  onError(error: unknown): void;
  /** A Stainless API promise whose body the caller never parsed (`.asResponse()`): headers arrived. */
  onUnparsedResponse?(): void;
}

interface StainlessApiPromise {
  responsePromise: Promise<unknown>;
  parseResponse: (client: unknown, props: unknown) => unknown;
  parsedPromise?: unknown;
  asResponse: () => unknown;
}

/** Whether `value` is a Stainless-generated API promise (openai, @anthropic-ai/sdk). */
export function isStainlessApiPromise(value: unknown): value is StainlessApiPromise {
  if (!(value instanceof Promise) || value.constructor === Promise) return false;
  const candidate = value as unknown as Partial<StainlessApiPromise>;
  return (
    typeof candidate.parseResponse === 'function' &&
    typeof candidate.asResponse === 'function' &&
    candidate.responsePromise instanceof Promise
  );
}

/** Whether `value` is a thenable (not necessarily a native promise). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Hands the outcome to the observer; an observer failure is reported, never thrown. */
function settleSafely(observer: SettleObserver, fulfilled: boolean, outcome: unknown): void {
  try {
    if (fulfilled) observer.onValue(outcome);
    else observer.onError(outcome);
  } catch (error) {
    reportOnce('observing a result', error);
  }
}

function watchStainless(promise: StainlessApiPromise, observer: SettleObserver): void {
  const originalParse = promise.parseResponse;
  let parseStarted = false;
  promise.parseResponse = function parseResponseObserved(this: unknown, client: unknown, props: unknown) {
    parseStarted = true;
    const parsed = originalParse.call(this, client, props);
    return Promise.resolve(parsed).then(
      (value) => {
        guard('observing a parsed response', () => observer.onValue(value));
        return value;
      },
      (error: unknown) => {
        guard('observing a parse error', () => observer.onError(error));
        throw error;
      },
    );
  };
  promise.responsePromise.then(
    () => {
      // The caller parses right after creating the request in every ordinary use (`await`,
      // `.withResponse()`, stream helpers). If nothing asked to parse by the time headers are in
      // and the current I/O callbacks have run, the caller took the raw `Response`.
      setImmediate(() => {
        if (!parseStarted) guard('observing a raw response', () => observer.onUnparsedResponse?.());
      });
    },
    (error: unknown) => guard('observing a failed request', () => observer.onError(error)),
  );
}

/**
 * Watches `value` if it is asynchronous and returns what the caller should get: the same object
 * for promises, a native promise for foreign thenables. Returns undefined when `value` is not
 * asynchronous (the caller then handles it as a plain value).
 */
export function observeAsync(value: unknown, observer: SettleObserver): { returned: unknown } | undefined {
  if (value instanceof Promise) {
    if (isStainlessApiPromise(value)) {
      watchStainless(value, observer);
      return { returned: value };
    }
    value.then(
      (settled) => settleSafely(observer, true, settled),
      (error: unknown) => settleSafely(observer, false, error),
    );
    return { returned: value };
  }
  if (!isThenable(value)) return undefined;
  const onValue = (settled: unknown) => settleSafely(observer, true, settled);
  const onError = (error: unknown) => settleSafely(observer, false, error);
  const settled = new Promise((resolve, reject) => {
    value.then(resolve, reject);
  });
  settled.then(onValue, onError);
  return { returned: settled };
}
