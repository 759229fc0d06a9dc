/**
 * Context propagates as users expect: across `await`, into parallel tools under `Promise.all`
 * (each tool's parent is the task, never a sibling), and through timers.
 */
import { afterEach, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { llm, state, task, tool } from '@threshold/sdk';
import { captureSpans } from './support/span-capture.js';

const capture = captureSpans();
afterEach(() => capture.reset());

function parentOf(name: string): string | undefined {
  const span = capture.span(name);
  const parentId = span.parentSpanContext?.spanId;
  return capture.spans().find((candidate) => candidate.spanContext().spanId === parentId)?.name;
}

it('keeps the task as parent across awaits', async () => {
  await task('agent', async () => {
    await state.load('session', async () => sleep(2));
    await sleep(1);
    await llm.call({ model: 'm' }, async () => {
      await sleep(1);
      return tool('nested', async () => 1);
    });
  });
  expect(parentOf('state.load session')).toBe('invoke_agent agent');
  expect(parentOf('chat m')).toBe('invoke_agent agent');
  expect(parentOf('execute_tool nested')).toBe('chat m');
  expect(capture.span('invoke_agent agent').parentSpanContext).toBeUndefined();
});

it('gives parallel tools under Promise.all the task as parent, not each other', async () => {
  await task('agent', async () => {
    await Promise.all([
      tool('weather', async () => sleep(5)),
      tool('calendar', async () => sleep(1)),
      tool('search', async () => {
        await sleep(3);
        return tool('search.fetch', async () => sleep(1));
      }),
    ]);
  });
  expect(parentOf('execute_tool weather')).toBe('invoke_agent agent');
  expect(parentOf('execute_tool calendar')).toBe('invoke_agent agent');
  expect(parentOf('execute_tool search')).toBe('invoke_agent agent');
  expect(parentOf('execute_tool search.fetch')).toBe('execute_tool search');
  const traceIds = new Set(capture.spans().map((span) => span.spanContext().traceId));
  expect(traceIds.size).toBe(1);
});

it('carries the context into setTimeout, setImmediate and queueMicrotask callbacks', async () => {
  await task('agent', async () => {
    await new Promise<void>((resolve) => setTimeout(() => tool('from-timeout', () => resolve()), 2));
    await new Promise<void>((resolve) => setImmediate(() => tool('from-immediate', () => resolve())));
    await new Promise<void>((resolve) => queueMicrotask(() => tool('from-microtask', () => resolve())));
  });
  expect(parentOf('execute_tool from-timeout')).toBe('invoke_agent agent');
  expect(parentOf('execute_tool from-immediate')).toBe('invoke_agent agent');
  expect(parentOf('execute_tool from-microtask')).toBe('invoke_agent agent');
});

it('starts separate traces for separate tasks running concurrently', async () => {
  await Promise.all([
    task('first', async () => tool('a', async () => sleep(2))),
    task('second', async () => tool('b', async () => sleep(1))),
  ]);
  expect(parentOf('execute_tool a')).toBe('invoke_agent first');
  expect(parentOf('execute_tool b')).toBe('invoke_agent second');
  expect(capture.span('invoke_agent first').spanContext().traceId).not.toBe(capture.span('invoke_agent second').spanContext().traceId);
});
