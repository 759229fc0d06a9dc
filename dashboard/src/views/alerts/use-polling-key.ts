import { useEffect, useState } from 'react';

/**
 * A counter that goes up every `intervalMs` while the page is visible: alert states change on the
 * collector's evaluation ticks, not only when traces arrive, so the alert views poll as well.
 */
export function usePollingKey(intervalMs: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') setTick((n) => n + 1);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return tick;
}
