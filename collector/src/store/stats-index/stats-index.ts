import {
  BREAKDOWN_CATEGORIES,
  bandCountsOfSorted,
  budgetOfClass,
  UX_BAND_NAMES,
  emptyBandCounts,
  percentileSorted,
  type BandCounts,
  type StatsGroup,
  type StatsResponse,
  type TaskClassConfig,
  type TraceSummary,
} from '@threshold/core';
import type { StatsQuery } from '../trace-queries.js';
import { Dictionary, GrowableColumn } from './growable-columns.js';
import { SortedOrder, type OrderColumns } from './sorted-order.js';

const BAND_INDEX = new Map(UX_BAND_NAMES.map((band, index) => [band, index]));

const EMPTY = new Float64Array(0);

interface GroupAccumulator {
  count: number;
  durationsMs: Float64Array;
  perceivedMs: Float64Array;
  bands: number[];
  breakdownSumsMs: number[];
  overBudget: number;
  latestStartMs: number;
  latestBudgetMs: number;
}

/**
 * The summary columns of every stored trace, in memory, with row orders kept sorted by duration
 * and by perceived latency. Exact percentiles then need no sort at query time: one pass over the
 * duration order collects each group's matching durations already ascending (and its counts,
 * bands and breakdown sums), one pass over the perceived order does the same for perceived
 * latency, and core's `percentileSorted` reads the ranks. A query over a million traces is
 * two linear scans of typed arrays, any time window or filter included.
 */
export class StatsIndex {
  private rowCount = 0;
  private deadCount = 0;
  private readonly startMs = new GrowableColumn((n) => new Float64Array(n));
  private readonly durationMs = new GrowableColumn((n) => new Float64Array(n));
  private readonly perceivedMs = new GrowableColumn((n) => new Float64Array(n));
  private readonly budgetMs = new GrowableColumn((n) => new Float64Array(n));
  private readonly breakdownMs = BREAKDOWN_CATEGORIES.map(() => new GrowableColumn((n) => new Float64Array(n)));
  private readonly band = new GrowableColumn((n) => new Uint8Array(n));
  private readonly overBudget = new GrowableColumn((n) => new Uint8Array(n));
  private readonly alive = new GrowableColumn((n) => new Uint8Array(n));
  private readonly dictionaries = { taskClass: new Dictionary(), service: new Dictionary(), name: new Dictionary() };
  private readonly ids = {
    taskClass: new GrowableColumn((n) => new Uint32Array(n)),
    service: new GrowableColumn((n) => new Uint32Array(n)),
    name: new GrowableColumn((n) => new Uint32Array(n)),
  };
  private readonly byDuration = new SortedOrder(() => this.orderColumns(this.durationMs.values));
  private readonly byPerceived = new SortedOrder(() => this.orderColumns(this.perceivedMs.values));

  private orderColumns(key: Float64Array): OrderColumns {
    return {
      key,
      startMs: this.startMs.values,
      taskClass: this.ids.taskClass.values,
      service: this.ids.service.values,
      name: this.ids.name.values,
    };
  }

  /** Sorts rows added since the last query now (after a bulk load), so the next query does not. */
  settle(): void {
    this.byDuration.snapshot();
    this.byPerceived.snapshot();
  }

  /** Traces held. */
  get size(): number {
    return this.rowCount - this.deadCount;
  }

  add(summary: TraceSummary): void {
    const row = this.rowCount++;
    this.startMs.set(row, summary.startTimeMs);
    this.durationMs.set(row, summary.durationMs);
    this.perceivedMs.set(row, summary.perceivedMs);
    this.budgetMs.set(row, summary.budgetMs);
    BREAKDOWN_CATEGORIES.forEach((category, i) => this.breakdownMs[i].set(row, summary.breakdown[category]));
    this.band.set(row, BAND_INDEX.get(summary.band) ?? 0);
    this.overBudget.set(row, summary.overBudget ? 1 : 0);
    this.alive.set(row, 1);
    this.ids.taskClass.set(row, this.dictionaries.taskClass.idOf(summary.taskClass));
    this.ids.service.set(row, this.dictionaries.service.idOf(summary.service));
    this.ids.name.set(row, this.dictionaries.name.idOf(summary.name));
    this.byDuration.add(row);
    this.byPerceived.add(row);
  }

