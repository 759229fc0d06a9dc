import { collectorHealth } from '../health/collector-health.js';
import type { RouteModule } from './route-module.js';

/** A refused live stream is worth retrying once another stream has closed: soon, not at once. */
const LIVE_RETRY_AFTER_S = 5;

/** `GET /api/live` (Server-Sent Events of analysed traces) and `GET /api/health`. */
export const liveRoutes: RouteModule = {
  name: 'live',
  register(app, context) {
    app.get('/api/live', (_request, response) => {
      if (context.live.subscribe(response)) return;
      response.status(503).set('Retry-After', String(LIVE_RETRY_AFTER_S));
      response.json({ error: `${context.live.clientCount} live streams are open, the most this collector serves; retry later` });
    });
    app.get('/api/health', (_request, response) => {
      const health = collectorHealth(context);
      response.status(health.status === 'ok' ? 200 : 503).json(health);
    });
  },
};
