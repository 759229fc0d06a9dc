import { isLlmCall } from '../analysis/count-calls.js';
import { adoptHeldOpenTools } from '../analysis/held-open-tools.js';
import { START_TRUNCATION_TOLERANCE_NS } from '../analysis/start-truncation.js';
import type { LlmInfo, TraceSpan } from '../trace-span.js';
import type { ShortenEdit, TraceEdit } from './trace-edit.js';

/**
 * Applies edits to a trace's spans and works out what moves as a consequence, returning new
 * spans (the input is not touched). The causal model, per parent:
 *
 * - A child depends on the siblings that had ended by the time it started (its predecessors).
 *   It starts as long after the last of them as it did before (its gap):
 *
 *       before   A ████                        after A shortened   A ██
 *                B ████████                                        B ████████
 *                C         ████  ← waits on B                      C         ████  (unchanged)
 *
 *                A ████                                            A ██
 *                C     ████  ← waits on A                          C   ████  (2 earlier)
 *
 * - A child with no predecessor keeps its offset from its parent's (new) start.
 * - A parent ends as long after its last child as it did before, so saving inside a child
 *   shortens the parent and moves the parent's later siblings, up to the root.
 * - `start-with` spans start when their anchor starts (never later than they would anyway).
 * - A shortened span squeezes its descendants proportionally into the new interval.
 * - A streamed call shows its first token after its TTFT. A first-output moment recorded when
 *   that call returned (the last llm call to end by then, within the start-truncation tolerance)
 *   moves to the call's new start plus that TTFT, if that is sooner:
 *
 *       before  answer |==========|          after (stream, TTFT 2)  answer |==========|
 *               first output      ▲                                  first output ▲
 *
 * - Siblings ended up to `START_TRUNCATION_TOLERANCE_NS` after a child's recorded start count as
 *   its predecessors (keeping the recorded gap, slightly negative, so a trace without edits is
 *   unchanged): truncated start times would otherwise cut the dependency.
 *
 * Times stay integer nanoseconds. Edits naming unknown spans, or anchors that are not an earlier
 * sibling, are ignored: projection never throws on a stale or hand-written edit.
 */
export function applyEdits(spans: readonly TraceSpan[], edits: readonly TraceEdit[]): TraceSpan[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const children = childrenByParent(spans, byId);
  const plan = planEdits(edits, byId);
  const scheduler = new Scheduler(children, plan);
  scheduler.scheduleChildren(TOP_LEVEL, 0, 0);
  if (plan.streamTtftMs.size > 0) moveFirstOutputsToStreamedTokens(spans, children, plan, scheduler.times);
  return spans.map((span) => rebuildSpan(span, scheduler.times.get(span.spanId), plan));
}

const TOP_LEVEL = '\u0000top-level';
const NS_PER_MS = 1e6;

interface NewTimes {
  startNs: number;
  endNs: number;
  firstOutputNs?: number;
  /** New duration ÷ old duration when the span was squeezed (by its own edit or an ancestor's). */
  scale?: number;
}

interface EditPlan {
  anchorOf: Map<string, string>;
  shorten: Map<string, ShortenEdit>;
  streamTtftMs: Map<string, number>;
}

function childrenByParent(spans: readonly TraceSpan[], byId: Map<string, TraceSpan>): Map<string, TraceSpan[]> {
  const children = new Map<string, TraceSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId !== undefined && byId.has(span.parentSpanId) ? span.parentSpanId : TOP_LEVEL;
    const list = children.get(parent);
    if (list) list.push(span);
    else children.set(parent, [span]);
  }
  // Tools that held a streamed llm span open beside it are that call's children, as analysis
  // has them: the call closes as long after them as it did, so time saved there ends it sooner.
  adoptHeldOpenTools(children);
  // Start order; a zero-length child at an instant comes before one that starts there and lasts.
  for (const list of children.values()) list.sort((a, b) => a.startNs - b.startNs || a.endNs - b.endNs);
  return children;
}

function planEdits(edits: readonly TraceEdit[], byId: Map<string, TraceSpan>): EditPlan {
  const plan: EditPlan = { anchorOf: new Map(), shorten: new Map(), streamTtftMs: new Map() };
  for (const edit of edits) {
    if (edit.kind === 'start-with') {
      const anchor = byId.get(edit.anchorSpanId);
      if (!anchor) continue;
      for (const spanId of edit.spanIds) {
        const span = byId.get(spanId);
        if (!span || spanId === anchor.spanId) continue;
        if (span.parentSpanId !== anchor.parentSpanId || span.startNs < anchor.startNs) continue;
        plan.anchorOf.set(spanId, anchor.spanId);
      }
    } else if (edit.kind === 'shorten') {
      if (!byId.has(edit.spanId) || !(edit.durationMs >= 0)) continue;
      const previous = plan.shorten.get(edit.spanId);
      if (!previous || edit.durationMs < previous.durationMs) plan.shorten.set(edit.spanId, edit);
    } else if (edit.kind === 'stream') {
      if (!byId.has(edit.spanId) || !(edit.ttftMs >= 0)) continue;
      plan.streamTtftMs.set(edit.spanId, edit.ttftMs);
    }
  }
  return plan;
}

