export type { RecommendationRule } from './rule.js';
export { DEFAULT_RECOMMENDATION_THRESHOLDS, type RecommendationThresholds } from './thresholds.js';
export { RuleContextIndex } from './rule-context-index.js';
export {
  buildRuleContext,
  singleTraceContext,
  type RuleContext,
  type RuleContextOptions,
  type SessionHistory,
  type TaskStepHistory,
} from './rule-context.js';
export {
  observeTrace,
  llmStepName,
  stepFollowKey,
  type TraceObservations,
  type LlmCallObservation,
  type ToolCallObservation,
} from './trace-observations.js';
export { runRules, type RuleRun, type RuleFailure } from './run-rules.js';
export { fitLine, type LinearFit } from './linear-fit.js';
export * from './rules/index.js';
export { rankRecommendations, type RankedTrace, type WindowFinding, type RankOptions } from './rank-recommendations.js';
