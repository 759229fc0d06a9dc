import { useSyncExternalStore } from 'react';

/**
 * A small history-API router: the collector serves the dashboard with an SPA fallback, so real
 * paths (`/traces/abc…`) work on reload and make shareable links (alerts link to them).
 * Components read the location through `useLocation` and change it through `navigate`.
 */
const NAVIGATE_EVENT = 'threshold:navigate';

export interface AppLocation {
  pathname: string;
  search: string;
}

let cached: AppLocation = { pathname: '', search: '' };

function snapshot(): AppLocation {
  const { pathname, search } = window.location;
  if (cached.pathname !== pathname || cached.search !== search) cached = { pathname, search };
  return cached;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function useLocation(): AppLocation {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

export interface NavigateOptions {
  /** Replace the current history entry (filter changes) instead of pushing one (page changes). */
  replace?: boolean;
}

export function navigate(href: string, options: NavigateOptions = {}): void {
  const current = window.location.pathname + window.location.search;
  if (href === current) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
