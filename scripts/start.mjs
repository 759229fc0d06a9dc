#!/usr/bin/env node
/**
 * `npm start` / `npm run demo`: make sure the TypeScript packages and the dashboard are built
 * (incremental, so a second start is quick), then hand over to the `threshold` CLI.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const status = ensureBuilt(root, { always: true, dashboard: true });
if (status !== 0) process.exit(status);
const cli = join(root, 'collector/dist/cli.js');
const child = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(child.status ?? 1);
