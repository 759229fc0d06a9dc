import type { SpanRecord } from '../span-record.js';
import { readJsonObject, readNumber, toNumber } from './read-attribute.js';

/** Where a TTFT came from: an attribute, an event's timestamp, or a timestamp attribute. */
export interface TtftReading {
  ttftMs: number;
  /** True when the source only exists for streamed calls (so the call streamed). */
  impliesStreaming: boolean;
}

/** Durations in seconds (OTel GenAI attributes and metrics names). */
const SECONDS_KEYS = [
  'gen_ai.response.time_to_first_chunk',
  'gen_ai.client.operation.time_to_first_chunk',
  'gen_ai.server.time_to_first_token',
];
/** Durations in ms (Vercel AI SDK sets the first on doStream spans, the second on streamObject). */
const MILLISECOND_KEYS = ['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk'];
/** Absolute moments of the first chunk (Mastra, Langfuse-style). */
const TIMESTAMP_KEYS = ['mastra.completion_start_time', 'completion_start_time', 'langfuse.observation.completion_start_time'];

const FIRST_CHUNK_EVENT = 'ai.stream.firstChunk';
/** OpenInference and several instrumentations name the event "First Token Stream Event". */
const FIRST_TOKEN_EVENT = /first[ _.-]?token/i;

/**
 * Time to first token of an llm span, in ms, from whichever spelling the span carries, in the
 * order docs/DESIGN.md lists them. Undefined when the span does not say: a call whose first token time
 * is unknown is never given TTFT 0. Readings before the span's start are discarded; readings past
 * its end are clamped to its duration.
 */
export function extractTtft(record: SpanRecord): TtftReading | undefined {
  const durationMs = Number(record.endTimeUnixNano - record.startTimeUnixNano) / 1e6;
  const accept = (ttftMs: number | undefined, impliesStreaming: boolean): TtftReading | undefined => {
    if (ttftMs === undefined || !Number.isFinite(ttftMs) || ttftMs < 0) return undefined;
    return { ttftMs: durationMs >= 0 ? Math.min(ttftMs, durationMs) : ttftMs, impliesStreaming };
  };
  const seconds = readNumber(record.attributes, ...SECONDS_KEYS);
  if (seconds !== undefined) return accept(seconds * 1000, true);
  const milliseconds = readNumber(record.attributes, ...MILLISECOND_KEYS);
  if (milliseconds !== undefined) return accept(milliseconds, true);
  for (const event of record.events) {
    if (event.name === FIRST_CHUNK_EVENT || FIRST_TOKEN_EVENT.test(event.name)) {
      const reading = accept(Number(event.timeUnixNano - record.startTimeUnixNano) / 1e6, true);
      if (reading) return reading;
    }
  }
  for (const key of TIMESTAMP_KEYS) {
    const atNs = timestampToUnixNano(record.attributes[key] ?? undefined);
    if (atNs !== undefined) return accept(Number(atNs - record.startTimeUnixNano) / 1e6, true);
  }
  return undefined;
}

/**
 * A timestamp attribute as epoch ns: an ISO-8601 string, or a number whose magnitude tells its
 * unit (s ≈ 1.7e9, ms ≈ 1.7e12, µs ≈ 1.7e15, ns ≈ 1.7e18 around 2025).
 */
export function timestampToUnixNano(value: unknown): bigint | undefined {
  if (typeof value === 'string' && value.startsWith('"')) return timestampToUnixNano(unquoteJsonString(value));
  if (typeof value === 'string') {
    const number = toNumber(value);
    if (number === undefined) {
      const epochMs = Date.parse(value);
      return Number.isFinite(epochMs) ? BigInt(epochMs) * 1_000_000n + fractionBeyondMillisecondsNs(value) : undefined;
    }
    if (/^\d{16,}$/.test(value.trim()) && number >= 1e17) return BigInt(value.trim());
    return numberToUnixNano(number);
  }
  if (typeof value === 'number') return numberToUnixNano(value);
  return undefined;
}

function numberToUnixNano(value: number): bigint | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  const nsPerUnit = value < 1e11 ? 1e9 : value < 1e14 ? 1e6 : value < 1e17 ? 1e3 : 1;
  // whole units and the fraction separately: value × nsPerUnit would exceed 2^53 and lose ~100 ns
  const whole = Math.trunc(value);
  return BigInt(whole) * BigInt(nsPerUnit) + BigInt(Math.round((value - whole) * nsPerUnit));
}

/** ISO strings may carry µs/ns digits that Date.parse drops ("…T10:00:00.123456789Z"). */
function fractionBeyondMillisecondsNs(iso: string): bigint {
  const match = /\.\d{3}(\d{1,6})/.exec(iso);
  if (!match) return 0n;
  return BigInt(match[1].padEnd(6, '0'));
}

/** Langfuse writes its completion start time as JSON text: `"\"2025-01-01T10:00:00.123Z\""`. */
function unquoteJsonString(value: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the call streamed, from the span's own record. An explicit flag wins
 * (`gen_ai.request.stream`, `llm.is_streaming`, `ai.settings.stream`, a `stream` / `streaming`
 * model parameter in Langfuse's `langfuse.observation.model.parameters`). OpenInference records the
 * request's parameters as sent (`llm.invocation_parameters`), so there a parameter object without
 * `"stream": true` means the call did not stream (unless the object is a response's dump, see below).
 * Nothing recorded: undefined, never a guess.
 */
export function readStreamingFlag(record: SpanRecord): boolean | undefined {
  const attributes = record.attributes;
  const flag = toFlag(attributes['gen_ai.request.stream'] ?? attributes['llm.is_streaming'] ?? attributes['ai.settings.stream']);
  if (flag !== undefined) return flag;
  const invocation = readJsonObject(attributes, 'llm.invocation_parameters');
  if (invocation) {
    const stated = toFlag(invocation.stream ?? invocation.streaming);
    if (stated !== undefined || isResponseDump(invocation)) return stated;
    return false;
  }
  const parameters = readJsonObject(attributes, 'langfuse.observation.model.parameters');
  if (parameters) return toFlag(parameters.stream ?? parameters.streaming);
  return undefined;
}

/**
 * OpenInference's OpenAI Agents processor fills `llm.invocation_parameters` from the *response*
 * (`Response.model_dump()`: `id`, `created_at`, …), which never says whether the call streamed;
 * only a request's parameters do.
 */
function isResponseDump(parameters: Record<string, unknown>): boolean {
  return parameters.id !== undefined || parameters.created_at !== undefined;
}

function toFlag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
