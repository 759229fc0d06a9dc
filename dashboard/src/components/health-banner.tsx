import { useEffect, useState } from 'react';
import type { HealthResponse } from '@threshold/core';
import { HEALTH_POLL_MS, healthBannerText } from './health-banner-text';

/** A banner across every page while `/api/health` says the collector is degraded (store fault, full disk, analysis behind). */
export function HealthBanner() {
  const [health, setHealth] = useState<HealthResponse | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    const check = async () => {
      try {
        // A degraded collector answers 503 with the same body: read it whatever the status.
        const response = await fetch('/api/health', { headers: { accept: 'application/json' } });
        const body = (await response.json()) as HealthResponse;
        if (!stopped && typeof body?.status === 'string') setHealth(body);
      } catch {
        // Unreachable or signed out: the views say so themselves.
      }
    };
    void check();
    const timer = setInterval(() => void check(), HEALTH_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  const text = healthBannerText(health);
  if (!text) return null;
  return (
    <div className="health-banner" role="alert" data-health="degraded">
      <strong>{text.title}</strong>
      <ul>
        {text.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
    </div>
  );
}
