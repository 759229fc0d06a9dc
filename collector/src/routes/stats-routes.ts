import { oneOf, optionalDuration, optionalString, QueryParamError, windowParams } from '../query/query-params.js';
import type { RouteModule } from './route-module.js';

/** Buckets a time-series answer aims for when `bucketMs` is not given. */
const TARGET_BUCKETS = 60;
/** Most buckets one series may have. */
const MAX_BUCKETS = 2_000;
const DEFAULT_WINDOW_MS = 3_600_000;

/** `GET /api/stats` (docs/DESIGN.md) and `GET /api/timeseries`. */
export const statsRoutes: RouteModule = {
  name: 'stats',
  register(app, { store }) {
    app.get('/api/stats', async (request, response) => {
      const query = request.query as Record<string, unknown>;
      response.json(
        await store.stats({
          ...windowParams(query),
          groupBy: oneOf(query, 'groupBy', ['taskClass', 'service', 'name'] as const) ?? 'taskClass',
          taskClass: optionalString(query, 'taskClass'),
        }),
      );
    });
    app.get('/api/timeseries', async (request, response) => {
      const query = request.query as Record<string, unknown>;
      const window = windowParams(query);
      const spanMs = (window.to ?? Date.now()) - (window.from ?? (window.to ?? Date.now()) - DEFAULT_WINDOW_MS);
      const requested = optionalDuration(query, 'bucketMs', { min: 1 });
      const bucketMs = Math.round(requested ?? Math.max(1_000, Math.ceil(spanMs / TARGET_BUCKETS)));
      if (window.from !== undefined && spanMs / bucketMs > MAX_BUCKETS) {
        throw new QueryParamError(`bucketMs ${bucketMs} gives more than ${MAX_BUCKETS} buckets over the window`);
      }
      response.json(
        await store.timeseries({
          ...window,
          groupBy: oneOf(query, 'groupBy', ['taskClass', 'service'] as const) ?? 'taskClass',
          taskClass: optionalString(query, 'taskClass'),
          bucketMs,
        }),
      );
    });
  },
};
