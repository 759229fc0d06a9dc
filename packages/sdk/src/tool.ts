/**
 * Tool spans (`execute_tool`): name, call id, a hash of the arguments so repeated calls are
 * detectable without recording the arguments, and whether the result came from a cache or paid
 * a cold start. Arguments and results are recorded only with content capture on.
 */
import { type Attributes } from '@opentelemetry/api';
import { hashArguments } from './args-hash.js';
import { isCapturingContent, recordContent } from './content-capture.js';
import { guard } from './guard.js';
import { runInSpan } from './run-in-span.js';
import {
  GEN_AI_TOOL_CALL_ID,
  THRESHOLD_TOOL_ARGS_HASH,
  THRESHOLD_TOOL_CACHE_HIT,
  THRESHOLD_TOOL_COLD_START,
} from './semantic-attributes.js';
import { type SpanHandle, SpanKind, startSpan } from './span-handle.js';

/** Describes one tool call. */
export interface ToolOptions {
  /** The tool's arguments: hashed always, recorded only with content capture on. */
  args?: unknown;
  /** The model's tool call id (`gen_ai.tool.call.id`). */
  callId?: string;
  /** The result came from a cache. */
  cacheHit?: boolean;
  /** The call paid a cold start (sandbox boot, connection setup…). */
  coldStart?: boolean;
  /** Extra span attributes. */
  attributes?: Attributes;
}

function startTool(name: string, options: ToolOptions, args: unknown): SpanHandle | undefined {
  // Only keys with values (OpenTelemetry sanitizes every key it is given, even undefined ones),
  // and literal keys, which V8 builds from a template (see llm.ts).
  let attributes: Attributes = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': name,
    'threshold.category': 'tool',
  };
  if (options.callId !== undefined) attributes[GEN_AI_TOOL_CALL_ID] = options.callId;
  if (options.cacheHit !== undefined) attributes[THRESHOLD_TOOL_CACHE_HIT] = options.cacheHit;
  if (options.coldStart !== undefined) attributes[THRESHOLD_TOOL_COLD_START] = options.coldStart;
  if (options.attributes !== undefined) attributes = { ...attributes, ...options.attributes };
  if (args !== undefined) {
    guard('hashing tool arguments', () => {
      const hash = hashArguments(args);
      if (hash !== undefined) attributes[THRESHOLD_TOOL_ARGS_HASH] = hash;
    });
  }
  const handle = startSpan(`execute_tool ${name}`, SpanKind.INTERNAL, attributes);
  if (handle !== undefined && args !== undefined) recordContent(handle, 'tool.arguments', args);
  return handle;
}

const recordResult = (handle: SpanHandle, value: unknown): void => {
  if (isCapturingContent()) recordContent(handle, 'tool.result', value);
};

/** Runs `fn` as a tool call. */
function runTool<Result>(name: string, options: ToolOptions, fn: () => Result): Result;
function runTool<Result>(name: string, fn: () => Result): Result;
function runTool<Result>(name: string, optionsOrFn: ToolOptions | (() => Result), maybeFn?: () => Result): Result {
  const fn = (typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn) as () => Result;
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
  return runInSpan(startTool(name, options, options.args), fn, undefined, [], recordResult);
}

/**
 * A function that runs `fn` (same `this`, same arguments) as a tool call; its arguments are the
 * call's arguments unless `options.args` says otherwise.
 */
function wrap<Args extends unknown[], Result>(
  name: string,
  fn: (...args: Args) => Result,
  options: ToolOptions = {},
): (...args: Args) => Result {
  return function toolWrapped(this: unknown, ...args: Args): Result {
    return runInSpan(startTool(name, options, options.args ?? args), fn, this, args, recordResult);
  };
}

/** Tool instrumentation: `tool(name, options?, fn)`, `tool.wrap(name, fn, options?)`. */
export const tool = Object.assign(runTool, { wrap });
