import { UX_BAND_NAMES, type UxBand } from '@threshold/core';

/** A query parameter that cannot be used: answered with 400 and this message. */
export class QueryParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryParamError';
  }
}

export type RawQuery = Record<string, unknown>;

/** The single string value of a parameter; repeated parameters are refused. */
function single(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new QueryParamError(`${name} must be given once`);
  return value;
}

export function optionalString(query: RawQuery, name: string): string | undefined {
  return single(query, name);
}

export function optionalNumber(query: RawQuery, name: string, { min = -Infinity } = {}): number | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || text.trim() === '') throw new QueryParamError(`${name} must be a number, got "${text}"`);
  if (value < min) throw new QueryParamError(`${name} must be at least ${min}, got ${value}`);
  return value;
}

export function integerInRange(query: RawQuery, name: string, fallback: number, min: number, max: number): number {
  const text = single(query, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new QueryParamError(`${name} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new QueryParamError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function oneOf<T extends string>(query: RawQuery, name: string, allowed: readonly T[]): T | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new QueryParamError(`${name} must be one of ${allowed.join(', ')}, got "${text}"`);
  }
  return text as T;
}

export function optionalBand(query: RawQuery, name: string): UxBand | undefined {
  return oneOf(query, name, UX_BAND_NAMES);
}

/** `from`/`to` (epoch ms) and `service`, shared by every aggregate view. */
export function windowParams(query: RawQuery): { from?: number; to?: number; service?: string } {
  const from = optionalNumber(query, 'from', { min: 0 });
  const to = optionalNumber(query, 'to', { min: 0 });
  if (from !== undefined && to !== undefined && to < from) throw new QueryParamError('to must not be before from');
  return { from, to, service: optionalString(query, 'service') };
}

/** Largest page a list endpoint returns. */
export const MAX_PAGE_SIZE = 1000;
