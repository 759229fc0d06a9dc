import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectorOptions } from '../../collector/src/config.js';
import { OPEN_ACCESS, parseAccessConfig } from '../../collector/src/security/access-config.js';
import type { ServerOptions, ThresholdServer } from '../../collector/src/server/server-options.js';
import { startServer } from '../../collector/src/server/start-server.js';

/** Keys of the two projects every keyed gateway test uses; alpha is listed first. */
export const KEYS = {
  alphaIngest: 'alpha-ingest-0123456789',
  alphaRead: 'alpha-read-0123456789ab',
  alphaAdmin: 'alpha-admin-0123456789a',
  betaIngest: 'beta-ingest-0123456789',
  betaRead: 'beta-read-0123456789abc',
  betaAdmin: 'beta-admin-0123456789ab',
} as const;

export const KEYS_FILE = {
  projects: {
    alpha: { ingestKeys: [KEYS.alphaIngest], readKeys: [KEYS.alphaRead], adminKeys: [KEYS.alphaAdmin] },
    beta: { ingestKeys: [KEYS.betaIngest], readKeys: [KEYS.betaRead], adminKeys: [KEYS.betaAdmin] },
  },
};

/** The page the test dashboard serves at `/` (and for client-side routes). */
export const DASHBOARD_PAGE = '<!doctype html><title>Threshold test dashboard</title>';

export interface TestGateway {
  server: ThresholdServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * The server `threshold start` runs, in this process: in-memory DuckDB per project, a one-page
 * dashboard, a 50 ms quiet period. `keyed: false` gives open access on loopback.
 */
export async function startTestGateway({
  keyed = true,
  options = {},
  ...serverOptions
}: { keyed?: boolean; options?: Partial<CollectorOptions> } & Omit<ServerOptions, 'options' | 'access'> = {}): Promise<TestGateway> {
  const dashboardDir = mkdtempSync(join(tmpdir(), 'threshold-gateway-dashboard-'));
  writeFileSync(join(dashboardDir, 'index.html'), DASHBOARD_PAGE);
  const server = await startServer({
    options: { port: 0, host: '127.0.0.1', dataDir: ':memory:', quietPeriodMs: 50, dashboardDir, ...options },
    access: keyed ? parseAccessConfig(JSON.stringify(KEYS_FILE)) : OPEN_ACCESS,
    ...serverOptions,
  }).catch((error: unknown) => {
    rmSync(dashboardDir, { recursive: true, force: true });
    throw error;
  });
  return {
    server,
    port: server.port,
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(dashboardDir, { recursive: true, force: true });
    },
  };
}

/** A rule body whose id (`<project>-marker`) says which project's collector answered. */
export const markerRule = (project: string) => ({
  name: `${project} marker`,
  target: { kind: 'model', value: `${project}-model` },
  statistic: 'p95',
  threshold: 800,
  windowMs: 300_000,
});
