/**
 * Instrumentation failures never reach user code: a tracer that throws, spans whose every method
 * throws, a throwing redact hook and chunks that explode when read all leave the user's values,
 * errors and streams exactly as they would be without the SDK.
 */
import { diag, DiagLogLevel, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { configureSdk, llm, resetSdkConfig, state, task, tool } from '@threshold/sdk';

const broken = (): never => {
  throw new Error('telemetry is broken');
};

const throwingTracerProvider: TracerProvider = {
  getTracer: () => ({ startSpan: broken, startActiveSpan: broken }) as unknown as Tracer,
};

const throwingSpan = new Proxy({}, { get: () => broken }) as Span;
const brokenSpanProvider: TracerProvider = {
  getTracer: () => ({ startSpan: () => throwingSpan, startActiveSpan: broken }) as unknown as Tracer,
};

const logged: string[] = [];
beforeEach(() => {
  logged.length = 0;
  diag.setLogger(
    { error: (m) => logged.push(m), warn: (m) => logged.push(m), info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
});
afterEach(() => resetSdkConfig());

/** An agent exercising every wrapper; returns what it computed. */
async function agent(): Promise<unknown[]> {
  const error = new Error('tool failed');
  return task('agent', { taskClass: 'simple' }, async (t) => {
    const session = await state.load('session', async () => ({ id: 's1' }));
    const answer = await llm.call({ model: 'm' }, async () => ({
      object: 'chat.completion',
      choices: [{ message: { content: 'hi' } }],
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    }));
    const chunks: unknown[] = [];
    for await (const chunk of llm.stream({ model: 'm' }, async function* () {
      yield 'a';
      yield 'b';
    }))
      chunks.push(chunk);
    t.firstOutput();
    const caught = await tool('fails', { args: { q: 1 } }, async () => {
      throw error;
    }).catch((thrown: unknown) => thrown);
    return [session, answer, chunks, caught === error];
  });
}

const expected = [
  { id: 's1' },
  { object: 'chat.completion', choices: [{ message: { content: 'hi' } }], usage: { prompt_tokens: 1, completion_tokens: 1 } },
  ['a', 'b'],
  true,
];

it('runs the agent unchanged when the tracer throws on every span start', async () => {
  configureSdk({ tracerProvider: throwingTracerProvider });
  expect(await agent()).toEqual(expected);
  expect(logged.length).toBe(1);
});

it('runs the agent unchanged when every span method throws', async () => {
  configureSdk({ tracerProvider: brokenSpanProvider });
  expect(await agent()).toEqual(expected);
});

it('logs each failing telemetry step once, however often it fails', async () => {
  configureSdk({ tracerProvider: brokenSpanProvider });
  await agent();
  const afterOne = logged.length;
  await agent();
  await agent();
  expect(logged.length).toBe(afterOne);
});

it('ignores a redact hook that throws', async () => {
  configureSdk({ captureContent: true, redact: broken });
  expect(await agent()).toEqual(expected);
});

it('forwards chunks that throw when read, untouched', async () => {
  const exploding = new Proxy({}, { get: broken, has: broken, ownKeys: broken });
  // A hand-written iterator: an async generator would itself await (and so read) the yielded value.
  let sent = false;
  const source: AsyncIterator<unknown> & AsyncIterable<unknown> = {
    next: async () => (sent ? { done: true, value: undefined } : ((sent = true), { done: false, value: exploding })),
    [Symbol.asyncIterator]: () => source,
  };
  const seen: unknown[] = [];
  for await (const chunk of llm.stream({ model: 'm' }, () => source)) seen.push(chunk);
  expect(seen).toHaveLength(1);
  expect(seen[0]).toBe(exploding);
});