class Scheduler {
  readonly times = new Map<string, NewTimes>();

  constructor(
    private readonly children: Map<string, TraceSpan[]>,
    private readonly plan: EditPlan,
  ) {}

  /**
   * Schedules the children of a parent that started at `parentStartNs` and now starts at
   * `parentNewStartNs`, in start order. Each child's predecessors (siblings ended by its start)
   * are swept once in end order, so a parent with n children costs n log n, not n².
   */
  scheduleChildren(parentId: string, parentStartNs: number, parentNewStartNs: number): void {
    const kids = this.children.get(parentId) ?? [];
    const byEnd = kids.map((kid, index) => ({ kid, index })).sort((a, b) => a.kid.endNs - b.kid.endNs || a.index - b.index);
    let next = 0;
    let frontierNs = -Infinity;
    let newFrontierNs = -Infinity;
    for (let i = 0; i < kids.length; i++) {
      const child = kids[i];
      // Siblings ended by this child's start all come earlier in start order (or tie at its start).
      while (next < byEnd.length && byEnd[next].kid.endNs <= child.startNs + START_TRUNCATION_TOLERANCE_NS && byEnd[next].index < i) {
        if (byEnd[next].kid.startNs >= child.startNs && byEnd[next].kid.endNs > child.startNs) break; // started with it: parallel
        const endedTimes = this.times.get(byEnd[next].kid.spanId);
        if (endedTimes) {
          frontierNs = Math.max(frontierNs, byEnd[next].kid.endNs);
          newFrontierNs = Math.max(newFrontierNs, endedTimes.endNs);
        }
        next++;
      }
      if (this.times.has(child.spanId)) continue; // a cycle in bad input: keep the first placement
      let newStartNs =
        frontierNs === -Infinity ? parentNewStartNs + (child.startNs - parentStartNs) : newFrontierNs + (child.startNs - frontierNs);
      const anchorId = this.plan.anchorOf.get(child.spanId);
      const anchorTimes = anchorId === undefined ? undefined : this.times.get(anchorId);
      if (anchorTimes) newStartNs = Math.min(newStartNs, anchorTimes.startNs);
      this.scheduleSpan(child, newStartNs);
    }
  }

  private scheduleSpan(span: TraceSpan, newStartNs: number): void {
    const durationNs = span.endNs - span.startNs;
    const shorten = this.plan.shorten.get(span.spanId);
    if (shorten) {
      const newDurationNs = Math.min(durationNs, Math.round(shorten.durationMs * NS_PER_MS));
      if (newDurationNs < durationNs) {
        this.squeeze(span, span.startNs, newStartNs, durationNs === 0 ? 0 : newDurationNs / durationNs);
        return;
      }
    }
    const kids = this.children.get(span.spanId) ?? [];
    this.times.set(span.spanId, { startNs: newStartNs, endNs: newStartNs + durationNs });
    if (kids.length === 0) {
      if (span.firstOutputNs !== undefined) this.times.get(span.spanId)!.firstOutputNs = newStartNs + (span.firstOutputNs - span.startNs);
      return;
    }
    this.scheduleChildren(span.spanId, span.startNs, newStartNs);
    let lastChildEndNs = -Infinity;
    let newLastChildEndNs = -Infinity;
    for (const kid of kids) {
      lastChildEndNs = Math.max(lastChildEndNs, kid.endNs);
      newLastChildEndNs = Math.max(newLastChildEndNs, this.times.get(kid.spanId)?.endNs ?? kid.endNs);
    }
    // Time saved inside the children, measured up to the parent's own end (skewed children clamped).
    const coveredNs = Math.min(lastChildEndNs, span.endNs) - span.startNs;
    const newCoveredNs = Math.min(newLastChildEndNs - newStartNs, durationNs);
    const savedNs = Math.max(0, coveredNs - newCoveredNs);
    const times: NewTimes = { startNs: newStartNs, endNs: Math.max(newStartNs, newStartNs + durationNs - savedNs) };
    if (span.firstOutputNs !== undefined) {
      times.firstOutputNs = Math.min(times.endNs, this.shiftPoint(span.firstOutputNs, kids, kids.length, span.startNs, newStartNs));
    }
    this.times.set(span.spanId, times);
  }

  /**
   * Where a moment (a first-output event) moves to: after the last of the children that had
   * ended by then (keeping the gap), or at the same offset from the parent's new start.
   */
  private shiftPoint(pointNs: number, kids: TraceSpan[], count: number, parentStartNs: number, parentNewStartNs: number): number {
    let frontierNs = -Infinity;
    let newFrontierNs = -Infinity;
    for (let j = 0; j < count; j++) {
      const kid = kids[j];
      if (kid.endNs > pointNs) continue;
      const kidTimes = this.times.get(kid.spanId);
      if (!kidTimes) continue;
      frontierNs = Math.max(frontierNs, kid.endNs);
      newFrontierNs = Math.max(newFrontierNs, kidTimes.endNs);
    }
    if (frontierNs === -Infinity) return parentNewStartNs + (pointNs - parentStartNs);
    return newFrontierNs + (pointNs - frontierNs);
  }

