import { describe, expect, test } from 'vitest';
import { healthBannerText } from '../../dashboard/src/components/health-banner-text.js';

describe('the health banner', () => {
  test('is absent while the collector is ok or has not answered yet', () => {
    expect(healthBannerText(undefined)).toBeUndefined();
    expect(healthBannerText({ status: 'ok', reasons: [], analysisLagMs: 0 })).toBeUndefined();
  });

  test('shows every reason the collector gives while it is degraded', () => {
    const reasons = [
      'the disk is full: ingest is refused until there is room since 2026-12-07T10:00:00.000Z: No space left on device',
      'analysis is 75 s behind ingest',
    ];
    expect(healthBannerText({ status: 'degraded', reasons, analysisLagMs: 75_000 })).toEqual({
      title: 'The collector is degraded: what you see may be incomplete or late',
      reasons,
    });
  });

  test('still says something when a degraded answer carries no reason', () => {
    expect(healthBannerText({ status: 'degraded', reasons: [], analysisLagMs: 0 })?.reasons).toEqual([
      'the collector reports itself degraded',
    ]);
  });
});
