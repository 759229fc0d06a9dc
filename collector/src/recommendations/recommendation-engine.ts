import {
  analyseRecords,
  observeTrace,
  RECOMMENDATION_RULES,
  RuleContextIndex,
  runRules,
  type Finding,
  type FindingRuleId,
  type RecommendationThresholds,
  type RuleContext,
  type TaskClassConfig,
  type TraceAnalysis,
} from '@threshold/core';
import type { SpanReader } from '../store/span-log.js';
import type { TraceQueries } from '../store/trace-queries.js';

export interface RecommendationEngineOptions {
  taskClassConfig: TaskClassConfig;
  thresholds?: Partial<RecommendationThresholds>;
  /**
   * Traces the cross-trace index remembers (oldest forgotten first). Default 5,000: a 20-span
   * agent turn costs about 6 KB of observations (measured: 123 MB for 20,000), so ~30 MB, and
   * 5,000 recent traces hold ample samples per model, per task and per session.
   */
  maxTraces?: number;
  /** Where rule failures go (default: console.error). */
  onRuleFailure?: (traceId: string, ruleId: FindingRuleId, message: string) => void;
}

/** Traces read back from the store at start so cross-trace rules do not start blind. */
const WARM_UP_TRACES = 2_000;
const WARM_UP_BATCH = 250;

/**
 * The collector's side of recommendations. Every analysed trace passes through `findingsFor`:
 * its observations join the cross-trace index (model latency by token count, session turns,
 * task step sequences, warm tool times), then every rule runs against it with that index as
 * context. Findings are stored with the analysis, so `GET /api/traces/:id` and the ranking read
 * them back without recomputing; what-if recomputes with the index as it is now.
 */
export class RecommendationEngine {
  private readonly index: RuleContextIndex;

  constructor(private readonly options: RecommendationEngineOptions) {
    this.index = new RuleContextIndex(options.maxTraces ?? 5_000);
  }

  /** The findings provider: indexes the trace, then runs the rules on it. Never throws. */
  findingsFor(analysis: TraceAnalysis): Finding[] {
    this.observe(analysis);
    return this.evaluate(analysis);
  }

  /** Adds (or replaces) a trace in the cross-trace index without evaluating it. */
  observe(analysis: TraceAnalysis): void {
    try {
      this.index.add(observeTrace(analysis));
    } catch (error) {
      console.error(`threshold: indexing trace ${analysis.traceId} for recommendations failed:`, error);
    }
  }

  /** Runs the rules (all, or `ruleIds`) on one trace with the current context. */
  evaluate(
    analysis: TraceAnalysis,
    overrides: { ruleIds?: readonly FindingRuleId[]; thresholds?: Partial<RecommendationThresholds> } = {},
  ): Finding[] {
    const rules = overrides.ruleIds ? RECOMMENDATION_RULES.filter((rule) => overrides.ruleIds!.includes(rule.id)) : RECOMMENDATION_RULES;
    const run = runRules(analysis, this.context(overrides.thresholds), rules);
    for (const failure of run.failures) this.report(analysis.traceId, failure.ruleId, failure.message);
    return run.findings;
  }

  context(thresholds?: Partial<RecommendationThresholds>): RuleContext {
    return this.index.context({ thresholds: { ...this.options.thresholds, ...thresholds }, taskClassConfig: this.options.taskClassConfig });
  }

  get taskClassConfig(): TaskClassConfig {
    return this.options.taskClassConfig;
  }

  get indexedTraces(): number {
    return this.index.size;
  }

  /**
   * Reads the most recent stored traces back into the index (oldest first, so the newest are the
   * last to be forgotten). Failures are logged: recommendations then start from what arrives.
   */
  async warmUp(store: Pick<TraceQueries, 'listTraces'> & SpanReader, limit = WARM_UP_TRACES): Promise<void> {
    try {
      const ids: string[] = [];
      while (ids.length < limit) {
        const { traces } = await store.listTraces({ limit: Math.min(limit - ids.length, 1_000), offset: ids.length });
        ids.push(...traces.map((trace) => trace.traceId));
        if (traces.length === 0) break;
      }
      ids.reverse();
      for (let i = 0; i < ids.length; i += WARM_UP_BATCH) {
        const batch = await store.loadTraceSpans(ids.slice(i, i + WARM_UP_BATCH));
        for (const id of ids.slice(i, i + WARM_UP_BATCH)) {
          const records = batch.get(id);
          if (records && records.length > 0 && !this.index.has(id)) this.observe(analyseRecords(records, this.options.taskClassConfig));
        }
      }
    } catch (error) {
      console.error('threshold: reading stored traces for recommendations failed:', error);
    }
  }

  private report(traceId: string, ruleId: FindingRuleId, message: string): void {
    if (this.options.onRuleFailure) this.options.onRuleFailure(traceId, ruleId, message);
    else console.error(`threshold: recommendation rule ${ruleId} failed on trace ${traceId}: ${message}`);
  }
}
