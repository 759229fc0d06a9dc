import { describe, expect, it } from 'vitest';
import { buildRows, buildSpanTree, expandAncestors } from '../../dashboard/src/waterfall/build-rows';
import { span } from './span-fixture';

/*
 *   0         500        1000 ms
 *   root ══════════════════════     critical
 *     plan ════                     critical, llm
 *     search      ──────            tool (runs beside fetch)
 *       cache      ──               state
 *     fetch       ═════════         critical, tool
 *     answer               ═══      critical, llm
 *
 * Input order is scrambled on purpose: rows follow the tree, children by start time.
 */
const spans = [
  span('answer', 'root', 900, 100, { critical: true, category: 'llm' }),
  span('cache', 'search', 460, 80, { category: 'state' }),
  span('root', undefined, 0, 1000, { critical: true, category: 'task' }),
  span('fetch', 'root', 450, 450, { critical: true, category: 'tool' }),
  span('search', 'root', 450, 300, { category: 'tool' }),
  span('plan', 'root', 0, 200, { critical: true, category: 'llm' }),
];

const shape = (rows: ReturnType<typeof buildRows>) =>
  rows.map((row) => [row.span.spanId, row.depth, row.hasChildren, row.collapsed, row.descendantCount, row.span.critical]);

describe('waterfall rows', () => {
  it('follow the span tree depth-first with children by start time, each span once, critical spans marked', () => {
    const rows = buildRows(buildSpanTree(spans), new Set());
    expect(shape(rows)).toEqual([
      ['root', 0, true, false, 5, true],
      ['plan', 1, false, false, 0, true],
      ['fetch', 1, false, false, 0, true],
      ['search', 1, true, false, 1, false],
      ['cache', 2, false, false, 0, false],
      ['answer', 1, false, false, 0, true],
    ]);
  });

  it('keep input order between siblings that start at the same time', () => {
    const rows = buildRows(buildSpanTree([span('r', undefined, 0, 10), span('b', 'r', 1, 1), span('a', 'r', 1, 1)]), new Set());
    expect(rows.map((row) => row.span.spanId)).toEqual(['r', 'b', 'a']);
  });

  it('hide the subtree of a collapsed span and mark it collapsed', () => {
    const rows = buildRows(buildSpanTree(spans), new Set(['search']));
    expect(shape(rows)).toEqual([
      ['root', 0, true, false, 5, true],
      ['plan', 1, false, false, 0, true],
      ['fetch', 1, false, false, 0, true],
      ['search', 1, true, true, 1, false],
      ['answer', 1, false, false, 0, true],
    ]);
  });

  it('ignore a collapsed mark on a leaf', () => {
    const rows = buildRows(buildSpanTree(spans), new Set(['plan']));
    expect(rows.find((row) => row.span.spanId === 'plan')?.collapsed).toBe(false);
    expect(rows).toHaveLength(6);
  });

  it('show the root alone when the root is collapsed', () => {
    expect(shape(buildRows(buildSpanTree(spans), new Set(['root'])))).toEqual([['root', 0, true, true, 5, true]]);
  });

  /*
   *   root ────────          orphan ──     (its parent "gone" never arrived)
   *     a ──   a' (duplicate id, dropped)
   *   x ⇄ y  (each names the other as parent)
   */
  it('repair orphans, duplicate ids and parent cycles instead of throwing', () => {
    const broken = [
      span('root', undefined, 0, 100),
      span('a', 'root', 10, 20),
      span('a', 'root', 50, 20),
      span('orphan', 'gone', 60, 10),
      span('x', 'y', 70, 5),
      span('y', 'x', 72, 5),
      span('self', 'self', 80, 5),
    ];
    const rows = buildRows(buildSpanTree(broken), new Set());
    expect(shape(rows)).toEqual([
      ['root', 0, true, false, 1, false],
      ['a', 1, false, false, 0, false],
      ['orphan', 0, false, false, 0, false],
      ['self', 0, false, false, 0, false],
      ['x', 0, true, false, 1, false],
      ['y', 1, false, false, 0, false],
    ]);
  });

  it('handle a 10,000-deep chain without recursion', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => span(`s${i}`, i === 0 ? undefined : `s${i - 1}`, i, 10_000 - i));
    const rows = buildRows(buildSpanTree(chain), new Set());
    expect(rows).toHaveLength(10_000);
    expect(rows[9_999]).toMatchObject({ depth: 9_999, hasChildren: false });
    expect(rows[0].descendantCount).toBe(9_999);
  });

  it('expand every ancestor of a span so it becomes visible', () => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    expect([...expandAncestors(byId, new Set(['root', 'search', 'plan']), 'cache')].sort()).toEqual(['plan']);
  });
});
