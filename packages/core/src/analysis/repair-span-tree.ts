import type { SpanRecord } from '../span-record.js';

/** A trace's spans with one parent each (or none), forming a forest with no cycles. */
export interface RepairedTree {
  /** Unique spans, in arrival order. */
  records: SpanRecord[];
  /** Parent after repair; absent for top-level spans. */
  parentOf: Map<string, string>;
  /** The span analysis starts from: the root, or the earliest span when no root arrived. */
  rootSpanId: string | undefined;
  warnings: string[];
}

/**
 * Turns whatever arrived into a tree, never throwing. jaeger-ui's approach: repair and say so.
 *
 * - duplicate span ids: one copy kept (the one that ends last, which has seen the most of the span)
 * - a span naming itself or a descendant as parent (cycle): its parent link is cut
 * - orphans (parent never arrived): attached to the root when there is one, else left top-level
 * - no root: analysis starts from the earliest span
 * - several roots: the earliest (then longest) is the task; the others stay top-level
 */
export function repairSpanTree(input: readonly SpanRecord[]): RepairedTree {
  const warnings: string[] = [];
  const byId = new Map<string, SpanRecord>();
  let duplicates = 0;
  for (const record of input) {
    const existing = byId.get(record.spanId);
    if (existing === undefined) {
      byId.set(record.spanId, record);
      continue;
    }
    duplicates++;
    if (record.endTimeUnixNano > existing.endTimeUnixNano) byId.set(record.spanId, record);
  }
  if (duplicates > 0) warnings.push(`${duplicates} duplicate span id${duplicates === 1 ? '' : 's'}: kept one copy of each`);
  const records = [...byId.values()];

  const parentOf = new Map<string, string>();
  const orphans: string[] = [];
  /** Spans whose parent link was cut (self-parent, cycle): placed like orphans, without a second warning. */
  const detached: string[] = [];
  for (const record of records) {
    const parent = record.parentSpanId;
    if (!parent) continue;
    if (byId.has(parent) && parent !== record.spanId) parentOf.set(record.spanId, parent);
    else if (parent === record.spanId) {
      warnings.push(`span ${record.spanId} names itself as parent: link cut`);
      detached.push(record.spanId);
    } else orphans.push(record.spanId);
  }
  detached.push(...breakCycles(records, parentOf, byId, warnings));

  const roots = records.filter((record) => !record.parentSpanId);
  let rootSpanId: string | undefined;
  if (roots.length > 0) {
    rootSpanId = earliest(roots).spanId;
    if (roots.length > 1) warnings.push(`${roots.length} root spans: analysed from ${rootSpanId}, the earliest`);
    for (const orphan of [...orphans, ...detached]) if (orphan !== rootSpanId) parentOf.set(orphan, rootSpanId);
    if (orphans.length > 0)
      warnings.push(`${orphans.length} span${orphans.length === 1 ? '' : 's'} whose parent never arrived: attached to the root`);
  } else if (records.length > 0) {
    const topLevel = records.filter((record) => !parentOf.has(record.spanId));
    rootSpanId = earliest(topLevel.length > 0 ? topLevel : records).spanId;
    warnings.push(`no root span: analysed from the earliest span ${rootSpanId}`);
    if (orphans.length > 0)
      warnings.push(`${orphans.length} span${orphans.length === 1 ? '' : 's'} whose parent never arrived: left top-level`);
  }
  return { records, parentOf, rootSpanId, warnings };
}

/** Earliest start, then longest, then smallest id (deterministic). */
function earliest(records: readonly SpanRecord[]): SpanRecord {
  let best = records[0];
  for (const record of records) {
    if (
      record.startTimeUnixNano < best.startTimeUnixNano ||
      (record.startTimeUnixNano === best.startTimeUnixNano &&
        (record.endTimeUnixNano > best.endTimeUnixNano || (record.endTimeUnixNano === best.endTimeUnixNano && record.spanId < best.spanId)))
    ) {
      best = record;
    }
  }
  return best;
}

/**
 * Follows parent links from every span; a walk that returns to a span on its own path found a
 * cycle, which is cut at the member that started first (the likeliest real ancestor).
 */
function breakCycles(
  records: readonly SpanRecord[],
  parentOf: Map<string, string>,
  byId: Map<string, SpanRecord>,
  warnings: string[],
): string[] {
  const cuts: string[] = [];
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: known to end at a top-level span
  for (const record of records) {
    const path: string[] = [];
    let id: string | undefined = record.spanId;
    while (id !== undefined && state.get(id) === undefined) {
      state.set(id, 1);
      path.push(id);
      id = parentOf.get(id);
    }
    if (id !== undefined && state.get(id) === 1) {
      const cycle = path.slice(path.indexOf(id));
      const cut = earliest(cycle.map((member) => byId.get(member)!));
      parentOf.delete(cut.spanId);
      cuts.push(cut.spanId);
      warnings.push(`parent cycle through ${cycle.length} span${cycle.length === 1 ? '' : 's'}: cut above ${cut.spanId}`);
    }
    for (const member of path) state.set(member, 2);
  }
  return cuts;
}
