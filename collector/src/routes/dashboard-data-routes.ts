import { OPERATION_CATEGORIES } from '@threshold/core';
import { checkTextLength, echo, integerInRange, MAX_PAGE_SIZE, oneOf, windowParams } from '../query/query-params.js';
import type { RouteModule } from './route-module.js';

/** The dashboard's aggregate views: filters, models, operations, sessions. */
export const dashboardDataRoutes: RouteModule = {
  name: 'dashboard-data',
  register(app, { store }) {
    app.get('/api/filters', async (_request, response) => {
      response.json(await store.filters());
    });
    app.get('/api/models', async (request, response) => {
      response.json(await store.models(windowParams(request.query as Record<string, unknown>)));
    });
    app.get('/api/operations', async (request, response) => {
      const query = request.query as Record<string, unknown>;
      const category = oneOf(query, 'category', OPERATION_CATEGORIES);
      response.json(await store.operations({ ...windowParams(query), category }));
    });
    app.get('/api/sessions', async (request, response) => {
      const query = request.query as Record<string, unknown>;
      response.json(
        await store.sessions({
          ...windowParams(query),
          limit: integerInRange(query, 'limit', 50, 1, MAX_PAGE_SIZE),
          offset: integerInRange(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
        }),
      );
    });
    app.get('/api/sessions/:sessionId', async (request, response) => {
      const sessionId = String(request.params.sessionId);
      checkTextLength('sessionId', sessionId);
      const detail = await store.sessionDetail(sessionId);
      if (!detail) {
        response.status(404).json({ error: `session ${echo(sessionId)} not found` });
        return;
      }
      response.json(detail);
    });
  },
};
