/** The label value every value outside the shown top is counted under. */
export const OTHER_LABEL_VALUE = 'other';

export interface BoundedLabelLimits {
  /** Values shown on their own at a scrape. */
  top: number;
  /** Distinct values counted one by one (memory: a few hundred bytes per value and series). */
  maxTracked: number;
  /** Longest label value, in characters. */
  maxLength: number;
}

/**
 * Bounds the values one metric label takes when they come from untrusted spans (task classes,
 * model names): every value a sender invents would otherwise become series of its own, and one
 * scrape of thousands of 16 KB label values is hundreds of megabytes (a `RangeError: Invalid string
 * length` at worst).
 *
 * - A value is cut to `maxLength` characters (ending in `…`); values alike up to the cut share it.
 * - The first `maxTracked` distinct values are counted each on their own; later new ones, and the
 *   literal value `other`, are counted in `other` from the start.
 * - A scrape shows the `top` values by count on their own (ties by name) and folds every other
 *   value into `other`, so `other` holds exactly the rest. When a value climbs into the top, its
 *   series appears with its whole count and `other` drops by as much (Prometheus reads a drop as
 *   a counter reset); a steady top — the usual few task classes and models — never moves.
 */
export class BoundedLabel {
  private readonly counts = new Map<string, number>();

  constructor(readonly limits: BoundedLabelLimits) {}

  /** The value an observation of `raw` is filed under (cut, or `other`), counted once. */
  admit(raw: string): string {
    const value = cutLabelValue(raw, this.limits.maxLength);
    if (value === OTHER_LABEL_VALUE) return OTHER_LABEL_VALUE;
    const count = this.counts.get(value);
    if (count === undefined && this.counts.size >= this.limits.maxTracked) return OTHER_LABEL_VALUE;
    this.counts.set(value, (count ?? 0) + 1);
    return value;
  }

  /** The values shown on their own now: the `top` by count, ties by name. */
  shown(): Set<string> {
    const ranked = [...this.counts.entries()].sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0));
    return new Set(ranked.slice(0, this.limits.top).map(([value]) => value));
  }

  /** Folds a filed value into `other` unless it is shown (`shown` from one call per scrape). */
  static fold(value: string, shown: ReadonlySet<string>): string {
    return shown.has(value) ? value : OTHER_LABEL_VALUE;
  }
}

/** `value` cut to `maxLength` characters (code points, never half a surrogate pair), ending in `…` when cut. */
export function cutLabelValue(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  // Only the head is split into characters: a 16 KB value costs no more than a short one.
  const head = [...value.slice(0, maxLength * 2)];
  if (head.length <= maxLength && value.length <= maxLength * 2) return value;
  return `${head.slice(0, maxLength - 1).join('')}…`;
}
