import type { ViewBounds } from './view-bounds';

/**
 * Axis ticks for a view: a round step (1, 2 or 5 × 10^k ms) giving at most `maxTicks` intervals,
 * ticks on its multiples, each labelled with as few decimals as the step needs.
 *
 *   view 0–1000 ms, maxTicks 5 → step 200: 0 ms · 200 ms · 400 ms · 600 ms · 800 ms · 1.0 s
 */
export interface TimeTick {
  ms: number;
  /** Position within the view, 0–1. */
  fraction: number;
  label: string;
}

export function tickStepMs(spanMs: number, maxTicks: number): number {
  const raw = spanMs / Math.max(maxTicks, 1);
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const multiple of [1, 2, 5, 10]) {
    if (multiple * magnitude >= raw) return multiple * magnitude;
  }
  return 10 * magnitude;
}

export function timeTicks(view: ViewBounds, maxTicks = 6): TimeTick[] {
  const spanMs = view.endMs - view.startMs;
  if (!(spanMs > 0)) return [];
  const step = tickStepMs(spanMs, maxTicks);
  const first = Math.ceil(view.startMs / step - 1e-9);
  const last = Math.floor(view.endMs / step + 1e-9);
  const ticks: TimeTick[] = [];
  for (let i = first; i <= last; i++) {
    const ms = roundTo(i * step, step);
    ticks.push({ ms, fraction: (ms - view.startMs) / spanMs, label: tickLabel(ms, step) });
  }
  return ticks;
}

/** `350 ms`, `1.5 s`, `0.25 ms`: seconds once the step reaches 1 s or the tick passes 1 s with a step ≥ 100 ms. */
export function tickLabel(ms: number, stepMs: number): string {
  if (ms === 0) return '0';
  if (stepMs >= 100 && Math.abs(ms) >= 1_000) {
    const seconds = ms / 1_000;
    return `${seconds.toFixed(decimalsFor(stepMs / 1_000))} s`;
  }
  return `${ms.toFixed(decimalsFor(stepMs))} ms`;
}

function decimalsFor(step: number): number {
  if (step >= 1) return 0;
  return Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

function roundTo(value: number, step: number): number {
  const decimals = decimalsFor(step) + 2;
  return Number(value.toFixed(decimals));
}
