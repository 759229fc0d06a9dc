import {
  BREAKDOWN_CATEGORIES,
  UX_BAND_NAMES,
  emptyBandCounts,
  percentileSorted,
  type BandCounts,
  type StatsGroup,
  type StatsResponse,
  type TaskClassConfig,
  type TraceSummary,
} from '@threshold/core';
import { budgetOfClass } from '../duckdb/budget-of-class.js';
import type { StatsQuery } from '../store.js';
import { Dictionary, GrowableColumn } from './growable-columns.js';
import { SortedOrder } from './sorted-order.js';

const BAND_INDEX = new Map(UX_BAND_NAMES.map((band, index) => [band, index]));

interface GroupAccumulator {
  durationsMs: number[];
  perceivedMs: number[];
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
  private readonly byDuration = new SortedOrder(() => this.durationMs.values);
  private readonly byPerceived = new SortedOrder(() => this.perceivedMs.values);

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
    const rows = this.byDuration.rows();
    const duration = this.durationMs.values;
    for (let i = this.byDuration.lowerBound(summary.durationMs); i < rows.length && duration[rows[i]] === summary.durationMs; i++) {
      const row = rows[i];
      if (this.alive.values[row] === 1 && this.matches(row, summary)) {
        this.alive.set(row, 0);
        this.deadCount++;
        if (this.deadCount > 1_024 && this.deadCount > this.rowCount / 4) this.compact();
        return true;
      }
    }
    return false;
  }

  stats(query: StatsQuery, config: TaskClassConfig): StatsResponse {
    const groupIds = this.ids[query.groupBy].values;
    const matches = this.filter(query);
    const groups = new Map<number, GroupAccumulator>();
    const duration = this.durationMs.values;
    for (const row of this.byDuration.rows()) {
      if (!matches(row)) continue;
      let group = groups.get(groupIds[row]);
      if (!group) {
        group = { durationsMs: [], perceivedMs: [], bands: new Array(6).fill(0), breakdownSumsMs: [0, 0, 0, 0, 0], overBudget: 0, latestStartMs: -Infinity, latestBudgetMs: 0 };
        groups.set(groupIds[row], group);
      }
      group.durationsMs.push(duration[row]);
      group.bands[this.band.values[row]]++;
      for (let i = 0; i < this.breakdownMs.length; i++) group.breakdownSumsMs[i] += this.breakdownMs[i].values[row];
      group.overBudget += this.overBudget.values[row];
      if (this.startMs.values[row] > group.latestStartMs) {
        group.latestStartMs = this.startMs.values[row];
        group.latestBudgetMs = this.budgetMs.values[row];
      }
    }
    const perceived = this.perceivedMs.values;
    for (const row of this.byPerceived.rows()) {
      if (matches(row)) groups.get(groupIds[row])!.perceivedMs.push(perceived[row]);
    }
    const names = this.dictionaries[query.groupBy].names;
    const result: StatsGroup[] = [...groups].map(([id, group]) => {
      const count = group.durationsMs.length;
      const bands: BandCounts = emptyBandCounts();
      UX_BAND_NAMES.forEach((band, i) => (bands[band] = group.bands[i]));
      const breakdownMeanMs = Object.fromEntries(
        BREAKDOWN_CATEGORIES.map((category, i) => [category, group.breakdownSumsMs[i] / count]),
      ) as StatsGroup['breakdownMeanMs'];
      return {
        key: names[id],
        count,
        p50Ms: percentileSorted(group.durationsMs, 0.5)!,
        p95Ms: percentileSorted(group.durationsMs, 0.95)!,
        p99Ms: percentileSorted(group.durationsMs, 0.99)!,
        perceivedP99Ms: percentileSorted(group.perceivedMs, 0.99)!,
        bands,
        breakdownMeanMs,
        budgetMs: query.groupBy === 'taskClass' ? budgetOfClass(config, names[id], group.latestBudgetMs) : null,
        overBudgetRate: group.overBudget / count,
      };
    });
    result.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { groups: result };
  }

  /** Row filter for the query's window (`from` inclusive, `to` exclusive), service and task class. */
  private filter(query: StatsQuery): (row: number) => boolean {
    const alive = this.alive.values;
    const start = this.startMs.values;
    const from = query.from ?? -Infinity;
    const to = query.to ?? Infinity;
    const serviceId = query.service === undefined ? undefined : this.dictionaries.service.find(query.service);
    const classId = query.taskClass === undefined ? undefined : this.dictionaries.taskClass.find(query.taskClass);
    const services = this.ids.service.values;
    const classes = this.ids.taskClass.values;
    return (row) =>
      alive[row] === 1 &&
      start[row] >= from &&
      start[row] < to &&
      (serviceId === undefined || services[row] === serviceId) &&
      (classId === undefined || classes[row] === classId);
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
    this.byDuration.rows();
    this.byPerceived.rows();
    const renumber = new Int32Array(this.rowCount).fill(-1);
    let next = 0;
    const columns = [this.startMs, this.durationMs, this.perceivedMs, this.budgetMs, ...this.breakdownMs, this.band, this.overBudget, this.alive, this.ids.taskClass, this.ids.service, this.ids.name];
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
