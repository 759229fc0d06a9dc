import type { TraceSpan } from '../trace-span.js';
import type { SpanForest } from './span-forest.js';

/** A stretch of the task's wall time and the one span the user was waiting on during it. */
export interface CriticalSegment {
  spanId: string;
  startNs: number;
  endNs: number;
}

export interface CriticalPath {
  /** Consecutive, non-overlapping, in time order; together they cover the task window exactly. */
  segments: CriticalSegment[];
  /** Critical span ids, root first, then by the start of their critical stretch. */
  spanIds: string[];
}

interface Clamped {
  span: TraceSpan;
  startNs: number;
  endNs: number;
}

interface Frame {
  span: TraceSpan;
  lowNs: number;
  cursorNs: number;
  /** Children clamped to the frame's window, latest end first. */
  kids: Clamped[];
  /** Kids [0, next) end at or after the cursor. */
  next: number;
  /** Index of the earliest-starting kid among kids[0, next). */
  earliest: number;
}

/**
 * The critical path, jaeger-style: from the end of a span's window walk back; the child that ends
 * last is critical; then the child that ends last before that child started; recurse into each
 * critical child within the stretch it is critical for. Parent time between critical children is
 * the parent's own.
 *
 *   root     |=====================================|
 *   llm      |=========|                                 critical
 *   tool A              |====================|           critical (ends last of the parallel pair)
 *   tool B              |==========|                     not critical: A hides it
 *   llm                                       |=====|    critical
 *
 * Clock skew: a child reaching outside its parent is clamped to the parent's window first.
 *
 * One refinement over the plain rule, needed by streaming agents: a child that was still running
 * when the next critical child started (it overlaps that start) is what the user was waiting on
 * until then, so it is critical up to that moment rather than leaving the gap to the parent.
 * OpenInference's openai instrumentation shows why: a streamed call's span ends when the
 * instrumentation's own tee'd copy of the stream is read out, a moment after the caller has seen
 * the last chunk and started the tool it asked for.
 *
 *   chat stream  |==================|          ends 1 ms after the tool started
 *   tool                           |=========|
 *   plain rule:  |parent...........|tool.....|  (the whole stream counted as the parent's)
 *   refined:     |chat.............|tool.....|
 *
 * Among children overlapping the cursor the earliest-starting one is taken (it covers the most).
 *
 * Clock jitter: the refinement only applies to a child that started more than
 * {@link START_JITTER_TOLERANCE_NS} (1 ms) before the next critical child. Two tools started
 * together (`Promise.all`, a model asking for both at once) record starts a few µs apart in
 * either order, and whole-ms exporters (Mastra) can round them 1 ms apart; the one that started
 * first by that much is not what the user waited on. Without the tolerance the shorter of two
 * parallel tools would be flagged critical for a µs sliver whenever it happened to start first:
 *
 *   tool long    |=========================|      critical
 *   tool short  |==========|                      started 3 µs earlier: not critical
 *
 * Such a sliver stays the parent's own time, as any gap between critical children does.
 * O(k log k) per span with k children; iterative, so deep traces do not exhaust the stack.
 */
/**
 * How much earlier (ns) a still-running child must have started than the next critical child to
 * be critical up to that child's start: 1 ms, above the µs jitter of spans started together in
 * one process and the 1 ms rounding of exporters that keep whole milliseconds, and far below any
 * stretch a user could wait on.
 */
export const START_JITTER_TOLERANCE_NS = 1_000_000;

/**
 * The child that is critical up to the cursor, among those seen so far (`kids[0..next)`, every one
 * ending at or after the cursor): the earliest-starting, unless it was still running when the
 * cursor's child started and had started within the jitter tolerance of it. A child that ends
 * exactly at the cursor handed over to the next one in sequence, whatever its length: tools run
 * back to back 1 ms each are each critical.
 */
function criticalAtCursor(kids: readonly Clamped[], earliest: number, next: number, cursorNs: number): Clamped | undefined {
  const first = kids[earliest];
  const overlapping = first.endNs > cursorNs;
  if (first.startNs < cursorNs - (overlapping ? START_JITTER_TOLERANCE_NS : 0)) return first;
  if (!overlapping) return undefined;
  // The earliest was a sliver beside the cursor's child: a child handing over at the cursor may still be critical.
  let handOff: Clamped | undefined;
  for (let i = next - 1; i >= 0 && kids[i].endNs === cursorNs; i--) {
    if (kids[i].startNs < cursorNs && (handOff === undefined || kids[i].startNs < handOff.startNs)) handOff = kids[i];
  }
  return handOff;
}

export function computeCriticalPath(forest: SpanForest): CriticalPath {
  const reversed: CriticalSegment[] = [];
  const order: Array<{ spanId: string; startNs: number; sequence: number }> = [];
  const onStack = new Set<string>();
  const frames: Frame[] = [];
  const open = (span: TraceSpan, lowNs: number, highNs: number): void => {
    onStack.add(span.spanId);
    order.push({ spanId: span.spanId, startNs: lowNs, sequence: order.length });
    frames.push({ span, lowNs, cursorNs: highNs, kids: clampChildren(forest, span, lowNs, highNs, onStack), next: 0, earliest: -1 });
  };
  const emit = (spanId: string, startNs: number, endNs: number): void => {
    if (endNs > startNs) reversed.push({ spanId, startNs, endNs });
  };

  open(forest.root, forest.windowStartNs, forest.windowEndNs);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    const { kids } = frame;
    while (frame.next < kids.length && kids[frame.next].endNs >= frame.cursorNs) {
      if (frame.earliest < 0 || kids[frame.next].startNs < kids[frame.earliest].startNs) frame.earliest = frame.next;
      frame.next++;
    }
    let chosen: Clamped | undefined;
    let chosenEndNs = frame.cursorNs;
    const handOff = frame.earliest >= 0 ? criticalAtCursor(kids, frame.earliest, frame.next, frame.cursorNs) : undefined;
    if (handOff) {
      chosen = handOff;
    } else if (frame.next < kids.length) {
      chosen = kids[frame.next];
      chosenEndNs = chosen.endNs;
      emit(frame.span.spanId, chosenEndNs, frame.cursorNs);
    }
    if (chosen === undefined) {
      emit(frame.span.spanId, frame.lowNs, frame.cursorNs);
      onStack.delete(frame.span.spanId);
      frames.pop();
      continue;
    }
    frame.cursorNs = chosen.startNs;
    open(chosen.span, chosen.startNs, chosenEndNs);
  }

  const segments = reversed.reverse();
  const firstSeen = new Map<string, { startNs: number; sequence: number }>();
  for (const entry of order) if (!firstSeen.has(entry.spanId)) firstSeen.set(entry.spanId, entry);
  const spanIds = [...firstSeen.entries()]
    .sort(([, a], [, b]) => (a.sequence === 0 ? -1 : b.sequence === 0 ? 1 : a.startNs - b.startNs || a.sequence - b.sequence))
    .map(([spanId]) => spanId);
  return { segments, spanIds };
}

function clampChildren(forest: SpanForest, span: TraceSpan, lowNs: number, highNs: number, onStack: Set<string>): Clamped[] {
  const children = forest.children.get(span.spanId);
  if (!children) return [];
  const clamped: Clamped[] = [];
  for (const child of children) {
    if (onStack.has(child.spanId)) continue;
    const startNs = Math.max(child.startNs, lowNs);
    const endNs = Math.min(child.endNs, highNs);
    if (endNs > startNs) clamped.push({ span: child, startNs, endNs });
  }
  return clamped.sort((a, b) => b.endNs - a.endNs || a.startNs - b.startNs);
}
