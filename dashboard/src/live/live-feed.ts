import type { TraceSummary } from '@threshold/core';
import { reconnectDelayMs } from './reconnect-delay';

/**
 * One shared connection to `GET /api/live` (SSE, `event: trace`, data = TraceSummary). The browser's
 * EventSource retries dropped connections itself; when it gives up (readyState CLOSED, e.g. the
 * collector answered an error while restarting) this feed opens a new one with backoff.
 */
export type LiveStatus = 'connecting' | 'open' | 'reconnecting';

export interface LiveFeed {
  subscribe(onTrace: (trace: TraceSummary) => void): () => void;
  onStatus(listener: (status: LiveStatus) => void): () => void;
  status(): LiveStatus;
  close(): void;
}

export function openLiveFeed(url = '/api/live'): LiveFeed {
  const traceListeners = new Set<(trace: TraceSummary) => void>();
  const statusListeners = new Set<(status: LiveStatus) => void>();
  let status: LiveStatus = 'connecting';
  let source: EventSource | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setStatus = (next: LiveStatus) => {
    if (next === status) return;
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  const connect = () => {
    if (closed) return;
    source = new EventSource(url);
    source.onopen = () => {
      attempt = 0;
      setStatus('open');
    };
    source.addEventListener('trace', (event) => {
      let trace: TraceSummary;
      try {
        trace = JSON.parse((event as MessageEvent<string>).data) as TraceSummary;
      } catch {
        return;
      }
      for (const listener of traceListeners) listener(trace);
    });
    source.onerror = () => {
      if (closed) return;
      setStatus('reconnecting');
      if (source && source.readyState === EventSource.CLOSED) {
        source = null;
        timer = setTimeout(connect, reconnectDelayMs(attempt++, Math.random()));
      }
    };
  };
  connect();

  return {
    subscribe(onTrace) {
      traceListeners.add(onTrace);
      return () => traceListeners.delete(onTrace);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    status: () => status,
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}
