import type { Finding, FindingRuleId } from '../../api-types.js';
import type { TraceSpan } from '../../trace-span.js';
import type { TraceEdit } from '../../what-if/trace-edit.js';
import { projectedFinding } from '../projected-finding.js';
import type { RecommendationRule } from '../rule.js';
import { criticalSpanIds, durationMsOf, formatMs } from '../trace-calls.js';

interface OverheadRuleSpec {
  id: FindingRuleId;
  title: string;
  why: string;
  category: 'state' | 'orchestration';
  /** Which threshold gives the healthy ms per llm call. */
  allowance: 'stateMsPerLlmCall' | 'orchestrationMsPerLlmCall';
  /** What healthy systems spend, for the detail text. */
  healthy: string;
  what: string;
  /** Spans of the category that are not overhead (a human approving a tool call): their critical time is left out. */
  exclude?: (span: TraceSpan) => boolean;
}

/**
 * Overhead beyond what healthy systems spend. The category's share of the critical path (the
 * breakdown bucket, so parallel work is not counted) is compared with an allowance per llm call
 * (a task with no llm call gets one allowance). Beyond it, the outermost critical spans of the
 * category are projected shrunk in proportion until the bucket meets the allowance.
 */
export function overheadRule(spec: OverheadRuleSpec): RecommendationRule {
  return {
    id: spec.id,
    title: spec.title,
    why: spec.why,
    evaluate(trace, context): Finding[] {
      const perCallMs = context.thresholds[spec.allowance];
      const calls = Math.max(1, trace.summary.llmCalls);
      const allowedMs = calls * perCallMs;
      const spentMs = trace.summary.breakdown[spec.category] - excludedCriticalMs(trace, spec.exclude);
      if (spentMs - allowedMs < context.thresholds.minSavingMs) return [];
      const critical = criticalSpanIds(trace);
      const targets = outermost(trace.traceSpans, spec.category).filter((span) => critical.has(span.spanId) && !spec.exclude?.(span));
      if (targets.length === 0) return [];
      const keep = allowedMs / spentMs;
      const edits: TraceEdit[] = targets.map((span) => ({ kind: 'shorten', spanId: span.spanId, durationMs: durationMsOf(span) * keep }));
      const finding = projectedFinding(trace, context, {
        ruleId: spec.id,
        title: spec.title,
        evidenceSpanIds: [...targets].sort((a, b) => b.endNs - b.startNs - (a.endNs - a.startNs)).map((span) => span.spanId),
        edits,
        detail: (savingMs) =>
          `${spec.what} took ${formatMs(spentMs)} of the critical path across ${trace.summary.llmCalls} llm call${trace.summary.llmCalls === 1 ? '' : 's'} ` +
          `(${formatMs(spentMs / calls)} per call); healthy agents spend ${spec.healthy}. ` +
          `Bringing it to ${formatMs(perCallMs)} per call saves ${formatMs(savingMs)}.`,
      });
      return finding ? [finding] : [];
    },
  };
}

/** Critical-path time of the excluded spans, ms. */
function excludedCriticalMs(trace: Parameters<RecommendationRule['evaluate']>[0], exclude: OverheadRuleSpec['exclude']): number {
  if (!exclude || !trace.criticalSegments) return 0;
  const excluded = new Set(trace.traceSpans.filter(exclude).map((span) => span.spanId));
  let totalNs = 0;
  for (const segment of trace.criticalSegments) if (excluded.has(segment.spanId)) totalNs += segment.endNs - segment.startNs;
  return totalNs / 1e6;
}

/** Spans of the category with no ancestor of the same category (shrinking those shrinks the rest). */
function outermost(spans: readonly TraceSpan[], category: TraceSpan['category']): TraceSpan[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  return spans.filter((span) => {
    if (span.category !== category) return false;
    for (
      let parent = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
      parent;
      parent = parent.parentSpanId === undefined ? undefined : byId.get(parent.parentSpanId)
    ) {
      if (parent.category === category) return false;
    }
    return true;
  });
}
