import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';

/** Paths that belong to the API, never to the single-page app. */
const API_PREFIXES = ['/api/', '/v1/', '/metrics'];

/**
 * Serves the built dashboard at `/`, with index.html for any other GET that is not an API path
 * (client-side routes such as `/traces/abc…` load the app, which then routes).
 */
export function serveDashboard(app: Express, dashboardDir: string): void {
  const indexFile = join(dashboardDir, 'index.html');
  app.use(express.static(dashboardDir, { index: 'index.html', fallthrough: true }));
  app.get('/{*path}', (request, response, next) => {
    if (API_PREFIXES.some((prefix) => request.path.startsWith(prefix))) return next();
    if (!existsSync(indexFile)) {
      response.status(404).type('text/plain').send('The dashboard is not built: run `npm run build`, then reload.\n');
      return;
    }
    response.sendFile(indexFile);
  });
}
