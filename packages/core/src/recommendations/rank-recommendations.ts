import type { Finding, FindingRuleId, RecommendationSummary } from '../api-types.js';
import { percentile } from '../percentile.js';
import type { RecommendationRule } from './rule.js';
import { RECOMMENDATION_RULES } from './rules/index.js';

/** A trace of the window, as the ranking needs it. */
export interface RankedTrace {
  traceId: string;
  taskClass: string;
  durationMs: number;
  perceivedMs: number;
}

/** A finding with the trace it belongs to (what the collector stores per finding). */
export type WindowFinding = Finding & RankedTrace;

export interface RankOptions {
  /** Example trace ids per recommendation, largest saving first. Default 5. */
  exampleLimit?: number;
  rules?: readonly RecommendationRule[];
}

/**
 * Groups a window's findings by rule and ranks the groups by what applying the rule everywhere
 * would do to the P99 of the task classes it touches. Every trace of those classes counts: an
 * affected one at its latency minus its saving for the rule (its findings of that rule summed —
 * they touch different spans — and never below zero), the others as they were. Perceived rules
 * move perceived latency, the others wall time. Ties rank by total saving, then by rule id.
 *
 * @param traces every trace of the window (the population the P99 is taken over)
 */
export function rankRecommendations(
  traces: readonly RankedTrace[],
  findings: readonly WindowFinding[],
  options: RankOptions = {},
): RecommendationSummary[] {
  const exampleLimit = options.exampleLimit ?? 5;
  const rules = new Map((options.rules ?? RECOMMENDATION_RULES).map((rule) => [rule.id, rule]));
  const byRule = new Map<FindingRuleId, WindowFinding[]>();
  for (const finding of findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);

  const summaries: RecommendationSummary[] = [];
  for (const [ruleId, ruleFindings] of byRule) {
    const perceived = ruleFindings.some((finding) => finding.perceived === true);
    const latencyOf = (trace: RankedTrace) => (perceived ? trace.perceivedMs : trace.durationMs);
    const savings = new Map<string, number>();
    const affected = new Map<string, RankedTrace>();
    for (const finding of ruleFindings) {
      affected.set(finding.traceId, finding);
      savings.set(finding.traceId, Math.min(latencyOf(finding), (savings.get(finding.traceId) ?? 0) + finding.savingMs));
    }
    const classes = new Set([...affected.values()].map((trace) => trace.taskClass));
    const population = new Map<string, RankedTrace>();
    for (const trace of traces) if (classes.has(trace.taskClass)) population.set(trace.traceId, trace);
    for (const trace of affected.values()) if (!population.has(trace.traceId)) population.set(trace.traceId, trace);
    const before: number[] = [];
    const after: number[] = [];
    for (const trace of population.values()) {
      before.push(latencyOf(trace));
      after.push(latencyOf(trace) - (savings.get(trace.traceId) ?? 0));
    }
    const totalSavingMs = [...savings.values()].reduce((sum, ms) => sum + ms, 0);
    const rule = rules.get(ruleId);
    summaries.push({
      ruleId,
      title: rule?.title ?? ruleFindings[0].title,
      detail: rule?.why ?? ruleFindings[0].detail,
      tracesAffected: affected.size,
      totalSavingMs,
      meanSavingMs: totalSavingMs / affected.size,
      p99SavingMs: Math.max(0, percentile(before, 0.99)! - percentile(after, 0.99)!),
      perceived,
      taskClasses: [...classes].sort(),
      exampleTraceIds: [...savings]
        .sort(([idA, a], [idB, b]) => b - a || idA.localeCompare(idB))
        .slice(0, exampleLimit)
        .map(([traceId]) => traceId),
    });
  }
  return summaries.sort((a, b) => b.p99SavingMs - a.p99SavingMs || b.totalSavingMs - a.totalSavingMs || a.ruleId.localeCompare(b.ruleId));
}
