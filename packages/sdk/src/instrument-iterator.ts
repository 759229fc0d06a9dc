/**
 * An async iterator that forwards `next`, `return` and `throw` to the source iterator and tells
 * the recording what passes: chunks go through untouched (the same objects), errors are rethrown
 * as the same objects, and the span ends exactly once — on completion, on error, or when the
 * consumer stops early (`break` calls `return`). Calling `return` twice is safe.
 */
import type { StreamRecording } from './stream-recording.js';

export function instrumentIterator<T>(source: AsyncIterator<T>, recording: StreamRecording): AsyncIterableIterator<T> {
  const settle = (result: IteratorResult<T>): IteratorResult<T> => {
    if (result.done) recording.finish({ kind: 'complete' });
    else recording.observe(result.value);
    return result;
  };
  const fail = (error: unknown): never => {
    recording.finish({ kind: 'error', error });
    throw error;
  };
  const iterator: AsyncIterableIterator<T> = {
    next(...args: [] | [unknown]) {
      recording.consumed = true;
      return source.next(...args).then(settle, fail);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  iterator.return = (value?: any) => {
    recording.consumed = true;
    if (typeof source.return !== 'function') {
      recording.finish({ kind: 'cancel' });
      return Promise.resolve({ done: true, value } as IteratorResult<T>);
    }
    return source.return(value).then((result) => {
      recording.finish({ kind: 'cancel' });
      return result;
    }, fail);
  };
  iterator.throw = (error?: unknown) => {
    recording.consumed = true;
    if (typeof source.throw !== 'function') {
      recording.finish({ kind: 'error', error });
      return Promise.reject(error);
    }
    return source.throw(error).then(settle, fail);
  };
  return iterator;
}
