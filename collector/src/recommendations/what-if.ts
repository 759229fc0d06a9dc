import {
  analyseRecords,
  projectTrace,
  projectWindow,
  type FindingRuleId,
  type TraceAnalysis,
  type TraceSummary,
  type WhatIfTraceResponse,
  type WhatIfWindowResponse,
} from '@threshold/core';
import type { SpanReader } from '../store/span-log.js';
import type { TraceQueries } from '../store/trace-queries.js';
import type { RecommendationEngine } from './recommendation-engine.js';
import { windowTraces } from './window-traces.js';

export interface WhatIfOptions {
  ruleIds?: FindingRuleId[];
  compressionRatio?: number;
}

const LOAD_BATCH = 250;

/**
 * One trace with its findings applied: the rules run again on a fresh analysis with the current
 * cross-trace context (and the requested compression ratio), all their edits are applied
 * together, and the result is analysed by the same code as the original.
 */
export function whatIfTrace(engine: RecommendationEngine, analysis: TraceAnalysis, options: WhatIfOptions): WhatIfTraceResponse {
  const thresholds = options.compressionRatio === undefined ? undefined : { compressionRatio: options.compressionRatio };
  const findings = engine.evaluate(analysis, { thresholds });
  const applied = options.ruleIds ? findings.filter((finding) => options.ruleIds!.includes(finding.ruleId)) : findings;
  const after = projectTrace(
    analysis,
    applied.flatMap((finding) => finding.edits ?? []),
    engine.taskClassConfig,
  );
  return {
    before: { summary: analysis.summary, spans: analysis.spans, findings },
    after: { summary: after.summary, spans: after.spans },
    applied,
  };
}

/**
 * A window with findings applied, per task class. Only traces with a stored finding (of the
 * requested rules) can change, so only those are read back, re-analysed and projected; the
 * others count as they are.
 */
export async function whatIfWindow(
  store: Pick<TraceQueries, 'listTraces' | 'findings'> & SpanReader,
  engine: RecommendationEngine,
  window: { from?: number; to?: number; taskClass?: string; service?: string },
  options: WhatIfOptions,
): Promise<WhatIfWindowResponse> {
  const [traces, findings] = await Promise.all([windowTraces(store, window), store.findings(window)]);
  const changing = new Set(
    findings.filter((finding) => !options.ruleIds || options.ruleIds.includes(finding.ruleId)).map((finding) => finding.traceId),
  );
  const projected = new Map<string, { before: TraceSummary; after: TraceSummary }>();
  const ids = traces.map((trace) => trace.traceId).filter((id) => changing.has(id));
  for (let i = 0; i < ids.length; i += LOAD_BATCH) {
    const batch = await store.loadTraceSpans(ids.slice(i, i + LOAD_BATCH));
    for (const [traceId, records] of batch) {
      if (records.length === 0) continue;
      const analysis = analyseRecords(records, engine.taskClassConfig);
      projected.set(traceId, { before: analysis.summary, after: whatIfTrace(engine, analysis, options).after.summary });
    }
  }
  return { classes: projectWindow(traces.map((before) => projected.get(before.traceId) ?? { before, after: before })) };
}
