import type { RouteModule } from '../routes/route-module.js';
import type { CollectorMetrics } from './collector-metrics.js';
import { liveStreamFamilies } from './live-stream-metrics.js';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-text.js';

/** `GET /metrics`: Prometheus text exposition, the collector's counters with the live streams'. */
export function metricsRoutes(metrics: CollectorMetrics): RouteModule {
  return {
    name: 'metrics',
    register(app, { live }) {
      app.get('/metrics', (_request, response) => {
        response.setHeader('Content-Type', PROMETHEUS_CONTENT_TYPE);
        response.send(metrics.render(liveStreamFamilies(live.stats())));
      });
    },
  };
}
