import { spanIdOf, traceIdOf, type JsonSpanPlan } from '../collector/otlp-json-body.js';

/**
 * 21 support tasks designed so that the window's P95 and P50 (R-7, h = 20 × q) fall exactly on a
 * task: P95 is the 20th fastest, P50 the 11th. Ms after each task's start:
 *
 *   typical and middle tasks (s = 100…200 step 10, then 300…1000 step 100):
 *   task    |answer-ticket ..........................................| 900 + s
 *   state   |load session| 50
 *   llm          50 |chat gpt-4o| 350
 *   tool                   350 |search ·· s ··| 350 + s
 *   llm                                   350 + s |chat gpt-4o| 750 + s      then 150 of the task's own
 *
 *   tail A (3,900): the same with s = 3000, and a parallel `lookup` tool (350–1350) that ends
 *   before search does, so never on the critical path
 *   tail B (3,000): no state; chat 0–300, `rate-limit wait` (orchestration) 300–2300,
 *   search 2300–2500, chat 2500–2900, then 100 of the task's own
 *
 * Durations sorted: 1000…1100 (11 typical), 1200…1900 (8), 3000 (B), 3900 (A). So P95 = 3000:
 * the tail is {A, B}; P50 = 1100: the typical group is the eleven fastest.
 */
export interface DesignedTask {
  traceId: string;
  durationMs: number;
  spans: JsonSpanPlan[];
}

const TASK = { 'gen_ai.operation.name': 'invoke_agent', 'threshold.task.class': 'support-answer' };
const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' };
const search = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' };
const lookup = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' };
const loadSession = { 'threshold.category': 'state', 'threshold.state.operation': 'load' };
const rateLimit = { 'threshold.category': 'orchestration', 'threshold.orchestration.kind': 'rate_limit' };

function usualTask(n: number, searchMs: number, parallelLookup = false): DesignedTask {
  const traceId = traceIdOf(0x7a00 + n);
  const span = (k: number) => spanIdOf(0x7a00 * 16 + n * 16 + k);
  const end = 900 + searchMs;
  const spans: JsonSpanPlan[] = [
    { traceId, spanId: span(1), name: 'answer-ticket', startMs: 0, endMs: end, attributes: TASK },
    { traceId, spanId: span(2), parentSpanId: span(1), name: 'load session', startMs: 0, endMs: 50, attributes: loadSession },
    { traceId, spanId: span(3), parentSpanId: span(1), name: 'chat gpt-4o', startMs: 50, endMs: 350, attributes: chat },
    {
      traceId,
      spanId: span(4),
      parentSpanId: span(1),
      name: 'execute_tool search',
      startMs: 350,
      endMs: 350 + searchMs,
      attributes: search,
    },
    {
      traceId,
      spanId: span(5),
      parentSpanId: span(1),
      name: 'chat gpt-4o',
      startMs: 350 + searchMs,
      endMs: 750 + searchMs,
      attributes: chat,
    },
  ];
  if (parallelLookup)
    spans.push({
      traceId,
      spanId: span(6),
      parentSpanId: span(1),
      name: 'execute_tool lookup',
      startMs: 350,
      endMs: 1350,
      attributes: lookup,
    });
  return { traceId, durationMs: end, spans };
}

function rateLimitedTask(n: number): DesignedTask {
  const traceId = traceIdOf(0x7a00 + n);
  const span = (k: number) => spanIdOf(0x7a00 * 16 + n * 16 + k);
  return {
    traceId,
    durationMs: 3_000,
    spans: [
      { traceId, spanId: span(1), name: 'answer-ticket', startMs: 0, endMs: 3_000, attributes: TASK },
      { traceId, spanId: span(2), parentSpanId: span(1), name: 'chat gpt-4o', startMs: 0, endMs: 300, attributes: chat },
      { traceId, spanId: span(3), parentSpanId: span(1), name: 'rate-limit wait', startMs: 300, endMs: 2_300, attributes: rateLimit },
      { traceId, spanId: span(4), parentSpanId: span(1), name: 'execute_tool search', startMs: 2_300, endMs: 2_500, attributes: search },
      { traceId, spanId: span(5), parentSpanId: span(1), name: 'chat gpt-4o', startMs: 2_500, endMs: 2_900, attributes: chat },
    ],
  };
}

/** The 21 tasks, typical first; `tailA` and `tailB` are the two slowest. */
export function tailWorkload(): { tasks: DesignedTask[]; tailA: DesignedTask; tailB: DesignedTask } {
  const tasks: DesignedTask[] = [];
  for (let i = 0; i <= 10; i++) tasks.push(usualTask(i + 1, 100 + i * 10));
  for (let i = 0; i < 8; i++) tasks.push(usualTask(i + 12, 300 + i * 100));
  const tailA = usualTask(20, 3_000, true);
  const tailB = rateLimitedTask(21);
  tasks.push(tailB, tailA);
  return { tasks, tailA, tailB };
}
