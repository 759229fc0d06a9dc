/**
 * LLM call spans: `llm.call` for a whole answer, `llm.stream` for a streamed one (TTFT at the first
 * chunk with content, TPOT from the output tokens), `llm.wrap` for a function that makes calls.
 */
import type { Attributes } from '@opentelemetry/api';
import { recordContent, recordOutputText } from './content-capture.js';
import { instrumentStream, isStainlessStream } from './instrument-stream.js';
import { isThenable } from './observe-promise.js';
import { readResponse } from './response-reading.js';
import { runInSpan } from './run-in-span.js';
import {
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_REQUEST_STREAM,
  GEN_AI_RESPONSE_FINISH_REASONS,
  GEN_AI_RESPONSE_ID,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
  THRESHOLD_LLM_PURPOSE,
} from './semantic-attributes.js';
import { type SpanHandle, SpanKind, startSpan } from './span-handle.js';
import { StreamRecording } from './stream-recording.js';
import { deferredStream } from './deferred-stream.js';

/** Describes one LLM call. */
export interface LlmOptions {
  /** Requested model, e.g. `gpt-4o`. */
  model?: string;
  /** Provider per the GenAI conventions: `openai`, `anthropic`, `aws.bedrock`, … */
  provider?: string;
  /** Why the agent makes this call: `intent`, `answer`, `safety`, … */
  purpose?: string;
  /** GenAI operation name (default `chat`). */
  operation?: string;
  /** Prompt messages, recorded only when content capture is on. */
  input?: unknown;
  /** Extra span attributes. */
  attributes?: Attributes;
}

/**
 * Only the keys that have values (OpenTelemetry sanitizes every key it is given, even undefined
 * ones), and literal keys rather than computed ones: V8 builds such a literal from a template,
 * where computed keys are added one by one. This runs for every call.
 */
function llmAttributes(options: LlmOptions, stream: boolean): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': options.operation ?? 'chat',
    'threshold.category': 'llm',
    'gen_ai.request.stream': stream,
  };
  if (options.provider !== undefined) attributes[GEN_AI_PROVIDER_NAME] = options.provider;
  if (options.model !== undefined) attributes[GEN_AI_REQUEST_MODEL] = options.model;
  if (options.purpose !== undefined) attributes[THRESHOLD_LLM_PURPOSE] = options.purpose;
  return options.attributes === undefined ? attributes : { ...attributes, ...options.attributes };
}

/** Starts an llm span (undefined when telemetry fails). */
export function startLlmSpan(options: LlmOptions, stream: boolean): SpanHandle | undefined {
  const operation = options.operation ?? 'chat';
  const name = options.model === undefined ? operation : `${operation} ${options.model}`;
  const handle = startSpan(name, SpanKind.CLIENT, llmAttributes(options, stream));
  if (handle !== undefined && options.input !== undefined) recordContent(handle, 'input', options.input);
  return handle;
}

/** Writes a whole answer's usage, model, id, finish reasons (and text when capturing). */
export function recordLlmResponse(handle: SpanHandle, value: unknown): void {
  const facts = readResponse(value);
  if (facts === undefined) return;
  const span = handle.span;
  if (facts.inputTokens !== undefined) span.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, facts.inputTokens);
  if (facts.outputTokens !== undefined) span.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, facts.outputTokens);
  if (facts.model !== undefined) span.setAttribute(GEN_AI_RESPONSE_MODEL, facts.model);
  if (facts.id !== undefined) span.setAttribute(GEN_AI_RESPONSE_ID, facts.id);
  if (facts.finishReasons !== undefined && facts.finishReasons.length > 0)
    span.setAttribute(GEN_AI_RESPONSE_FINISH_REASONS, facts.finishReasons);
  if (facts.text !== undefined) recordOutputText(handle, facts.text);
}

/**
 * Records a result on an llm span: a stream takes the span over (and is instrumented, in place
 * for openai/Anthropic streams); anything else is read as a whole answer.
 */
export function llmValueRecorder(streamed: { value?: unknown }) {
  return (handle: SpanHandle, value: unknown): boolean => {
    const recording = new StreamRecording(handle);
    const instrumented = instrumentStream(value, recording);
    if (instrumented !== undefined) {
      streamed.value = instrumented;
      return true;
    }
    recordLlmResponse(handle, value);
    return false;
  };
}

/**
 * Records the value of a whole-answer call. An openai/Anthropic `Stream` (a streaming request
 * made through `llm.call`) is still recorded as a stream, instrumented in place so the caller
 * gets the same object; other values are read as answers.
 */
export function recordCallValue(handle: SpanHandle, value: unknown): boolean {
  if (isStainlessStream(value)) {
    handle.span.setAttribute(GEN_AI_REQUEST_STREAM, true);
    instrumentStream(value, new StreamRecording(handle));
    return true;
  }
  recordLlmResponse(handle, value);
  return false;
}

function call<Result>(options: LlmOptions, fn: () => Result): Result {
  return runInSpan(startLlmSpan(options, false), fn, undefined, [], recordCallValue);
}

/** The stream the caller iterates: instrumented in place, rewrapped, or deferred until it resolves. */
function stream<Chunk = unknown>(options: LlmOptions, fn: () => unknown): AsyncIterable<Chunk> & Partial<AsyncIterator<Chunk>> {
  const handle = startLlmSpan(options, true);
  const streamed: { value?: unknown } = {};
  const result = runInSpan(handle, fn, undefined, [], handle === undefined ? undefined : llmValueRecorder(streamed));
  if (isThenable(result)) return deferredStream(result, streamed) as AsyncIterable<Chunk>;
  return (streamed.value ?? result) as AsyncIterable<Chunk>;
}

/** A function that runs `fn` (same `this`, same arguments) inside an llm span. */
function wrap<Args extends unknown[], Result>(options: LlmOptions, fn: (...args: Args) => Result): (...args: Args) => Result {
  return function llmWrapped(this: unknown, ...args: Args): Result {
    return runInSpan(startLlmSpan(options, false), fn, this, args, recordCallValue);
  };
}

/** LLM call instrumentation. */
export const llm = { call, stream, wrap };
