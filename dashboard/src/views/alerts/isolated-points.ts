/**
 * Which points of a series a line cannot show. A line joins a value to a neighbouring value, so a
 * value with a gap (null) or the edge on both sides draws nothing: a rule that has just started
 * firing has exactly such a point, its first window with tasks after a stretch without any.
 *
 *     values   null  null  2400  null  1800  1900
 *     isolated   –     –   true    –   false false
 */
export function isolatedPoints(values: ReadonlyArray<number | null>): boolean[] {
  const present = (index: number) => index >= 0 && index < values.length && values[index] !== null;
  return values.map((value, index) => value !== null && !present(index - 1) && !present(index + 1));
}
