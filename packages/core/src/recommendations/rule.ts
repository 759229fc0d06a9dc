import type { TraceAnalysis } from '../analysis-types.js';
import type { Finding, FindingRuleId } from '../api-types.js';
import type { RuleContext } from './rule-context.js';

/**
 * One recommendation: a pure function from an analysed trace (and what other traces taught) to
 * findings, each citing the spans that show the problem and the saving projected for this trace.
 * A rule may throw on input it did not foresee; the runner contains it.
 */
export interface RecommendationRule {
  id: FindingRuleId;
  /** Imperative, short: "Stream the answer". */
  title: string;
  /** One sentence for a group of findings: what the problem is and why the change helps. */
  why: string;
  evaluate(trace: TraceAnalysis, context: RuleContext): Finding[];
}
