import type { TraceAnalysis } from '../analysis-types.js';
import type { Finding, FindingRuleId } from '../api-types.js';
import type { RecommendationRule } from './rule.js';
import type { RuleContext } from './rule-context.js';
import { RECOMMENDATION_RULES } from './rules/index.js';

export interface RuleFailure {
  ruleId: FindingRuleId;
  /** The error's message (its stack stays with the caller's logs, if they want it). */
  message: string;
}

export interface RuleRun {
  /** Largest saving first. */
  findings: Finding[];
  /** Rules that threw; the others still ran. */
  failures: RuleFailure[];
}

/**
 * Runs each rule on the trace, each inside its own guard: a rule that throws (or returns
 * something that is not a finding) loses only its own findings. Findings with a non-finite or
 * negative saving are dropped the same way.
 */
export function runRules(trace: TraceAnalysis, context: RuleContext, rules: readonly RecommendationRule[] = RECOMMENDATION_RULES): RuleRun {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of rules) {
    try {
      const produced = rule.evaluate(trace, context);
      if (!Array.isArray(produced)) throw new TypeError(`rule ${rule.id} returned ${typeof produced}, not findings`);
      for (const finding of produced) {
        if (finding && Number.isFinite(finding.savingMs) && finding.savingMs >= 0) findings.push(finding);
      }
    } catch (error) {
      failures.push({ ruleId: rule.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  findings.sort((a, b) => b.savingMs - a.savingMs);
  return { findings, failures };
}
