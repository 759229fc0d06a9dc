import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { QueryParamError } from './query/query-params.js';
import type { RouteContext, RouteModule } from './routes/route-module.js';
import { serveDashboard } from './routes/static-dashboard.js';

/**
 * The express app: every route module in order, then the dashboard, then one error handler
 * (bad query parameters are 400 with their message; anything else a logged 500).
 */
export function createApp(context: RouteContext, modules: readonly RouteModule[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  for (const module of modules) module.register(app, context);
  serveDashboard(app, context.options.dashboardDir);
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    if (error instanceof QueryParamError) {
      response.status(400).json({ error: error.message });
      return;
    }
    console.error('threshold: request failed:', error);
    response.status(500).json({ error: 'internal error' });
  });
  return app;
}
