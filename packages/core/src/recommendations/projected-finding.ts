import type { TraceAnalysis } from '../analysis-types.js';
import type { Finding, FindingRuleId } from '../api-types.js';
import { projectSaving } from '../what-if/project-trace.js';
import type { TraceEdit } from '../what-if/trace-edit.js';
import type { RuleContext } from './rule-context.js';

export interface FindingDraft {
  ruleId: FindingRuleId;
  title: string;
  evidenceSpanIds: string[];
  edits: TraceEdit[];
  /** Count the saving on perceived latency instead of wall time. */
  perceived?: boolean;
  /** The explanation, given the projected saving. */
  detail(savingMs: number): string;
}

/**
 * Turns a rule's proposal into a finding whose saving is measured, not estimated by formula: the
 * edits are applied and the trace re-analysed (see `projectSaving`). So a change off the critical
 * path saves nothing, and the saving stops where another branch becomes the one the task waits
 * on. Returns undefined when the saving is below `minSavingMs`.
 */
export function projectedFinding(trace: TraceAnalysis, context: RuleContext, draft: FindingDraft): Finding | undefined {
  if (draft.edits.length === 0) return undefined;
  const projected = projectSaving(trace, draft.edits, context.taskClassConfig);
  const savingMs = draft.perceived ? projected.perceivedMs : projected.durationMs;
  if (!(savingMs >= context.thresholds.minSavingMs)) return undefined;
  const finding: Finding = {
    ruleId: draft.ruleId,
    title: draft.title,
    detail: draft.detail(savingMs),
    savingMs,
    evidenceSpanIds: draft.evidenceSpanIds,
    edits: draft.edits,
  };
  if (draft.perceived) finding.perceived = true;
  return finding;
}
