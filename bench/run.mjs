#!/usr/bin/env node
/**
 * `npm run bench`: runs every benchmark in this folder one after another (never in parallel: the
 * machine has two cores and the figures are ratios measured within one run). Pass names to run a
 * subset: `npm run bench -- decode ingest`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.mjs') && file !== 'run.mjs' && !file.startsWith('_'))
  .map((file) => file.replace(/\.mjs$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

let failed = 0;
for (const name of benches) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(here, `${name}.mjs`)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`bench ${name} failed with exit code ${result.status}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
