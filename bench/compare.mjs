#!/usr/bin/env node
/**
 * Cost of `threshold compare`'s statistics on the built core: the bootstrap interval of the ratio
 * of two runs' P95, two runs of TASKS tasks each (default 1,000 × 1,000), RESAMPLES
 * resamples (default 2,000) — what the command does for one task class. Also with 10,000 tasks
 * a run, and for comparison, the same resamples drawn and sorted the plain way.
 * Durations: a lognormal (median 800 ms, σ 0.35), seeded. Figures: median of 7 runs.
 *
 *   node bench/compare.mjs   (after `npx tsc -b`; `npm run bench -- compare` builds first)
 */
import { compareTaskClasses, percentileSorted, seededRandom } from '../packages/core/dist/index.js';

const RUNS = 7;
const TASKS = Number(process.env.TASKS ?? 1_000);
const RESAMPLES = Number(process.env.RESAMPLES ?? 2_000);

function lognormal(count, seed) {
  const random = seededRandom(seed);
  return Array.from(
    { length: count },
    () => 800 * Math.exp(0.35 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())),
  );
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeMs(work) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const startedAt = performance.now();
    work();
    times.push(performance.now() - startedAt);
  }
  return median(times);
}

const options = { fraction: 0.95, maxRegression: 0.1, confidence: 0.95, resamples: RESAMPLES, seed: 1 };
const compare = (tasks) => {
  const baseline = new Map([['simple', lognormal(tasks, 1)]]);
  const candidate = new Map([['simple', lognormal(tasks, 2)]]);
  return () => compareTaskClasses(baseline, candidate, options);
};

/** The bootstrap without the counting walk: each resample materialised and sorted. */
function sortedResamples(tasks) {
  const baseline = Float64Array.from(lognormal(tasks, 1)).sort();
  const candidate = Float64Array.from(lognormal(tasks, 2)).sort();
  return () => {
    const random = seededRandom(1);
    const resample = new Float64Array(tasks);
    const draw = (run) => {
      for (let i = 0; i < tasks; i++) resample[i] = run[Math.floor(random() * tasks)];
      return percentileSorted(resample.sort(), 0.95);
    };
    let ratios = 0;
    for (let i = 0; i < RESAMPLES; i++) ratios += draw(candidate) / draw(baseline);
    return ratios;
  };
}

console.log(`bootstrap P95 ratio, ${RESAMPLES.toLocaleString('en-US')} resamples (median of ${RUNS} runs):`);
console.log(`  ${TASKS.toLocaleString('en-US')} × ${TASKS.toLocaleString('en-US')} tasks     ${timeMs(compare(TASKS)).toFixed(1)} ms`);
console.log(`  10,000 × 10,000 tasks   ${timeMs(compare(10_000)).toFixed(1)} ms`);
console.log(
  `  ${TASKS.toLocaleString('en-US')} × ${TASKS.toLocaleString('en-US')}, sorting each resample   ${timeMs(sortedResamples(TASKS)).toFixed(1)} ms`,
);
