import type { HealthResponse } from '@threshold/core';
import type { RouteModule } from './route-module.js';

/** `GET /api/live` (Server-Sent Events of analysed traces) and `GET /api/health`. */
export const liveRoutes: RouteModule = {
  name: 'live',
  register(app, context) {
    app.get('/api/live', (request, response) => {
      context.live.subscribe(response);
    });
    app.get('/api/health', (_request, response) => {
      const health: HealthResponse = {
        status: 'ok',
        version: context.version,
        store: context.store.kind,
        uptimeMs: Date.now() - context.startedAtMs,
        pendingTraces: context.assembler.pendingCount,
        ingestQueueDepth: context.commitQueue.depth,
        spansOverTraceCap: context.metrics?.spansOverTraceCap ?? 0,
      };
      response.json(health);
    });
  },
};
