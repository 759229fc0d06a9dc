/**
 * Puts a stream under an llm span's recording, keeping the caller's object where it can:
 * - `openai` / `@anthropic-ai/sdk` `Stream`s are instrumented in place (their `iterator` factory
 *   is wrapped), so the same object comes back with `.tee()`, `.toReadableStream()` and
 *   `.controller` intact, and every way of reading it goes through the recording;
 * - a `ReadableStream` comes back as a new ReadableStream forwarding the same chunks;
 * - an async iterator (e.g. an async generator) comes back as a forwarding iterator, and any
 *   other async iterable as an iterable whose first iteration is recorded.
 * Only the first iteration is recorded; later ones reach the source untouched, so a second
 * iteration behaves exactly as it would without the SDK (e.g. "stream already consumed").
 */
import { instrumentIterator } from './instrument-iterator.js';
import { instrumentReadableStream } from './instrument-readable-stream.js';
import { endWhenCollectedUnconsumed } from './never-consumed.js';
import type { StreamRecording } from './stream-recording.js';

interface StainlessStream {
  iterator: () => AsyncIterator<unknown>;
  controller: AbortController;
}

/** Whether `value` is an `openai` / `@anthropic-ai/sdk` `Stream`. */
export function isStainlessStream(value: unknown): value is StainlessStream {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Partial<StainlessStream>).iterator === 'function' &&
    (value as Partial<StainlessStream>).controller instanceof AbortController &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

function firstIterationRecorded<T>(open: () => AsyncIterator<T>, recording: StreamRecording): () => AsyncIterator<T> {
  let recorded = false;
  return () => {
    const iterator = open();
    if (recorded) return iterator;
    recorded = true;
    return instrumentIterator(iterator, recording);
  };
}

/** The instrumented form of `value`, or undefined when it is not a stream. */
export function instrumentStream(value: unknown, recording: StreamRecording): unknown {
  if (isStainlessStream(value)) {
    const original = value.iterator;
    value.iterator = firstIterationRecorded(() => original.call(value), recording);
    endWhenCollectedUnconsumed(value, recording);
    return value;
  }
  if (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) {
    const instrumented = instrumentReadableStream(value, recording);
    endWhenCollectedUnconsumed(instrumented, recording);
    return instrumented;
  }
  if (!isAsyncIterable(value)) return undefined;
  let instrumented: object;
  if (typeof (value as Partial<AsyncIterator<unknown>>).next === 'function') {
    instrumented = instrumentIterator(value as unknown as AsyncIterator<unknown>, recording);
  } else {
    const open = firstIterationRecorded(() => value[Symbol.asyncIterator](), recording);
    instrumented = { [Symbol.asyncIterator]: open };
  }
  endWhenCollectedUnconsumed(instrumented, recording);
  return instrumented;
}
