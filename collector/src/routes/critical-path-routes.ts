import { optionalNumber, optionalString, windowParams } from '../query/query-params.js';
import type { RouteModule } from './route-module.js';

/** The tail percentile when none is asked for: P95, where "the slow tail" usually starts. */
const DEFAULT_TAIL_PERCENTILE = 95;

/**
 * `GET /api/critical-path?from=&to=&service=&taskClass=&name=&tail=95`: which operations hold the
 * critical path of the window's slowest tasks, and how much longer than in its typical tasks.
 * `tail` runs from 50 (the tail is the slower half) to 100 (the slowest task alone).
 */
export const criticalPathRoutes: RouteModule = {
  name: 'critical-path',
  register(app, { store }) {
    app.get('/api/critical-path', async (request, response) => {
      const query = request.query as Record<string, unknown>;
      response.json(
        await store.criticalPath({
          ...windowParams(query),
          taskClass: optionalString(query, 'taskClass'),
          name: optionalString(query, 'name'),
          tail: optionalNumber(query, 'tail', { min: 50, max: 100 }) ?? DEFAULT_TAIL_PERCENTILE,
        }),
      );
    });
  },
};
