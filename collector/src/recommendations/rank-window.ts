import { rankRecommendations, type RecommendationsResponse } from '@threshold/core';
import type { TraceQueries } from '../store/trace-queries.js';
import { windowTraces } from './window-traces.js';

/**
 * `GET /api/recommendations`: the window's stored findings ranked by P99 saving over the
 * window's traces (the population each affected class's P99 is taken over).
 */
export async function rankWindow(
  store: Pick<TraceQueries, 'listTraces' | 'findings'>,
  window: { from?: number; to?: number; taskClass?: string; service?: string },
): Promise<RecommendationsResponse> {
  const [traces, findings] = await Promise.all([windowTraces(store, window), store.findings(window)]);
  return { recommendations: rankRecommendations(traces, findings), tracesAnalysed: traces.length };
}
