import type { TraceSummary } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { nextRowIndex, nextSort, sortTraces } from '../../dashboard/src/views/traces/sort-traces';

const trace = (traceId: string, durationMs: number, name: string, band: TraceSummary['band'], sessionId?: string): TraceSummary => ({
  traceId,
  service: 'svc',
  name,
  taskClass: 'simple',
  ...(sessionId ? { sessionId } : {}),
  startTimeMs: 0,
  durationMs,
  perceivedMs: durationMs,
  band,
  perceivedBand: band,
  budgetMs: 2000,
  overBudget: durationMs > 2000,
  spanCount: 1,
  llmCalls: 0,
  toolCalls: 0,
  error: false,
  breakdown: { llm: 0, tool: 0, state: 0, orchestration: 0, other: durationMs },
});

// API order (newest first): a, b, c, d
const traces = [trace('a', 300, 'plan', 'responsive', 's2'), trace('b', 12_000, 'answer', 'broken'), trace('c', 300, 'classify', 'responsive', 's1'), trace('d', 2500, 'answer', 'frustrating')];
const ids = (list: TraceSummary[]) => list.map((t) => t.traceId);

describe('traces table sorting', () => {
  it('sort by duration, ties keeping the API order', () => {
    expect(ids(sortTraces(traces, 'durationMs', 'desc'))).toEqual(['b', 'd', 'a', 'c']);
    expect(ids(sortTraces(traces, 'durationMs', 'asc'))).toEqual(['a', 'c', 'd', 'b']);
  });

  it('sort bands by severity, not by name', () => {
    expect(ids(sortTraces(traces, 'band', 'desc'))).toEqual(['b', 'd', 'a', 'c']);
  });

  it('sort text columns alphabetically with missing sessions first', () => {
    expect(ids(sortTraces(traces, 'name', 'asc'))).toEqual(['b', 'd', 'c', 'a']);
    expect(ids(sortTraces(traces, 'sessionId', 'asc'))).toEqual(['b', 'd', 'c', 'a']);
  });

  it('flip the direction on the same column; start numbers descending and text ascending', () => {
    expect(nextSort({ key: 'durationMs', direction: 'desc' }, 'durationMs')).toEqual({ key: 'durationMs', direction: 'asc' });
    expect(nextSort({ key: 'startTimeMs', direction: 'desc' }, 'perceivedMs')).toEqual({ key: 'perceivedMs', direction: 'desc' });
    expect(nextSort({ key: 'startTimeMs', direction: 'desc' }, 'service')).toEqual({ key: 'service', direction: 'asc' });
  });
});

describe('traces table keyboard movement', () => {
  it('move by one with arrows and j/k, clamped at the ends', () => {
    expect(nextRowIndex(2, 'ArrowDown', 5)).toBe(3);
    expect(nextRowIndex(4, 'j', 5)).toBe(4);
    expect(nextRowIndex(0, 'k', 5)).toBe(0);
    expect(nextRowIndex(3, 'ArrowUp', 5)).toBe(2);
  });

  it('enter the table at the first row and jump with Home/End', () => {
    expect(nextRowIndex(-1, 'ArrowDown', 5)).toBe(0);
    expect(nextRowIndex(2, 'Home', 5)).toBe(0);
    expect(nextRowIndex(2, 'End', 5)).toBe(4);
  });

  it('ignore other keys and empty tables', () => {
    expect(nextRowIndex(1, 'x', 5)).toBeNull();
    expect(nextRowIndex(-1, 'ArrowDown', 0)).toBeNull();
  });
});
