/**
 * The command line of `threshold compare`, checked into settings before anything is read. Every
 * mistake is a CompareUsageError whose message is one line naming the flag (exit code 2).
 */
import type { CompareOptions } from '@threshold/core';
import { parseDurationMs } from './duration-text.js';
import type { RunSource } from './compare-sources.js';

/** A flag that is missing, contradicts another, or holds a value out of range. */
export class CompareUsageError extends Error {
  override readonly name = 'CompareUsageError';
}

function refuse(message: string): never {
  throw new CompareUsageError(message);
}

export interface CompareFlags {
  baseline?: string;
  candidate?: string;
  baselineUrl?: string;
  baselineFrom?: string;
  baselineTo?: string;
  candidateUrl?: string;
  candidateFrom?: string;
  candidateTo?: string;
  apiKey?: string;
  service?: string;
  percentile: string;
  maxRegression: string;
  confidence: string;
  resamples: string;
  seed: string;
}

export interface CompareSettings {
  baseline: RunSource;
  candidate: RunSource;
  /** Only tasks of this service, in both runs. */
  service?: string;
  options: CompareOptions;
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** `10%`, `10 %` or `10` → 0.1: the slowdown allowed, in percent. */
export function parseMaxRegression(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text.trim());
  const percent = match ? Number(match[1]) : NaN;
  return percent <= 1_000 ? percent / 100 : undefined;
}

/** `0.95` or `95%` → 0.95; from 0.5 up to (not including) 1. */
export function parseConfidence(text: string): number | undefined {
  const trimmed = text.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(trimmed);
  const value = percent ? Number(percent[1]) / 100 : DECIMAL.test(trimmed) ? Number(trimmed) : NaN;
  return value >= 0.5 && value < 1 ? value : undefined;
}

/**
 * A point in time: epoch ms (`1750000000000`), an ISO 8601 date and time
 * (`2025-06-15T15:00:00Z`), `now`, or a duration before `nowMs` (`2h`: two hours ago).
 */
export function parseTimeMs(text: string, nowMs: number): number | undefined {
  const trimmed = text.trim();
  if (trimmed === 'now') return nowMs;
  if (/^\d{10,15}$/.test(trimmed)) return Number(trimmed);
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) {
    const ms = Date.parse(trimmed);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const agoMs = parseDurationMs(trimmed);
  return agoMs === undefined ? undefined : nowMs - agoMs;
}

function runSource(
  side: 'baseline' | 'candidate',
  file: string | undefined,
  url: string | undefined,
  from: string | undefined,
  to: string | undefined,
  apiKey: string | undefined,
  nowMs: number,
): RunSource {
  if (file !== undefined && url !== undefined) refuse(`give either --${side} <file> or --${side}-url, not both`);
  if (file === undefined && url === undefined) refuse(`--${side} <file> or --${side}-url <url> is required`);
  if (file !== undefined) {
    if (from !== undefined || to !== undefined)
      refuse(`--${side}-from and --${side}-to apply to --${side}-url only: a file holds exactly the tasks to compare`);
    if (file.trim() === '') refuse(`--${side} expects a file of recorded OTLP spans`);
    return { kind: 'file', path: file };
  }
  if (!/^https?:\/\/[^/]+/.test(url!)) refuse(`--${side}-url expects http://host:port, got "${url}"`);
  if (from === undefined)
    refuse(
      `--${side}-from is required with --${side}-url: the start of the ${side} window (e.g. 2025-06-15T15:00:00Z, epoch ms, or 2h for two hours ago)`,
    );
  const fromMs = parseTimeMs(from, nowMs);
  if (fromMs === undefined)
    refuse(`--${side}-from expects a time (2025-06-15T15:00:00Z, epoch ms, now, or 2h for two hours ago), got "${from}"`);
  const toMs = to === undefined ? nowMs : parseTimeMs(to, nowMs);
  if (toMs === undefined)
    refuse(`--${side}-to expects a time (2025-06-15T16:00:00Z, epoch ms, now, or 30m for thirty minutes ago), got "${to}"`);
  if (toMs <= fromMs)
    refuse(
      `the ${side} window is empty: --${side}-to (${new Date(toMs).toISOString()}) must be after --${side}-from (${new Date(fromMs).toISOString()})`,
    );
  return { kind: 'collector', url: url!, fromMs, toMs, apiKey };
}

/** Settings from the flags; throws CompareUsageError naming the first flag that is wrong. */
export function parseCompareFlags(flags: CompareFlags, nowMs: number, environmentApiKey: string | undefined): CompareSettings {
  const percentile = Number(flags.percentile);
  if (!DECIMAL.test(flags.percentile.trim()) || percentile <= 0 || percentile >= 100) {
    refuse(`--percentile expects a number above 0 and below 100 (e.g. 95), got "${flags.percentile}"`);
  }
  const maxRegression = parseMaxRegression(flags.maxRegression);
  if (maxRegression === undefined)
    refuse(`--max-regression expects a percentage from 0% to 1000% (e.g. 10%), got "${flags.maxRegression}"`);
  const confidence = parseConfidence(flags.confidence);
  if (confidence === undefined)
    refuse(`--confidence expects a number from 0.5 up to 1, or a percentage (e.g. 0.95 or 95%), got "${flags.confidence}"`);
  const resamples = Number(flags.resamples);
  if (!/^\d+$/.test(flags.resamples.trim()) || resamples < 100 || resamples > 100_000)
    refuse(`--resamples expects a whole number from 100 to 100000, got "${flags.resamples}"`);
  if (!/^\d+$/.test(flags.seed.trim()) || Number(flags.seed) > 0xffffffff)
    refuse(`--seed expects a whole number from 0 to 4294967295, got "${flags.seed}"`);
  if (flags.service !== undefined && flags.service.trim() === '') refuse('--service expects a service name');
  const apiKey = flags.apiKey ?? (environmentApiKey === '' ? undefined : environmentApiKey);
  return {
    baseline: runSource('baseline', flags.baseline, flags.baselineUrl, flags.baselineFrom, flags.baselineTo, apiKey, nowMs),
    candidate: runSource('candidate', flags.candidate, flags.candidateUrl, flags.candidateFrom, flags.candidateTo, apiKey, nowMs),
    service: flags.service,
    options: { fraction: percentile / 100, maxRegression, confidence, resamples, seed: Number(flags.seed) },
  };
}