  /** Removes one trace equal to `summary` in every column the index holds (a replaced analysis). */
  remove(summary: TraceSummary): boolean {
    const { rows, keys } = this.byDuration.snapshot();
    for (let i = this.byDuration.lowerBound(summary.durationMs); i < rows.length && keys[i] === summary.durationMs; i++) {
      const row = rows[i];
      if (this.alive.values[row] === 1 && this.matches(row, summary)) {
        this.alive.set(row, 0);
        this.byDuration.remove(row, this.durationMs.values[row]);
        this.byPerceived.remove(row, this.perceivedMs.values[row]);
        this.deadCount++;
        if (this.deadCount > 1_024 && this.deadCount > this.rowCount / 4) this.compact();
        return true;
      }
    }
    return false;
  }

  stats(query: StatsQuery, config: TaskClassConfig): StatsResponse {
    const groups = this.aggregate(query);
    // The matching values of each group, collected in key order: already sorted for the ranks.
    const from = query.from ?? -Infinity;
    const to = query.to ?? Infinity;
    const serviceId = query.service === undefined ? -2 : this.dictionaries.service.find(query.service);
    const classId = query.taskClass === undefined ? -2 : this.dictionaries.taskClass.find(query.taskClass);
    const unfiltered = from === -Infinity && to === Infinity && serviceId === -2 && classId === -2;
    for (const [order, target] of [
      [this.byDuration, 'durationsMs'],
      [this.byPerceived, 'perceivedMs'],
    ] as const) {
      const { keys, alive, startMs, service, taskClass } = order.snapshot();
      const groupIds = order.snapshot()[query.groupBy];
      const filled = new Uint32Array(groups.length);
      const values: Float64Array[] = groups.map((group) => new Float64Array(group ? group.count : 0));
      if (unfiltered) {
        // No window or filter (the overview's default): only removed rows are skipped.
        for (let i = 0; i < keys.length; i++) {
          if (alive[i] === 1) {
            const id = groupIds[i];
            values[id][filled[id]++] = keys[i];
          }
        }
      } else {
        for (let i = 0; i < keys.length; i++) {
          if (
            alive[i] === 1 &&
            startMs[i] >= from &&
            startMs[i] < to &&
            (serviceId === -2 || service[i] === serviceId) &&
            (classId === -2 || taskClass[i] === classId)
          ) {
            const id = groupIds[i];
            values[id][filled[id]++] = keys[i];
          }
        }
      }
      groups.forEach((group, id) => {
        if (group) group[target] = values[id];
      });
    }
    const names = this.dictionaries[query.groupBy].names;
    const result: StatsGroup[] = [];
    groups.forEach((group, id) => {
      if (!group) return;
      const count = group.count;
      const bands: BandCounts = emptyBandCounts();
      UX_BAND_NAMES.forEach((name, i) => (bands[name] = group.bands[i]));
      const breakdownMeanMs = Object.fromEntries(
        BREAKDOWN_CATEGORIES.map((category, i) => [category, group.breakdownSumsMs[i] / count]),
      ) as StatsGroup['breakdownMeanMs'];
      result.push({
        key: names[id],
        count,
        p50Ms: percentileSorted(group.durationsMs, 0.5)!,
        p95Ms: percentileSorted(group.durationsMs, 0.95)!,
        p99Ms: percentileSorted(group.durationsMs, 0.99)!,
        perceivedP99Ms: percentileSorted(group.perceivedMs, 0.99)!,
        bands,
        perceivedBands: bandCountsOfSorted(group.perceivedMs),
        breakdownMeanMs,
        budgetMs: query.groupBy === 'taskClass' ? budgetOfClass(config, names[id], group.latestBudgetMs) : null,
        overBudgetRate: group.overBudget / count,
      });
    });
    result.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { groups: result };
  }

