/**
 * What the other packages use of the domain (the collector, the SDK, the demo, the dashboard, and
 * the benchmarks through the build), and nothing else: a name is added here when one of them
 * imports it, or when the collector's declarations name it. Tests reach internals through their
 * source paths.
 */
export {
  type Breakdown,
  BREAKDOWN_CATEGORIES,
  type BreakdownCategory,
  CATEGORY_STYLES,
  emptyBreakdown,
  OPERATION_CATEGORIES,
  type OperationCategory,
  type SpanCategory,
} from './category.js';
export {
  type BandCounts,
  bandCountsOfSorted,
  emptyBandCounts,
  UX_BAND_NAMES,
  UX_BANDS,
  uxBand,
  type UxBand,
  uxBandDefinition,
} from './ux-band.js';
export { percentile, percentileSorted } from './percentile.js';
export { type Attributes, type AttributeValue, type SpanEventRecord, type SpanRecord, type StatusCode } from './span-record.js';
export { type TraceSpan } from './trace-span.js';
export {
  type CriticalPathOperation,
  type CriticalPathResponse,
  type FiltersResponse,
  type Finding,
  type FindingRuleId,
  type HealthResponse,
  type LatencyTriple,
  type ModelsResponse,
  type OperationsResponse,
  type RecommendationsResponse,
  type RecommendationSummary,
  type SessionDetail,
  type SessionsResponse,
  type SortDirection,
  type SpanView,
  type StatsGroup,
  type StatsResponse,
  type TimeSeriesResponse,
  TRACE_SORT_KEYS,
  type TraceDetail,
  type TraceList,
  type TraceSortKey,
  type TraceSummary,
  type WhatIfClassProjection,
  type WhatIfRequest,
  type WhatIfTraceResponse,
  type WhatIfWindowResponse,
} from './api-types.js';
export { DEFAULT_TASK_CLASS_CONFIG, type TaskClassConfig } from './task-class.js';
export { type TraceAnalysis } from './analysis-types.js';
export { budgetOfClass, type FactCategory, type SpanFacts, spanFactsOf, type TraceFacts, traceFacts } from './facts/index.js';
export {
  advanceAlertState,
  ALERT_EXAMPLE_COUNT,
  type AlertCountBucket,
  type AlertDelivery,
  type AlertEvent,
  type AlertEventsResponse,
  type AlertObservation,
  type AlertRule,
  type AlertRuleErrorResponse,
  type AlertRuleSource,
  type AlertRulesResponse,
  type AlertRuleState,
  type AlertSeriesResponse,
  alertSeriesStepMs,
  alertSeriesTimes,
  type AlertsResponse,
  type AlertStateName,
  type AlertStatistic,
  alertStatsQueries,
  type AlertStatsQuery,
  type AlertTarget,
  type AlertTargetKind,
  type AlertWindowStats,
  burnRateBucketMs,
  burnRateSeriesFromBuckets,
  DEFAULT_ALERT_RULES,
  firingPeriods,
  initialAlertState,
  isNotifiedTransition,
  observeAlertRule,
  observeAlertStats,
  validateAlertRule,
} from './alerts/index.js';
export { type MappingRules, parseMappingRules } from './classify/mapping-rules.js';
export { buildTraceSpans } from './analysis/build-trace-spans.js';
export { analyseTrace } from './analysis/analyse-trace.js';
export { analyseRecords } from './analysis/analyse-records.js';
export { type CriticalOperation, criticalOperations } from './analysis/critical-operations.js';
export {
  observeTrace,
  rankRecommendations,
  RECOMMENDATION_RULES,
  type RecommendationThresholds,
  type RuleContext,
  RuleContextIndex,
  runRules,
} from './recommendations/index.js';
export { projectTrace, projectWindow } from './what-if/index.js';
export {
  type ClassComparison,
  type CompareOptions,
  compareTaskClasses,
  type ComparisonStatus,
  minTasksFor,
  seededRandom,
} from './compare/index.js';
