#!/usr/bin/env node
/**
 * The `threshold` command of a checkout: the root package's `bin`, so `npx threshold check …`
 * works from the repository root right after `npm ci`. (The collector package's own bin points
 * at collector/dist/cli.js, which does not exist yet when `npm ci` links bins, so npm links none.)
 * Builds what is missing on first use, then runs the CLI in this process: signals, exit codes and
 * output are the CLI's own.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Commands that serve the dashboard, so need it built. */
const SERVING_COMMANDS = new Set(['start', 'demo']);

const status = ensureBuilt(root, { dashboard: SERVING_COMMANDS.has(process.argv[2]), output: 'stderr' });
if (status !== 0) {
  process.stderr.write('threshold: the build failed (above); run `npm run build` to see why.\n');
  process.exit(status);
}
await import(pathToFileURL(join(root, 'collector/dist/cli.js')).href);
