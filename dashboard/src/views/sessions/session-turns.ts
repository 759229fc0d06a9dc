import type { SessionDetail } from '@threshold/core';

/** Turns labelled for the chart: by `threshold.turn` when recorded, else by position (1-based). */
export function sessionTurnRows(turns: SessionDetail['turns']): Array<SessionDetail['turns'][number] & { label: string }> {
  return turns.map((turn, index) => ({ ...turn, label: `Turn ${turn.turn ?? index + 1}` }));
}
