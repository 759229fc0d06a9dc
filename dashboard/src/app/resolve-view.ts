import { matchPath } from '../router/match-path';

/** The first view whose pattern matches the path, with its parameters; null for an unknown path. */
export function resolveView<V extends { path: string }>(
  views: readonly V[],
  pathname: string,
): { view: V; params: Record<string, string> } | null {
  for (const view of views) {
    const params = matchPath(view.path, pathname);
    if (params) return { view, params };
  }
  return null;
}

/**
 * The query keys every list view shares (time range and filters): carried over when moving between
 * views so a chosen window and service stay selected.
 */
export const SHARED_QUERY_KEYS = ['range', 'from', 'to', 'service', 'taskClass'] as const;

export function sharedQuery(search: string): string {
  const from = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const key of SHARED_QUERY_KEYS) {
    const value = from.get(key);
    if (value) kept.set(key, value);
  }
  const text = kept.toString();
  return text ? `?${text}` : '';
}
