import type { FindingRuleId, WhatIfWindowResponse } from '@threshold/core';
import { useEffect, useState } from 'react';
import { ApiError, postJson } from '../../api/api-client';

/** `POST /api/whatif` for a window (all findings, or one rule), refetched when its inputs change. */
export function useWindowProjection(
  request: { from: number; to: number; taskClass?: string; ruleId?: FindingRuleId } | null,
  refreshKey: unknown,
) {
  const [state, setState] = useState<{ data?: WhatIfWindowResponse; error?: ApiError; loading: boolean }>({ loading: false });
  const key = request ? JSON.stringify(request) : null;
  useEffect(() => {
    if (!request) return;
    const controller = new AbortController();
    setState((previous) => ({ data: previous.data, loading: true }));
    const body = {
      from: request.from,
      to: request.to,
      taskClass: request.taskClass,
      ruleIds: request.ruleId ? [request.ruleId] : undefined,
    };
    postJson<WhatIfWindowResponse>('/api/whatif', body, controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ error: error instanceof ApiError ? error : new ApiError(0, String(error), '/api/whatif'), loading: false });
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, refreshKey]);
  return state;
}
