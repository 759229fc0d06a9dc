import type { HealthResponse } from '@threshold/core';

/** How often the dashboard asks the collector whether it is healthy. */
export const HEALTH_POLL_MS = 10_000;

/** What the banner says: nothing while the collector is ok; the reasons while it is degraded or unreachable. */
export interface HealthBannerText {
  title: string;
  reasons: string[];
}

/**
 * The banner for one answer of `/api/health`: `undefined` (no banner) when it is ok. A degraded
 * collector answers 503 with its reasons; views may then show stale data or errors, and the banner
 * says why. No answer at all is left to the views' own "cannot reach the collector" messages.
 */
export function healthBannerText(
  health: Pick<HealthResponse, 'status' | 'reasons' | 'analysisLagMs'> | undefined,
): HealthBannerText | undefined {
  if (!health || health.status === 'ok') return undefined;
  const reasons = health.reasons.length > 0 ? health.reasons : ['the collector reports itself degraded'];
  return { title: 'The collector is degraded: what you see may be incomplete or late', reasons };
}
