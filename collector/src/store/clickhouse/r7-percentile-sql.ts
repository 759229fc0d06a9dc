import { sqlLiteral } from './sql-literal.js';

/**
 * The R-7 percentile (core's `percentileSorted`, DuckDB's `quantile_cont`) of an ascending array
 * expression, as ClickHouse SQL: the same Float64 arithmetic in the same order, so the answer is
 * bit-identical. ClickHouse's own `quantile*` functions are sampled or nearest-rank on 18.16
 * (`quantileExactInclusive`, which is R-7, only exists on newer servers). NULL for an empty array.
 */
export function r7PercentileSql(sortedAscending: string, fraction: number): string {
  const q = sqlLiteral(Math.min(1, Math.max(0, fraction)));
  const n = `length(${sortedAscending})`;
  const h = `((toFloat64(${n}) - 1) * ${q})`;
  const lo = `floor(${h})`;
  const loValue = `${sortedAscending}[toUInt64(${lo}) + 1]`;
  const hiValue = `${sortedAscending}[toUInt64(least(toFloat64(${n}) - 1, ${lo} + 1)) + 1]`;
  return `if(${n} = 0, NULL, ${loValue} + (${h} - ${lo}) * (${hiValue} - ${loValue}))`;
}

/** P50, P95 and P99 of an ascending array expression, as three columns. */
export function r7TripleSql(sortedAscending: string): string {
  return [0.5, 0.95, 0.99].map((fraction) => r7PercentileSql(sortedAscending, fraction)).join(', ');
}
