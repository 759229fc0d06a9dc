/**
 * Reads a file of recorded spans for `threshold check --file`: one OTLP ExportTraceServiceRequest
 * in protobuf, or in JSON — a single request, or one request per line as the OpenTelemetry
 * Collector's file exporter writes them. Spans are analysed exactly as the collector analyses
 * them, so a check on a file and a check on a collector agree.
 */
import { readFile } from 'node:fs/promises';
import { analyseRecords, percentile, type SpanRecord, type TaskClassConfig, type TraceSummary } from '@threshold/core';
import { decodeTraceRequestJson, decodeTraceRequestProtobuf } from '../otlp/index.js';
import type { ClassLatency } from './budget-verdict.js';

/** A file that is not OTLP; its message is one line for the user. */
export class RecordedSpansError extends Error {
  override readonly name = 'RecordedSpansError';
}

function looksLikeJson(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b; // '{'
  }
  return false;
}

/** Every span in the file. */
export async function readRecordedSpans(path: string): Promise<SpanRecord[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new RecordedSpansError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    if (!looksLikeJson(bytes)) return decodeTraceRequestProtobuf(bytes).spans;
    const text = Buffer.from(bytes).toString('utf8');
    if (!/"resource_?[sS]pans"/.test(text)) throw new Error('no resourceSpans');
    try {
      return decodeTraceRequestJson(text).spans;
    } catch (wholeFileError) {
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      if (lines.length < 2) throw wholeFileError;
      return lines.flatMap((line) => decodeTraceRequestJson(line).spans);
    }
  } catch (error) {
    throw new RecordedSpansError(`${path} is not an OTLP trace export (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The analysed summary of every trace among the spans. */
export function summariseTraces(spans: readonly SpanRecord[], config: TaskClassConfig): TraceSummary[] {
  const byTrace = new Map<string, SpanRecord[]>();
  for (const span of spans) {
    const records = byTrace.get(span.traceId);
    if (records) records.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  return [...byTrace.values()].map((records) => analyseRecords(records, config).summary);
}

/** Count and latency at `percentileValue` (0–100) of each task class, with the class's budget, from trace summaries. */
export function classLatencies(summaries: readonly TraceSummary[], percentileValue: number): ClassLatency[] {
  const byClass = new Map<string, { durationsMs: number[]; budgetMs: number }>();
  for (const summary of summaries) {
    const entry = byClass.get(summary.taskClass);
    if (entry) entry.durationsMs.push(summary.durationMs);
    else byClass.set(summary.taskClass, { durationsMs: [summary.durationMs], budgetMs: summary.budgetMs });
  }
  return [...byClass].map(([taskClass, { durationsMs, budgetMs }]) => ({
    taskClass,
    count: durationsMs.length,
    latencyMs: percentile(durationsMs, percentileValue / 100),
    configuredBudgetMs: budgetMs,
  }));
}