  /**
   * One sequential pass over the rows in the query's window (`from` inclusive, `to` exclusive),
   * service and task class: each group's count, bands, breakdown sums and latest budget.
   */
  private aggregate(query: StatsQuery): Array<GroupAccumulator | undefined> {
    const rowCount = this.rowCount;
    const alive = this.alive.values;
    const start = this.startMs.values;
    const budget = this.budgetMs.values;
    const band = this.band.values;
    const over = this.overBudget.values;
    const [llm, tool, state, orchestration, other] = this.breakdownMs.map((column) => column.values);
    const groupIds = this.ids[query.groupBy].values;
    const from = query.from ?? -Infinity;
    const to = query.to ?? Infinity;
    const serviceId = query.service === undefined ? -2 : this.dictionaries.service.find(query.service);
    const classId = query.taskClass === undefined ? -2 : this.dictionaries.taskClass.find(query.taskClass);
    const services = this.ids.service.values;
    const classes = this.ids.taskClass.values;
    const groups: Array<GroupAccumulator | undefined> = [];
    for (let row = 0; row < rowCount; row++) {
      const chosen =
        alive[row] === 1 &&
        start[row] >= from &&
        start[row] < to &&
        (serviceId === -2 || services[row] === serviceId) &&
        (classId === -2 || classes[row] === classId);
      if (!chosen) continue;
      const id = groupIds[row];
      let group = groups[id];
      if (group === undefined) {
        group = {
          count: 0,
          durationsMs: EMPTY,
          perceivedMs: EMPTY,
          bands: [0, 0, 0, 0, 0, 0],
          breakdownSumsMs: [0, 0, 0, 0, 0],
          overBudget: 0,
          latestStartMs: -Infinity,
          latestBudgetMs: 0,
        };
        groups[id] = group;
      }
      group.count++;
      group.bands[band[row]]++;
      const sums = group.breakdownSumsMs;
      sums[0] += llm[row];
      sums[1] += tool[row];
      sums[2] += state[row];
      sums[3] += orchestration[row];
      sums[4] += other[row];
      group.overBudget += over[row];
      if (start[row] > group.latestStartMs) {
        group.latestStartMs = start[row];
        group.latestBudgetMs = budget[row];
      }
    }
    return groups;
  }

  private matches(row: number, summary: TraceSummary): boolean {
    return (
      this.startMs.values[row] === summary.startTimeMs &&
      this.perceivedMs.values[row] === summary.perceivedMs &&
      this.budgetMs.values[row] === summary.budgetMs &&
      this.overBudget.values[row] === (summary.overBudget ? 1 : 0) &&
      this.ids.taskClass.values[row] === this.dictionaries.taskClass.find(summary.taskClass) &&
      this.ids.service.values[row] === this.dictionaries.service.find(summary.service) &&
      this.ids.name.values[row] === this.dictionaries.name.find(summary.name) &&
      BREAKDOWN_CATEGORIES.every((category, i) => this.breakdownMs[i].values[row] === summary.breakdown[category])
    );
  }

  /** Rebuilds without removed rows once they are a quarter of the index. */
  private compact(): void {
    this.settle();
    const renumber = new Int32Array(this.rowCount).fill(-1);
    let next = 0;
    const columns = [
      this.startMs,
      this.durationMs,
      this.perceivedMs,
      this.budgetMs,
      ...this.breakdownMs,
      this.band,
      this.overBudget,
      this.alive,
      this.ids.taskClass,
      this.ids.service,
      this.ids.name,
    ];
    for (let row = 0; row < this.rowCount; row++) {
      if (this.alive.values[row] !== 1) continue;
      for (const column of columns) column.set(next, column.values[row]);
      renumber[row] = next++;
    }
    this.byDuration.compact(renumber);
    this.byPerceived.compact(renumber);
    this.rowCount = next;
    this.deadCount = 0;
  }
}
