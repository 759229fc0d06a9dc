import type { SpanRecord } from '@threshold/core';

/**
 * Most spans of one trace analysed. 50,000 keeps every real agent trace whole (a 10,000-span
 * trace, far beyond a long multi-agent run, is analysed in full) while bounding what one runaway
 * trace (a loop emitting spans forever) costs: its analysis holds every kept span and its
 * SpanViews in memory at once (about 1 KiB each, so some 50 MB at the cap) and runs on the event
 * loop that also acknowledges ingest.
 */
export const DEFAULT_MAX_SPANS_PER_TRACE = 50_000;

export interface CappedTrace {
  /** The spans to analyse, in arrival order (the records given, when within the cap). */
  kept: SpanRecord[];
  /** Distinct spans left out (duplicates of a kept span are not counted). */
  dropped: number;
}

/**
 * Keeps at most `maxSpans` spans of one trace: every root (a span without a parent) first, then
 * the earliest-starting others. A parent never starts after its child, so the earliest spans are
 * the top of the tree and its first steps: the critical path and breakdown describe the trace's
 * beginning exactly instead of a random sample of it. Within the cap nothing changes: the records
 * are returned as they came (duplicates included; analysis drops them).
 */
export function capTraceSpans(records: SpanRecord[], maxSpans: number): CappedTrace {
  if (records.length <= maxSpans) return { kept: records, dropped: 0 };
  const distinct = new Map<string, { span: SpanRecord; arrival: number }>();
  for (const [arrival, span] of records.entries()) if (!distinct.has(span.spanId)) distinct.set(span.spanId, { span, arrival });
  if (distinct.size <= maxSpans) return { kept: records, dropped: 0 };
  const ranked = [...distinct.values()].sort(
    (a, b) =>
      Number(a.span.parentSpanId !== undefined) - Number(b.span.parentSpanId !== undefined) ||
      compareBigInt(a.span.startTimeUnixNano, b.span.startTimeUnixNano) ||
      a.arrival - b.arrival,
  );
  const kept = ranked.slice(0, maxSpans).sort((a, b) => a.arrival - b.arrival);
  return { kept: kept.map((entry) => entry.span), dropped: distinct.size - kept.length };
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The warning recorded on a capped trace's analysis. */
export function spanCapWarning(dropped: number, maxSpans: number): string {
  return `${dropped} span${dropped === 1 ? '' : 's'} beyond ${maxSpans} per trace left out of the analysis (the roots and the earliest-starting spans are kept)`;
}
