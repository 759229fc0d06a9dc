/**
 * The task span — the root of an agent's work for one user request (`invoke_agent`). Carries the
 * task class, budget, session and turn, and the `threshold.first_output` event marking when the
 * user first saw output (their perceived latency).
 */
import { type Attributes, context, createContextKey, type Span } from '@opentelemetry/api';
import { guard } from './guard.js';
import { runInSpan } from './run-in-span.js';
import {
  GEN_AI_AGENT_NAME,
  GEN_AI_CONVERSATION_ID,
  GEN_AI_OPERATION_NAME,
  THRESHOLD_CATEGORY,
  THRESHOLD_FIRST_OUTPUT_EVENT,
  THRESHOLD_TASK_BUDGET_MS,
  THRESHOLD_TASK_CLASS,
  THRESHOLD_TURN,
} from './semantic-attributes.js';
import { epochNowMs, type SpanHandle, SpanKind, startSpan } from './span-handle.js';

/** Describes one agent task. */
export interface TaskOptions {
  /** Task class for budgets and P99 grouping, e.g. `simple`, `complex`. */
  taskClass?: string;
  /** P99 latency budget for this task, in milliseconds. */
  budgetMs?: number;
  /** Conversation / session id (`gen_ai.conversation.id`). */
  sessionId?: string;
  /** Turn number within the session. */
  turn?: number;
  /** Extra span attributes. */
  attributes?: Attributes;
}

/** Handle given to the task's function. */
export interface TaskHandle {
  /** Records that the user now sees output (first call only). */
  firstOutput(): void;
  /** The task's span, for custom attributes or events. */
  readonly span: Span | undefined;
}

const TASK_KEY = createContextKey('threshold.task');

class ActiveTask implements TaskHandle {
  private marked = false;
  constructor(private readonly handle: SpanHandle | undefined) {}
  get span(): Span | undefined {
    return this.handle?.span;
  }
  firstOutput(): void {
    if (this.marked || this.handle === undefined || this.handle.ended) return;
    this.marked = true;
    guard('marking first output', () => this.handle!.span.addEvent(THRESHOLD_FIRST_OUTPUT_EVENT, epochNowMs()));
  }
}

function taskAttributes(name: string, options: TaskOptions): Attributes {
  const attributes: Attributes = {
    [GEN_AI_OPERATION_NAME]: 'invoke_agent',
    [GEN_AI_AGENT_NAME]: name,
    [THRESHOLD_CATEGORY]: 'task',
    ...options.attributes,
  };
  if (options.taskClass !== undefined) attributes[THRESHOLD_TASK_CLASS] = options.taskClass;
  if (options.budgetMs !== undefined) attributes[THRESHOLD_TASK_BUDGET_MS] = options.budgetMs;
  if (options.sessionId !== undefined) attributes[GEN_AI_CONVERSATION_ID] = options.sessionId;
  if (options.turn !== undefined) attributes[THRESHOLD_TURN] = options.turn;
  return attributes;
}

function startTask(name: string, options: TaskOptions): { handle: SpanHandle | undefined; task: ActiveTask } {
  const handle = startSpan(`invoke_agent ${name}`, SpanKind.INTERNAL, taskAttributes(name, options));
  const task = new ActiveTask(handle);
  if (handle !== undefined) {
    guard('tracking the task', () => {
      handle.context = handle.context.setValue(TASK_KEY, task);
    });
  }
  return { handle, task };
}

/** Runs `fn(task)` as an agent task. */
function runTask<Result>(name: string, options: TaskOptions, fn: (task: TaskHandle) => Result): Result;
function runTask<Result>(name: string, fn: (task: TaskHandle) => Result): Result;
function runTask<Result>(
  name: string,
  optionsOrFn: TaskOptions | ((task: TaskHandle) => Result),
  maybeFn?: (task: TaskHandle) => Result,
): Result {
  const fn = (typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn) as (task: TaskHandle) => Result;
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
  const { handle, task } = startTask(name, options);
  return runInSpan(handle, fn, undefined, [task]);
}

/** A function that runs `fn` (same `this`, same arguments) as an agent task. */
function wrap<Args extends unknown[], Result>(
  name: string,
  options: TaskOptions,
  fn: (...args: Args) => Result,
): (...args: Args) => Result {
  return function taskWrapped(this: unknown, ...args: Args): Result {
    return runInSpan(startTask(name, options).handle, fn, this, args);
  };
}

/** Marks first output on the task running in the current context, if any (for deep code). */
export function firstOutput(): void {
  guard('marking first output', () => {
    const task = context.active().getValue(TASK_KEY) as ActiveTask | undefined;
    task?.firstOutput();
  });
}

/** Agent task instrumentation: `task(name, options?, fn)`, `task.wrap(name, options, fn)`. */
export const task = Object.assign(runTask, { wrap });
