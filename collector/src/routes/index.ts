import { criticalPathRoutes } from './critical-path-routes.js';
import { dashboardDataRoutes } from './dashboard-data-routes.js';
import { ingestRoutes } from './ingest-routes.js';
import { liveRoutes } from './live-routes.js';
import type { RouteModule } from './route-module.js';
import { statsRoutes } from './stats-routes.js';
import { traceRoutes } from './trace-routes.js';

export type { RouteContext, RouteModule } from './route-module.js';

/** Every route module, registered in this order; the dashboard's static files come after all of them. */
export const ROUTE_MODULES: readonly RouteModule[] = [
  ingestRoutes,
  traceRoutes,
  statsRoutes,
  dashboardDataRoutes,
  criticalPathRoutes,
  liveRoutes,
];
