import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';

/** Paths that belong to the API, never to the single-page app. */
const API_PREFIXES = ['/api/', '/v1/', '/metrics'];
const API_ROOTS = ['/api', '/v1'];

/**
 * Whether `path` belongs to the API: `/api/*`, `/v1/*` and `/metrics*`, in any letter case, as
 * express routes without regard to case.
 */
export function isApiPath(path: string): boolean {
  const lower = path.toLowerCase();
  return API_ROOTS.includes(lower) || API_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * Serves the built dashboard at `/`, with index.html for any other GET that is not an API path
 * (client-side routes such as `/traces/abc…` load the app, which then routes).
 */
export function serveDashboard(app: Express, dashboardDir: string): void {
  const indexFile = join(dashboardDir, 'index.html');
  app.use(express.static(dashboardDir, { index: 'index.html', fallthrough: true }));
  app.get('/{*path}', (request, response, next) => {
    if (isApiPath(request.path)) return next();
    if (!existsSync(indexFile)) {
      response.status(404).type('text/plain').send('The dashboard is not built: run `npm run build`, then reload.\n');
      return;
    }
    response.sendFile(indexFile);
  });
}
