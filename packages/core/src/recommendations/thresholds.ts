/**
 * When each recommendation fires. Every default is tied to what fast agent systems look like
 * (docs/DESIGN.md, "Background figures"); all are configurable because a batch agent and a chat agent
 * draw the line in different places.
 */
export interface RecommendationThresholds {
  /**
   * Findings saving less than this are not reported. Default 10 ms: a tenth of the 100 ms
   * "instant" band, and below the 5–20 ms a single orchestration hop costs in a healthy system,
   * so nothing smaller is worth a change.
   */
  minSavingMs: number;
  /**
   * stream-answer: TTFT assumed for a model never seen streaming. Default 200 ms, the typical
   * TTFT of the background figures ("TTFT ~200 ms, ~20 ms per output token").
   */
  defaultTtftMs: number;
  /** stream-answer: purposes whose output the user never reads, so streaming them shows nothing. */
  internalPurposes: readonly string[];
  /**
   * route-model: purposes simple enough for a small model. The background figures list intent,
   * classification, safety and formatting as the calls a customer-service agent makes around its
   * answer, and a 7B-class model classifies intent in ~50 ms.
   */
  simplePurposes: readonly string[];
  /** route-model: a call with at most this many output tokens counts as short. Default 50. */
  shortOutputTokens: number;
  /** route-model: token counts are similar within this factor either way. Default 2. */
  similarTokenFactor: number;
  /** route-model, prewarm, speculate: fewest observations a comparison rests on. Default 5. */
  minSamples: number;
  /**
   * route-model: the faster model's median must be at most this fraction of the slower one's.
   * Default 0.7 (30 % faster), so noise between two similar models does not count.
   */
  maxRoutedLatencyFraction: number;
  /**
   * compress-context: fraction of input tokens a compression removes, for the projection.
   * Default 0.5: summarising older turns roughly halves a long context, in line with the
   * 30–60 % per-call latency reduction the background figures give for long sessions.
   */
  compressionRatio: number;
  /** compress-context: fewest llm calls (of one model, in one session) to fit. Default 4. */
  minFitPoints: number;
  /** compress-context: fewest turns the calls span. Default 3. */
  minFitTurns: number;
  /** compress-context: the fit must explain at least this share of latency variance (R²). Default 0.6. */
  minFitR2: number;
  /** compress-context: largest input ÷ smallest input across the fitted calls. Default 1.5. */
  minContextGrowth: number;
  /**
   * prewarm: a session's first call of a tool is cold when it takes at least this many times the
   * median of its later calls. Default 2: tool calls run 100 ms–2 s, so a doubling is a start-up
   * cost, not variance.
   */
  coldStartFactor: number;
  /** prewarm: later calls needed before a first call can be judged cold. Default 2. */
  minWarmCalls: number;
  /** speculate: share of a task's traces in which the tool follows the same step. Default 0.9. */
  speculateMinShare: number;
  /** speculate: fewest traces of the task before its steps count as predictable. Default 10. */
  speculateMinTraces: number;
  /**
   * state-overhead: critical-path state time allowed per llm call. Default 100 ms, the top of the
   * 10–100 ms per llm call healthy systems spend on state management.
   */
  stateMsPerLlmCall: number;
  /**
   * orchestration-overhead: critical-path orchestration time allowed per llm call. Default 20 ms,
   * the top of the 5–20 ms orchestration costs in a healthy system.
   */
  orchestrationMsPerLlmCall: number;
  /**
   * stream-stall: a pause between two chunks of a streamed answer at least this long is one the
   * user notices. Default 1,000 ms: about the limit for a reader's flow of thought to stay
   * uninterrupted (Nielsen's response-time limits: 0.1 s feels instant, 1 s is noticed, 10 s loses
   * attention). A reader who has caught up with the text sees it freeze; and at the ~20 ms per
   * token of the background figures, a second is some fifty tokens that did not come.
   */
  streamStallMs: number;
}

export const DEFAULT_RECOMMENDATION_THRESHOLDS: Readonly<RecommendationThresholds> = {
  minSavingMs: 10,
  defaultTtftMs: 200,
  internalPurposes: [
    'intent',
    'classification',
    'classify',
    'safety',
    'moderation',
    'guardrail',
    'routing',
    'route',
    'embedding',
    'rerank',
  ],
  simplePurposes: [
    'intent',
    'classification',
    'classify',
    'safety',
    'moderation',
    'guardrail',
    'routing',
    'route',
    'format',
    'formatting',
    'extraction',
  ],
  shortOutputTokens: 50,
  similarTokenFactor: 2,
  minSamples: 5,
  maxRoutedLatencyFraction: 0.7,
  compressionRatio: 0.5,
  minFitPoints: 4,
  minFitTurns: 3,
  minFitR2: 0.6,
  minContextGrowth: 1.5,
  coldStartFactor: 2,
  minWarmCalls: 2,
  speculateMinShare: 0.9,
  speculateMinTraces: 10,
  stateMsPerLlmCall: 100,
  orchestrationMsPerLlmCall: 20,
  streamStallMs: 1_000,
};
