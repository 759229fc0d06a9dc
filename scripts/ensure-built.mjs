/**
 * What `npm start`, `npm run demo` and the `threshold` launcher need before the CLI can run: the
 * TypeScript packages compiled (collector/dist) and, for commands that serve it, the dashboard
 * built (dashboard/dist). A fresh checkout has neither after `npm ci`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds what is missing under `root`.
 *
 * @param options.always  run the incremental `tsc -b` even when collector/dist exists (npm start:
 *                        pick up edited sources; about a second when nothing changed)
 * @param options.dashboard  also build the dashboard when dashboard/dist has no index.html
 * @param options.output  where build output goes: 'inherit', or 'stderr' to keep stdout for the
 *                        command's own answer (`threshold compare … > result.txt`)
 * @returns the exit code of the first build step that failed, or 0
 */
export function ensureBuilt(root, { always = false, dashboard = false, output = 'inherit' } = {}) {
  const stdio = output === 'stderr' ? ['ignore', 2, 2] : 'inherit';
  const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio }).status ?? 1;
  if (always || !existsSync(join(root, 'collector/dist/cli.js'))) {
    if (!always) process.stderr.write('threshold: building the TypeScript packages (first run only)…\n');
    const status = run([join(root, 'node_modules/typescript/bin/tsc'), '-b']);
    if (status !== 0) return status;
  }
  if (dashboard && !existsSync(join(root, 'dashboard/dist/index.html'))) {
    process.stderr.write('threshold: building the dashboard (first start only)…\n');
    const status = run([join(root, 'node_modules/vite/bin/vite.js'), 'build', 'dashboard']);
    if (status !== 0) return status;
  }
  return 0;
}
