import type { TraceSpan } from '../trace-span.js';

/**
 * Time of a span not covered by any of its children (children clamped to the span; overlapping
 * children counted once), in ns.
 *
 *   span     |==========================|   30
 *   child a     |======|                     7
 *   child b        |=========|               overlaps a: union of a and b is 3..13 = 10
 *   self     |==|          |============|    30 − 10 = 20
 *
 * @param children sorted by start
 */
export function selfTimeNs(span: TraceSpan, children: readonly TraceSpan[]): number {
  let coveredNs = 0;
  let runStartNs = -1;
  let runEndNs = -1;
  for (const child of children) {
    const startNs = Math.max(child.startNs, span.startNs);
    const endNs = Math.min(child.endNs, span.endNs);
    if (endNs <= startNs) continue;
    if (startNs > runEndNs) {
      coveredNs += runEndNs - runStartNs;
      runStartNs = startNs;
      runEndNs = endNs;
    } else if (endNs > runEndNs) runEndNs = endNs;
  }
  coveredNs += runEndNs - runStartNs;
  return span.endNs - span.startNs - coveredNs;
}