  /** Maps a span and its whole subtree linearly: t → newOrigin + (t − origin) × scale. */
  private squeeze(span: TraceSpan, originNs: number, newOriginNs: number, scale: number): void {
    const map = (ns: number) => newOriginNs + Math.round((ns - originNs) * scale);
    const stack = [span];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (this.times.has(current.spanId)) continue;
      const times: NewTimes = { startNs: map(current.startNs), endNs: map(current.endNs), scale };
      if (current.firstOutputNs !== undefined) times.firstOutputNs = map(current.firstOutputNs);
      this.times.set(current.spanId, times);
      stack.push(...(this.children.get(current.spanId) ?? []));
    }
  }
}

/**
 * Moves each first-output moment recorded when a to-be-streamed call returned to that call's
 * new start plus its TTFT (see applyEdits). The call must be the carrier's descendant and the
 * last llm call of the carrier's subtree to end by the moment: output shown after a later call
 * was that call's, which streaming this one does not hasten.
 */
function moveFirstOutputsToStreamedTokens(
  spans: readonly TraceSpan[],
  children: Map<string, TraceSpan[]>,
  plan: EditPlan,
  times: Map<string, NewTimes>,
): void {
  for (const carrier of spans) {
    const carrierTimes = times.get(carrier.spanId);
    if (carrier.firstOutputNs === undefined || carrierTimes?.firstOutputNs === undefined) continue;
    const byNs = carrier.firstOutputNs + START_TRUNCATION_TOLERANCE_NS;
    let answer: TraceSpan | undefined;
    const stack = [...(children.get(carrier.spanId) ?? [])];
    const seen = new Set<string>([carrier.spanId]);
    while (stack.length > 0) {
      const span = stack.pop()!;
      if (seen.has(span.spanId)) continue;
      seen.add(span.spanId);
      if (isLlmCall(span) && span.endNs <= byNs && (!answer || span.endNs > answer.endNs)) answer = span;
      stack.push(...(children.get(span.spanId) ?? []));
    }
    const ttftMs = answer === undefined ? undefined : plan.streamTtftMs.get(answer.spanId);
    const answerTimes = answer === undefined ? undefined : times.get(answer.spanId);
    if (ttftMs === undefined || !answerTimes) continue;
    const tokenNs = answerTimes.startNs + Math.min(Math.round(ttftMs * NS_PER_MS), answerTimes.endNs - answerTimes.startNs);
    carrierTimes.firstOutputNs = Math.max(carrierTimes.startNs, Math.min(carrierTimes.firstOutputNs, tokenNs));
  }
}

function rebuildSpan(span: TraceSpan, times: NewTimes | undefined, plan: EditPlan): TraceSpan {
  if (!times) return span;
  const next: TraceSpan = { ...span, startNs: times.startNs, endNs: times.endNs };
  if (times.firstOutputNs !== undefined) next.firstOutputNs = times.firstOutputNs;
  if (span.llm) next.llm = rebuildLlm(span, span.llm, times, plan);
  return next;
}

function rebuildLlm(span: TraceSpan, llm: LlmInfo, times: NewTimes, plan: EditPlan): LlmInfo {
  const durationMs = (times.endNs - times.startNs) / NS_PER_MS;
  const next: LlmInfo = { ...llm };
  const shorten = plan.shorten.get(span.spanId);
  if (times.scale !== undefined && next.ttftMs !== undefined) next.ttftMs = next.ttftMs * times.scale;
  if (times.scale !== undefined && next.maxChunkGapMs !== undefined) next.maxChunkGapMs = next.maxChunkGapMs * times.scale;
  if (times.scale !== undefined && next.maxChunkGapStartMs !== undefined) next.maxChunkGapStartMs = next.maxChunkGapStartMs * times.scale;
  if (shorten) {
    if (shorten.ttftMs !== undefined) next.ttftMs = shorten.ttftMs;
    if (shorten.maxChunkGapMs !== undefined && next.maxChunkGapMs !== undefined)
      next.maxChunkGapMs = Math.min(next.maxChunkGapMs, shorten.maxChunkGapMs);
    if (shorten.model !== undefined) next.model = shorten.model;
    if (shorten.inputTokens !== undefined) next.inputTokens = shorten.inputTokens;
  }
  const streamTtftMs = plan.streamTtftMs.get(span.spanId);
  if (streamTtftMs !== undefined) {
    next.streaming = true;
    next.ttftMs = streamTtftMs;
  }
  if (next.ttftMs !== undefined) {
    next.ttftMs = Math.min(next.ttftMs, durationMs);
    if (next.outputTokens !== undefined && next.outputTokens > 1) next.tpotMs = (durationMs - next.ttftMs) / (next.outputTokens - 1);
  }
  return next;
}
