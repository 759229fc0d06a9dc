import type { LatencyTriple } from '@threshold/core';
import { formatDurationMs } from '../format/format-duration';

/** P50 / P95 / P99 as three table cells ("—" when unknown, e.g. TTFT of a model never streamed). */
export function LatencyCells({ triple }: { triple: LatencyTriple | null }) {
  return (
    <>
      <td className="num">{formatDurationMs(triple?.p50Ms)}</td>
      <td className="num">{formatDurationMs(triple?.p95Ms)}</td>
      <td className="num strong">{formatDurationMs(triple?.p99Ms)}</td>
    </>
  );
}

export function LatencyHeads() {
  return (
    <>
      <th className="num sub">P50</th>
      <th className="num sub">P95</th>
      <th className="num sub">P99</th>
    </>
  );
}
