/**
 * Row numbers kept in ascending order of one column. New rows wait in a small list and are
 * merged in (one sort of the newcomers, one linear merge) the next time the order is read, so a
 * steady stream of inserts costs O(n) per read batch rather than O(n) per insert.
 */
export class SortedOrder {
  private order = new Uint32Array(0);
  private waiting: number[] = [];

  constructor(private readonly key: () => Float64Array) {}

  add(row: number): void {
    this.waiting.push(row);
  }

  /** Every row, ascending by key (ties by row number). */
  rows(): Uint32Array {
    if (this.waiting.length > 0) this.mergeWaiting();
    return this.order;
  }

  /** Index in `rows()` of the first row whose key is >= `value`. */
  lowerBound(value: number): number {
    const rows = this.rows();
    const key = this.key();
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (key[rows[middle]] < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Drops rows whose `renumber` entry is negative and renumbers the rest. */
  compact(renumber: Int32Array): void {
    const rows = this.rows();
    const kept = new Uint32Array(rows.length);
    let count = 0;
    for (const row of rows) if (renumber[row] >= 0) kept[count++] = renumber[row];
    this.order = kept.slice(0, count);
  }

  private mergeWaiting(): void {
    const key = this.key();
    const incoming = Uint32Array.from(this.waiting).sort((a, b) => key[a] - key[b] || a - b);
    this.waiting = [];
    const merged = new Uint32Array(this.order.length + incoming.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.order.length && j < incoming.length) {
      const a = this.order[i];
      const b = incoming[j];
      merged[k++] = key[a] < key[b] || (key[a] === key[b] && a < b) ? this.order[i++] : incoming[j++];
    }
    while (i < this.order.length) merged[k++] = this.order[i++];
    while (j < incoming.length) merged[k++] = incoming[j++];
    this.order = merged;
  }
}
