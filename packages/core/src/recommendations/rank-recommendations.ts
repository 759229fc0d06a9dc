import type { TraceAnalysis } from '../analysis-types.js';
import type { Finding, FindingRuleId, RecommendationSummary } from '../api-types.js';
import { percentile } from '../percentile.js';
import type { TaskClassConfig } from '../task-class.js';
import { projectSaving } from '../what-if/project-trace.js';
import type { RecommendationRule } from './rule.js';
import { RECOMMENDATION_RULES } from './rules/index.js';

export interface TraceFindings {
  analysis: TraceAnalysis;
  findings: readonly Finding[];
}

export interface RankOptions {
  taskClassConfig?: TaskClassConfig;
  /** Example trace ids per recommendation, largest saving first. Default 5. */
  exampleLimit?: number;
  rules?: readonly RecommendationRule[];
}

/**
 * Groups a window's findings by rule and ranks the groups by what they would do to the P99 of
 * the task classes they touch: every trace of those classes is counted, affected ones at their
 * projected latency with all of the rule's edits applied together (one projection per trace, so
 * edits that overlap are not counted twice), the others as they were. Perceived rules move
 * perceived latency, the others wall time. Ties rank by total saving.
 */
export function rankRecommendations(traces: readonly TraceFindings[], options: RankOptions = {}): RecommendationSummary[] {
  const exampleLimit = options.exampleLimit ?? 5;
  const rules = new Map((options.rules ?? RECOMMENDATION_RULES).map((rule) => [rule.id, rule]));
  const byRule = new Map<FindingRuleId, Array<{ trace: TraceAnalysis; findings: Finding[] }>>();
  for (const { analysis, findings } of traces) {
    const perRule = new Map<FindingRuleId, Finding[]>();
    for (const finding of findings) perRule.set(finding.ruleId, [...(perRule.get(finding.ruleId) ?? []), finding]);
    for (const [ruleId, ruleFindings] of perRule) byRule.set(ruleId, [...(byRule.get(ruleId) ?? []), { trace: analysis, findings: ruleFindings }]);
  }
  const summaries: RecommendationSummary[] = [];
  for (const [ruleId, affected] of byRule) {
    const perceived = affected.some(({ findings }) => findings.some((finding) => finding.perceived === true));
    const latencyOf = (trace: TraceAnalysis) => (perceived ? trace.summary.perceivedMs : trace.summary.durationMs);
    const savings = new Map<string, number>();
    for (const { trace, findings } of affected) {
      const edits = findings.flatMap((finding) => finding.edits ?? []);
      const projected = edits.length > 0 ? projectSaving(trace, edits, options.taskClassConfig) : undefined;
      const summed = findings.reduce((sum, finding) => sum + finding.savingMs, 0);
      savings.set(trace.traceId, projected ? (perceived ? projected.perceivedMs : projected.durationMs) : summed);
    }
    const classes = new Set(affected.map(({ trace }) => trace.summary.taskClass));
    const before: number[] = [];
    const after: number[] = [];
    for (const { analysis } of traces) {
      if (!classes.has(analysis.summary.taskClass)) continue;
      const latencyMs = latencyOf(analysis);
      before.push(latencyMs);
      after.push(latencyMs - (savings.get(analysis.traceId) ?? 0));
    }
    const totalSavingMs = [...savings.values()].reduce((sum, ms) => sum + ms, 0);
    const rule = rules.get(ruleId);
    summaries.push({
      ruleId,
      title: rule?.title ?? affected[0].findings[0].title,
      detail: rule?.why ?? affected[0].findings[0].detail,
      tracesAffected: affected.length,
      totalSavingMs,
      meanSavingMs: totalSavingMs / affected.length,
      p99SavingMs: Math.max(0, (percentile(before, 0.99) ?? 0) - (percentile(after, 0.99) ?? 0)),
      perceived,
      taskClasses: [...classes].sort(),
      exampleTraceIds: [...affected]
        .sort((a, b) => (savings.get(b.trace.traceId) ?? 0) - (savings.get(a.trace.traceId) ?? 0))
        .slice(0, exampleLimit)
        .map(({ trace }) => trace.traceId),
    });
  }
  return summaries.sort((a, b) => b.p99SavingMs - a.p99SavingMs || b.totalSavingMs - a.totalSavingMs || a.ruleId.localeCompare(b.ruleId));
}
