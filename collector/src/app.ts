import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { echo, QueryParamError } from './query/query-params.js';
import type { RouteContext, RouteModule } from './routes/route-module.js';
import { StoreUnavailableError } from './store/store-fault.js';
import { isApiPath, serveDashboard } from './routes/static-dashboard.js';

/**
 * The express app: every route module in order, then the dashboard, then a JSON 404 for API paths
 * no route answered (`/api/*`, `/v1/*`, `/metrics*`: their callers read JSON, never the app's HTML),
 * then one error handler: bad parameters and malformed requests are 4xx with their message, a
 * store recovering from a fault 503 with Retry-After, anything else a logged 500.
 */
export function createApp(context: RouteContext, modules: readonly RouteModule[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Routes match the exact path the gateway authorised: /API/traces and /api/traces/ are not /api/traces.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  for (const module of modules) module.register(app, context);
  serveDashboard(app, context.options.dashboardDir);
  app.use((request: Request, response: Response) => {
    const what = isApiPath(request.path) ? 'no API route' : 'nothing';
    response.status(404).json({ error: `${what} at ${request.method} ${echo(request.path)}` });
  });
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    if (error instanceof QueryParamError) {
      response.status(400).json({ error: error.message });
      return;
    }
    if (error instanceof StoreUnavailableError) {
      // The store is recovering from a fault (see /api/health): worth asking again shortly, never a 500.
      response.status(503).set('Retry-After', String(error.retryAfterSeconds)).json({ error: error.message });
      return;
    }
    const status = clientErrorStatus(error);
    if (status !== undefined) {
      response.status(status).json({ error: clientErrorMessage(error, request) });
      return;
    }
    console.error('threshold: request failed:', error);
    response.status(500).json({ error: 'internal error' });
  });
  return app;
}

/** The 4xx status express or a body parser gave an error (an undecodable path, a body it refused); undefined for any other error. */
function clientErrorStatus(error: unknown): number | undefined {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function clientErrorMessage(error: unknown, request: Request): string {
  // Express fails to decode a route parameter such as the `%` of `/api/traces/%`.
  if (error instanceof URIError) return `the path ${echo(request.path)} is not valid percent-encoding`;
  return error instanceof Error ? error.message : String(error);
}
