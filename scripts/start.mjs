#!/usr/bin/env node
/**
 * `npm start` / `npm run demo`: make sure the TypeScript packages and the dashboard are built
 * (incremental, so a second start is quick), then hand over to the `threshold` CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b']);
if (!existsSync(join(root, 'dashboard/dist/index.html'))) {
  console.log('threshold: building the dashboard (first start only)…');
  run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', 'dashboard']);
}
const cli = join(root, 'collector/dist/cli.js');
const child = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(child.status ?? 1);
