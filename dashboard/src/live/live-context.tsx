import type { TraceSummary } from '@threshold/core';
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { openLiveFeed, type LiveFeed, type LiveStatus } from './live-feed';

/**
 * Makes the live feed available to every view. `useLiveRefresh` gives a counter that goes up when
 * new traces arrive (at most once per `minIntervalMs`), for views to pass to `useApi` as a refresh
 * key: aggregates are recomputed by the collector, so refetching keeps every number exact.
 */
const LiveContext = createContext<LiveFeed | null>(null);

export function LiveProvider({ children }: { children: ReactNode }) {
  const [feed, setFeed] = useState<LiveFeed | null>(null);
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const opened = openLiveFeed();
    setFeed(opened);
    return () => opened.close();
  }, []);
  return <LiveContext.Provider value={feed}>{children}</LiveContext.Provider>;
}

export function useLiveStatus(): LiveStatus | 'unavailable' {
  const feed = useContext(LiveContext);
  return useSyncExternalStore(
    (onChange) => (feed ? feed.onStatus(onChange) : () => {}),
    () => (feed ? feed.status() : typeof EventSource === 'undefined' ? 'unavailable' : 'connecting'),
  );
}

export function useLiveTraces(onTrace: (trace: TraceSummary) => void): void {
  const feed = useContext(LiveContext);
  const callback = useRef(onTrace);
  callback.current = onTrace;
  useEffect(() => feed?.subscribe((trace) => callback.current(trace)), [feed]);
}

export function useLiveRefresh(minIntervalMs = 1_500, enabled = true): number {
  const [version, setVersion] = useState(0);
  const lastBump = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  useLiveTraces(() => {
    if (!enabled || pending.current) return;
    const wait = Math.max(0, lastBump.current + minIntervalMs - Date.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      lastBump.current = Date.now();
      setVersion((v) => v + 1);
    }, wait);
  });
  return version;
}
