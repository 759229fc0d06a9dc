import { navigate, useLocation } from './navigation';

/**
 * View state kept in the URL's query string (time range, filters, page, sort) so every view is a
 * shareable link. `setQuery` merges a patch; null or '' removes a key.
 */
export type QueryPatch = Record<string, string | number | null | undefined>;

export function applyQueryPatch(search: string, patch: QueryPatch): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function useQueryState(): [URLSearchParams, (patch: QueryPatch, options?: { push?: boolean }) => void] {
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const setQuery = (patch: QueryPatch, options: { push?: boolean } = {}) => {
    navigate(window.location.pathname + applyQueryPatch(window.location.search, patch), { replace: !options.push });
  };
  return [params, setQuery];
}
