import { UX_BAND_NAMES, type UxBand } from '@threshold/core';

/** A query parameter (or body field) that cannot be used: answered with 400 and this message. */
export class QueryParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryParamError';
  }
}

export type RawQuery = Record<string, unknown>;

/**
 * Latest time a parameter may name, in epoch ms: the last millisecond of year 9999, the last date
 * with a four-digit year. Every store keeps times as 64-bit integers, which this fits with room
 * to spare; a larger number (1e308 is a valid JSON number) would overflow them.
 */
export const MAX_EPOCH_MS = 253_402_300_799_999;
/** Longest duration or bucket a parameter may give: no span of time between two valid times is longer. */
export const MAX_DURATION_MS = MAX_EPOCH_MS;
/**
 * Longest text parameter (service, task class, session id…): the longest attribute value the
 * collector stores, so a longer one could match nothing.
 */
export const MAX_TEXT_LENGTH = 16_384;
/** Largest page a list endpoint returns. */
export const MAX_PAGE_SIZE = 1000;
/** Characters of a bad value repeated in an error message; the rest is elided. */
const ECHO_LENGTH = 64;

/** A bad value as an error message repeats it: quoted, cut to 64 characters. */
export function echo(text: string): string {
  const chars = [...text];
  return chars.length <= ECHO_LENGTH ? `"${text}"` : `"${chars.slice(0, ECHO_LENGTH).join('')}…" (${chars.length} characters)`;
}

/** The single string value of a parameter; repeated parameters are refused. */
function single(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new QueryParamError(`${name} must be given once`);
  return value;
}

export function optionalString(query: RawQuery, name: string): string | undefined {
  const text = single(query, name);
  if (text !== undefined) checkTextLength(name, text);
  return text;
}

/** Refuses text longer than `MAX_TEXT_LENGTH` characters. */
export function checkTextLength(name: string, text: string): void {
  if (text.length > MAX_TEXT_LENGTH) throw new QueryParamError(`${name} must be at most ${MAX_TEXT_LENGTH} characters, got ${text.length}`);
}

/** A decimal number as JSON writes one (no hex, no spaces, no `Infinity`), with an optional `+`. */
const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A finite decimal number from `min` to `max`. */
export function optionalNumber(
  query: RawQuery,
  name: string,
  { min = -Number.MAX_VALUE, max = Number.MAX_VALUE } = {},
): number | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) throw new QueryParamError(`${name} must be a number, got ${echo(text)}`);
  return checkRange(name, value, min, max);
}

/** `value` if it lies from `min` to `max`; a 400 naming `name` otherwise. */
export function checkRange(name: string, value: number, min: number, max: number): number {
  if (value < min) throw new QueryParamError(`${name} must be at least ${min}, got ${value}`);
  if (value > max) throw new QueryParamError(`${name} must be at most ${max}, got ${value}`);
  return value;
}

/** A time in epoch ms, from 0 to the end of year 9999. */
export function optionalTimestamp(query: RawQuery, name: string): number | undefined {
  return optionalNumber(query, name, { min: 0, max: MAX_EPOCH_MS });
}

/** A duration in ms: finite, not negative, at most `MAX_DURATION_MS`. */
export function optionalDuration(query: RawQuery, name: string, { min = 0 } = {}): number | undefined {
  return optionalNumber(query, name, { min, max: MAX_DURATION_MS });
}

export function integerInRange(query: RawQuery, name: string, fallback: number, min: number, max: number): number {
  const text = single(query, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new QueryParamError(`${name} must be a whole number, got ${echo(text)}`);
  const value = Number(text);
  if (value < min || value > max)
    throw new QueryParamError(`${name} must be between ${min} and ${max}, got ${text.length > 20 ? echo(text) : text}`);
  return value;
}

export function oneOf<T extends string>(query: RawQuery, name: string, allowed: readonly T[]): T | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new QueryParamError(`${name} must be one of ${allowed.join(', ')}, got ${echo(text)}`);
  }
  return text as T;
}

export function optionalBand(query: RawQuery, name: string): UxBand | undefined {
  return oneOf(query, name, UX_BAND_NAMES);
}

/** Refuses a window whose end comes before its start. */
export function checkWindowOrder(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && to < from) throw new QueryParamError('to must not be before from');
}

/** `from`/`to` (epoch ms) and `service`, shared by every aggregate view. */
export function windowParams(query: RawQuery): { from?: number; to?: number; service?: string } {
  const from = optionalTimestamp(query, 'from');
  const to = optionalTimestamp(query, 'to');
  checkWindowOrder(from, to);
  return { from, to, service: optionalString(query, 'service') };
}

/** A trace id as docs/DESIGN.md defines it: 32 hex characters (read in either case, answered in lower case). */
export function traceIdParam(name: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{32}$/.test(value)) {
    throw new QueryParamError(`${name} must be 32 hex characters, got ${typeof value === 'string' ? echo(value) : typeof value}`);
  }
  return value.toLowerCase();
}
