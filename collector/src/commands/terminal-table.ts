/**
 * Plain-text tables for the terminal (`threshold report`, `threshold check`): columns padded to
 * their widest cell, numbers right-aligned, no colour codes so CI logs stay readable.
 */

export type Alignment = 'left' | 'right';

export interface Column {
  header: string;
  align: Alignment;
}

/** Renders rows under headers, two spaces between columns, each line indented by two spaces. */
export function renderTable(columns: readonly Column[], rows: readonly string[][]): string {
  const widths = columns.map((column, index) => Math.max(column.header.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: readonly string[]) =>
    '  ' +
    columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        return column.align === 'right' ? cell.padStart(widths[index]) : cell.padEnd(widths[index]);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...rows.map(line)].join('\n');
}

/** A latency for people: `840 ms` below a second, `1.94 s` from one second on, `12.3 s` from ten. */
export function formatMs(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1_000).toFixed(2)} s`;
  return `${(ms / 1_000).toFixed(1)} s`;
}

/** Whole milliseconds with thousands separators, `2,319 ms`: exact enough to gate on, easy to read. */
export function formatWholeMs(ms: number): string {
  return `${formatCount(ms)} ms`;
}

/** An integer with thousands separators: `12,345`. */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** A 0–1 fraction as a percentage with one decimal: `4.2 %`. */
export function formatRate(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}
