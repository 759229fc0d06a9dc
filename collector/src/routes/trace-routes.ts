import { TRACE_SORT_KEYS, type TraceDetail } from '@threshold/core';
import {
  integerInRange,
  MAX_PAGE_SIZE,
  oneOf,
  optionalBand,
  optionalDuration,
  optionalString,
  traceIdParam,
  windowParams,
} from '../query/query-params.js';
import type { RouteModule } from './route-module.js';

/** `GET /api/traces` (newest first unless `sort`/`order` say otherwise, filtered, paged) and `GET /api/traces/:traceId`. */
export const traceRoutes: RouteModule = {
  name: 'traces',
  register(app, { store }) {
    app.get('/api/traces', async (request, response) => {
      const query = request.query as Record<string, unknown>;
      const list = await store.listTraces({
        ...windowParams(query),
        taskClass: optionalString(query, 'taskClass'),
        band: optionalBand(query, 'band'),
        sessionId: optionalString(query, 'sessionId'),
        minDurationMs: optionalDuration(query, 'minDurationMs'),
        sort: oneOf(query, 'sort', TRACE_SORT_KEYS),
        order: oneOf(query, 'order', ['asc', 'desc'] as const),
        limit: integerInRange(query, 'limit', 50, 1, MAX_PAGE_SIZE),
        offset: integerInRange(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
      });
      response.json(list);
    });
    app.get('/api/traces/:traceId', async (request, response) => {
      const traceId = traceIdParam('traceId', request.params.traceId);
      const detail: TraceDetail | undefined = await store.getTraceDetail(traceId);
      if (!detail) {
        response.status(404).json({ error: `trace ${traceId} not found` });
        return;
      }
      response.json(detail);
    });
  },
};
