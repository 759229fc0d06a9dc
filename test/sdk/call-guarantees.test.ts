/**
 * Issue 3's guarantees for wrapped functions, each by name: the user's function is called exactly
 * once with the same `this` and arguments, the same value (the same promise object) comes back,
 * the same error object is rethrown, and the span ends exactly once on every path.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { llm, orchestration, state, task, tool } from '@threshold/sdk';
import { captureSpans } from './support/span-capture.js';

const capture = captureSpans();
afterEach(() => capture.reset());

/** Every span ended exactly once: one export per span id, and OpenTelemetry never refused an end. */
function expectEachSpanEndedOnce(): void {
  const ids = capture.spans().map((span) => span.spanContext().spanId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(capture.diagnostics.filter((message) => /end/i.test(message))).toEqual([]);
}

describe('the user function is called exactly once with the same this and arguments', () => {
  const wrappers = {
    'tool.wrap': <A extends unknown[], R>(fn: (...args: A) => R) => tool.wrap('lookup', fn),
    'llm.wrap': <A extends unknown[], R>(fn: (...args: A) => R) => llm.wrap({ model: 'm', provider: 'openai' }, fn),
    'task.wrap': <A extends unknown[], R>(fn: (...args: A) => R) => task.wrap('answer', {}, fn),
  };
  for (const [name, wrap] of Object.entries(wrappers)) {
    it(`${name} forwards this and every argument, once`, () => {
      const calls: Array<{ self: unknown; args: unknown[] }> = [];
      const owner = {
        method: wrap(function (this: unknown, ...args: unknown[]) {
          calls.push({ self: this, args });
          return 'done';
        }),
      };
      const argument = { query: 'refund' };
      expect(owner.method(argument, 2, undefined)).toBe('done');
      expect(calls).toEqual([{ self: owner, args: [argument, 2, undefined] }]);
      expect(calls[0]!.args[0]).toBe(argument);
      expectEachSpanEndedOnce();
    });
  }

  it('task, tool, llm.call, state and orchestration call their function once', async () => {
    let count = 0;
    const work = async () => ++count;
    await task('t', async () => {
      await tool('x', work);
      await llm.call({ model: 'm' }, work);
      await state.load('session', work);
      await orchestration.queue('pool', work);
    });
    expect(count).toBe(4);
    expect(capture.spans()).toHaveLength(5);
  });
});

describe('the same value is returned', () => {
  it('returns the very promise object the function returned, and the value it resolves to', async () => {
    const value = { answer: 42 };
    const promise = Promise.resolve(value);
    const returned = tool('x', () => promise);
    expect(returned).toBe(promise);
    expect(await returned).toBe(value);
  });

  it('returns synchronous values as they are', () => {
    const value = { answer: 42 };
    expect(state.save('session', () => value)).toBe(value);
    expect(orchestration.route('router', () => undefined)).toBe(undefined);
  });

  it('keeps a Promise subclass and its extra methods', async () => {
    class QueryPromise<T> extends Promise<T> {
      rows(): string {
        return 'rows';
      }
    }
    const promise = new QueryPromise<number>((resolve) => resolve(7));
    const returned = state.retrieve('memory', () => promise);
    expect(returned).toBe(promise);
    expect(returned.rows()).toBe('rows');
    expect(await returned).toBe(7);
  });

  it('runs a lazy thenable exactly once and resolves to its value', async () => {
    let runs = 0;
    const lazy = { then: (resolve: (value: string) => void) => resolve(`run ${++runs}`) };
    const returned = tool('db', () => lazy) as unknown as Promise<string>;
    expect(await returned).toBe('run 1');
    expect(runs).toBe(1);
  });

  it('ends an async span when the promise settles, before the caller continues', async () => {
    let resolve!: (value: string) => void;
    const pending = new Promise<string>((settle) => (resolve = settle));
    const returned = tool('slow', () => pending);
    expect(capture.spans()).toHaveLength(0);
    resolve('ok');
    await returned;
    expect(capture.spans().map((span) => span.name)).toEqual(['execute_tool slow']);
  });
});

describe('the same error object is rethrown', () => {
  it('rethrows a synchronous throw and marks the span failed', () => {
    const error = new RangeError('bad input');
    let caught: unknown;
    try {
      tool('x', () => {
        throw error;
      });
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught).toBe(error);
    const span = capture.span('execute_tool x');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad input' });
    expect(span.attributes['error.type']).toBe('RangeError');
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('rejects with the same error object and marks the span failed', async () => {
    const error = new Error('timeout');
    const caught = await llm.call({ model: 'm' }, () => Promise.reject(error)).catch((thrown: unknown) => thrown);
    expect(caught).toBe(error);
    expect(capture.span('chat m').status.code).toBe(SpanStatusCode.ERROR);
  });

  it('rethrows non-Error values as they are', async () => {
    const thrown = await task('t', async () => {
      throw 'plain string';
    }).catch((value: unknown) => value);
    expect(thrown).toBe('plain string');
    expect(capture.span('invoke_agent t').attributes['error.type']).toBe('string');
  });
});

describe('the span ends exactly once in every path', () => {
  it('ends once for sync values, sync throws, resolutions and rejections', async () => {
    tool('a', () => 1);
    expect(() =>
      tool('b', () => {
        throw new Error('b');
      }),
    ).toThrow(new Error('b'));
    await tool('c', async () => 1);
    await tool('d', async () => Promise.reject(new Error('d'))).catch(() => {});
    expect(
      capture
        .spans()
        .map((span) => span.name)
        .sort(),
    ).toEqual(['execute_tool a', 'execute_tool b', 'execute_tool c', 'execute_tool d']);
    expectEachSpanEndedOnce();
  });
});
