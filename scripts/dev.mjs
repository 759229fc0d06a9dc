#!/usr/bin/env node
/**
 * `npm run dev`: the collector on 127.0.0.1:4318 (data in ./data) and the dashboard's Vite dev
 * server with hot reload on http://127.0.0.1:5173, which proxies /api to the collector. Extra
 * arguments go to the collector (`npm run dev -- --data-dir ./other`). Ctrl-C stops both.
 */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const children = [
  spawn(process.execPath, [join(root, 'collector/dist/cli.js'), 'start', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'dashboard'], { cwd: root, stdio: 'inherit' }),
];
const stop = (code) => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
};
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
