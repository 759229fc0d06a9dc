/**
 * What differs between the simulated APIs: how a request is read, how a whole answer looks, and
 * which server-sent events a streamed answer is made of. Timing is shared (see serve-answer.ts).
 */
import type { ResponsePlan } from './response-plan.js';
import type { ModelApi, ModelRequestView } from './request-view.js';

/** One server-sent event: an optional `event:` name and a JSON (or literal) `data:` payload. */
export interface SseEvent {
  /** The `event:` field, when the API names its events. */
  event?: string;
  /** Serialized with JSON.stringify unless it is already a string. */
  data: unknown;
}

/** The events of one streamed answer, produced in order. */
export interface StreamScript {
  /** Sent as soon as the request is accepted. */
  start(): SseEvent[];
  /** Sent when token `index` is due. */
  token(index: number): SseEvent[];
  /** Sent after the last token. */
  end(): SseEvent[];
}

/** One API dialect. */
export interface Dialect {
  /** The API it serves. */
  api: ModelApi;
  /** Reads a request body. */
  view(body: Record<string, unknown>): ModelRequestView;
  /** The body of a non-streamed answer. */
  answer(plan: ResponsePlan, view: ModelRequestView): unknown;
  /** The events of a streamed answer. */
  stream(plan: ResponsePlan, view: ModelRequestView): StreamScript;
  /** The body of an error answer with HTTP `status`. */
  error(status: number): unknown;
}

/** Seconds since the epoch, as the APIs report creation times. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
