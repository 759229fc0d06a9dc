import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DASHBOARD_DIR = join(ROOT, 'dashboard');
export const DIST_INDEX = join(DASHBOARD_DIR, 'dist', 'index.html');

/** Newest modification time of the files the dashboard build reads. */
function newestSourceMs(): number {
  const sources = [
    join(DASHBOARD_DIR, 'src'),
    join(DASHBOARD_DIR, 'public'),
    join(DASHBOARD_DIR, 'index.html'),
    join(DASHBOARD_DIR, 'vite.config.ts'),
    join(ROOT, 'packages/core/src'),
  ];
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of sources) visit(source);
  return newest;
}

/** Builds dashboard/dist with Vite when it is missing or older than its sources. */
export async function ensureDashboardBuilt(): Promise<'fresh' | 'built'> {
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= newestSourceMs()) return 'fresh';
  const { build } = await import('vite');
  // The test runner sets NODE_ENV=test, which would make Vite bundle React's development build.
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: DASHBOARD_DIR, configFile: join(DASHBOARD_DIR, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = previous;
  }
  return 'built';
}
