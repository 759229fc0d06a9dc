import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, fetchJson } from './api-client';

/**
 * Loads one API resource for a component. A new `path` (or `refreshKey`) refetches and aborts the
 * request in flight; the previous data stays on screen while a refresh loads (no flicker on live
 * updates). A null path loads nothing.
 */
export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

export interface UseApiOptions {
  /** Changing it refetches the same path (live updates). */
  refreshKey?: unknown;
  /** Keep showing the last data while a new path loads (a sliding time window), not just on refresh. */
  keepPrevious?: boolean;
}

export function useApi<T>(path: string | null, options: UseApiOptions = {}): ApiState<T> {
  const { refreshKey = 0, keepPrevious = false } = options;
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean; path: string | null }>({
    loading: path !== null,
    path,
  });
  const [reloadCount, setReloadCount] = useState(0);
  const lastPath = useRef(path);

  useEffect(() => {
    if (path === null) {
      setState({ loading: false, path });
      return;
    }
    const samePath = lastPath.current === path;
    lastPath.current = path;
    const controller = new AbortController();
    setState((previous) => ({ data: samePath || keepPrevious ? previous.data : undefined, error: undefined, loading: true, path }));
    fetchJson<T>(path, { signal: controller.signal }).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false, path });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, String((error as Error)?.message ?? error), path);
        setState((previous) => ({ data: previous.data, error: apiError, loading: false, path }));
      },
    );
    return () => controller.abort();
  }, [path, refreshKey, reloadCount, keepPrevious]);

  const reload = useCallback(() => setReloadCount((n) => n + 1), []);
  return { data: state.path === path || keepPrevious ? state.data : undefined, error: state.error, loading: state.loading, reload };
}
