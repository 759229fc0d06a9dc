/** The columns a sorted order copies alongside its rows, so scans in key order read sequentially. */
export interface OrderColumns {
  key: Float64Array;
  startMs: Float64Array;
  taskClass: Uint32Array;
  service: Uint32Array;
  name: Uint32Array;
}

/** A snapshot of an order: parallel arrays, position i describing the i-th row by key. */
export interface OrderedRows {
  rows: Uint32Array;
  keys: Float64Array;
  startMs: Float64Array;
  taskClass: Uint32Array;
  service: Uint32Array;
  name: Uint32Array;
  /** 0 once the row was removed. */
  alive: Uint8Array;
}

const emptyRows = (size: number): OrderedRows => ({
  rows: new Uint32Array(size),
  keys: new Float64Array(size),
  startMs: new Float64Array(size),
  taskClass: new Uint32Array(size),
  service: new Uint32Array(size),
  name: new Uint32Array(size),
  alive: new Uint8Array(size),
});

/**
 * Row numbers kept in ascending order of one column, with the key and the columns queries filter
 * and group on copied alongside in the same order: a scan in key order touches memory
 * sequentially (random access per row was most of the cost at a million rows). New rows wait in
 * a list and are merged in (one sort of the newcomers, one linear merge) at the next read.
 */
export class SortedOrder {
  private ordered: OrderedRows = emptyRows(0);
  private waiting: number[] = [];

  constructor(private readonly columns: () => OrderColumns) {}

  add(row: number): void {
    this.waiting.push(row);
  }

  /** Every row ascending by key (ties by row number), with its copied columns. */
  snapshot(): OrderedRows {
    if (this.waiting.length > 0) this.mergeWaiting();
    return this.ordered;
  }

  /** Index of the first position whose key is >= `value`. */
  lowerBound(value: number): number {
    const keys = this.snapshot().keys;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keys[middle] < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Marks `row` removed; false if it is not in the order. */
  remove(row: number, key: number): boolean {
    const ordered = this.snapshot();
    for (let i = this.lowerBound(key); i < ordered.keys.length && ordered.keys[i] === key; i++) {
      if (ordered.rows[i] === row) {
        ordered.alive[i] = 0;
        return true;
      }
    }
    return false;
  }

  /** Drops rows whose `renumber` entry is negative and renumbers the rest. */
  compact(renumber: Int32Array): void {
    const from = this.snapshot();
    const to = emptyRows(from.rows.length);
    let count = 0;
    for (let i = 0; i < from.rows.length; i++) {
      if (renumber[from.rows[i]] < 0) continue;
      copyPosition(from, i, to, count);
      to.rows[count++] = renumber[from.rows[i]];
    }
    this.ordered = sliceRows(to, count);
  }

  private mergeWaiting(): void {
    const columns = this.columns();
    const key = columns.key;
    const incoming = Uint32Array.from(this.waiting).sort((a, b) => key[a] - key[b] || a - b);
    this.waiting = [];
    const current = this.ordered;
    const merged = emptyRows(current.rows.length + incoming.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < current.rows.length || j < incoming.length) {
      const takeCurrent =
        j >= incoming.length ||
        (i < current.rows.length &&
          (current.keys[i] < key[incoming[j]] || (current.keys[i] === key[incoming[j]] && current.rows[i] < incoming[j])));
      if (takeCurrent) {
        copyPosition(current, i++, merged, k++);
      } else {
        const row = incoming[j++];
        merged.rows[k] = row;
        merged.keys[k] = key[row];
        merged.startMs[k] = columns.startMs[row];
        merged.taskClass[k] = columns.taskClass[row];
        merged.service[k] = columns.service[row];
        merged.name[k] = columns.name[row];
        merged.alive[k++] = 1;
      }
    }
    this.ordered = merged;
  }
}

function copyPosition(from: OrderedRows, i: number, to: OrderedRows, k: number): void {
  to.rows[k] = from.rows[i];
  to.keys[k] = from.keys[i];
  to.startMs[k] = from.startMs[i];
  to.taskClass[k] = from.taskClass[i];
  to.service[k] = from.service[i];
  to.name[k] = from.name[i];
  to.alive[k] = from.alive[i];
}

function sliceRows(rows: OrderedRows, count: number): OrderedRows {
  return {
    rows: rows.rows.slice(0, count),
    keys: rows.keys.slice(0, count),
    startMs: rows.startMs.slice(0, count),
    taskClass: rows.taskClass.slice(0, count),
    service: rows.service.slice(0, count),
    name: rows.name.slice(0, count),
    alive: rows.alive.slice(0, count),
  };
}
