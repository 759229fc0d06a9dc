/**
 * What `llm.stream` returns when the caller's function returns a promise of a stream (as
 * `client.chat.completions.create({ stream: true })` does): an async iterator that awaits the
 * promise on the first pull and then reads the instrumented stream. The span already watches the
 * promise, so a failed request ends it with an error even if nobody iterates.
 * A second `for await` reads the stream a second time, as `for await (… of await promise)` would.
 */
export function deferredStream(pending: PromiseLike<unknown>, streamed: { value?: unknown }): AsyncIterableIterator<unknown> {
  const open = (): Promise<AsyncIterator<unknown>> =>
    Promise.resolve(pending).then((value) => {
      const target = (streamed.value ?? value) as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> } | null | undefined;
      const iterate = target?.[Symbol.asyncIterator];
      if (typeof iterate !== 'function') throw new TypeError('llm.stream: the function did not return an async iterable or ReadableStream');
      return iterate.call(target);
    });
  const deferred = (): AsyncIterableIterator<unknown> => {
    let iterator: Promise<AsyncIterator<unknown>> | undefined;
    const current = () => (iterator ??= open());
    const self: AsyncIterableIterator<unknown> = {
      next: (...args: [] | [unknown]) => current().then((source) => source.next(...args)),
      return: (value?: unknown) =>
        current().then((source) => (typeof source.return === 'function' ? source.return(value) : { done: true as const, value })),
      throw: (error?: unknown) =>
        current().then((source) => {
          if (typeof source.throw === 'function') return source.throw(error);
          throw error;
        }),
      [Symbol.asyncIterator]: () => self,
    };
    return self;
  };
  const primary = deferred();
  let iterations = 0;
  return {
    next: primary.next,
    return: primary.return,
    throw: primary.throw,
    [Symbol.asyncIterator]() {
      iterations++;
      return iterations === 1 ? primary : deferred();
    },
  };
}
