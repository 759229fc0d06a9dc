import type { TaskClassConfig } from '../task-class.js';
import type { RuleContext, SessionHistory, TaskStepHistory } from './rule-context.js';
import { DEFAULT_RECOMMENDATION_THRESHOLDS, type RecommendationThresholds } from './thresholds.js';
import { median } from './trace-calls.js';
import type { LlmCallObservation, ToolCallObservation, TraceObservations } from './trace-observations.js';

interface MutableSession {
  llmCalls: LlmCallObservation[];
  toolCalls: ToolCallObservation[];
  firstToolCalls: Map<string, ToolCallObservation>;
}

export interface RuleContextIndexLimits {
  /** Most recent calls kept per session, of each kind (default 256). */
  maxSessionCalls?: number;
  /** Most recent calls kept per model, and per tool for warm times (default 2,000). */
  maxCallsPerKey?: number;
}

interface MutableSteps {
  traceIds: Set<string>;
  follows: Map<string, Set<string>>;
}

interface ToolSample {
  call: ToolCallObservation;
  sessionId?: string;
}

/**
 * The cross-trace knowledge rules read, kept up to date one trace at a time: adding a trace
 * costs about its own size, so a collector can feed every analysed trace through it. A trace
 * added again (re-analysed after late spans) replaces its earlier observations. Beyond
 * `maxTraces` the oldest traces are forgotten (once half as many again have arrived, in one
 * batch, then the indexes are rebuilt: each trace added costs about two traces' rebuilding). Every per-key history is bounded as well (a session,
 * a model, a tool keep their most recent calls), so what a rule reads for one trace costs the
 * same whether a session has ten turns or ten thousand.
 */
export class RuleContextIndex {
  private readonly traces = new Map<string, TraceObservations>();
  private modelCalls = new Map<string, LlmCallObservation[]>();
  private sessions = new Map<string, MutableSession>();
  private taskSteps = new Map<string, MutableSteps>();
  private toolSamples = new Map<string, ToolSample[]>();
  private readonly warmMemo = new Map<string, number | undefined>();
  private readonly ttftMemo = new Map<string, { medianMs: number; calls: number } | undefined>();

  private readonly maxSessionCalls: number;
  private readonly maxCallsPerKey: number;

  constructor(
    private readonly maxTraces: number = Number.POSITIVE_INFINITY,
    limits: RuleContextIndexLimits = {},
  ) {
    this.maxSessionCalls = limits.maxSessionCalls ?? 256;
    this.maxCallsPerKey = limits.maxCallsPerKey ?? 2_000;
  }

  get size(): number {
    return this.traces.size;
  }

  has(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  add(observations: TraceObservations): void {
    if (this.traces.has(observations.traceId)) this.remove(observations.traceId);
    this.traces.set(observations.traceId, observations);
    this.index(observations);
    const slack = Math.max(1, Math.floor(this.maxTraces / 2));
    if (this.traces.size > this.maxTraces + slack) this.forgetOldest(this.traces.size - this.maxTraces);
  }

  remove(traceId: string): void {
    const observations = this.traces.get(traceId);
    if (!observations) return;
    this.traces.delete(traceId);
    const notThis = (call: { traceId: string }) => call.traceId !== traceId;
    for (const model of new Set(observations.llmCalls.map((call) => call.model))) {
      this.ttftMemo.delete(model);
      const left = (this.modelCalls.get(model) ?? []).filter(notThis);
      if (left.length > 0) this.modelCalls.set(model, left);
      else this.modelCalls.delete(model);
    }
    if (observations.sessionId !== undefined) {
      const session = this.sessions.get(observations.sessionId);
      if (session) {
        session.llmCalls = session.llmCalls.filter(notThis);
        session.toolCalls = session.toolCalls.filter(notThis);
        for (const [name, first] of session.firstToolCalls) {
          if (first.traceId !== traceId) continue;
          // The next earliest the session still holds (an evicted older call is not recovered).
          const next = session.toolCalls.find((call) => call.name === name);
          if (next) session.firstToolCalls.set(name, next);
          else session.firstToolCalls.delete(name);
        }
        if (session.llmCalls.length === 0 && session.toolCalls.length === 0) this.sessions.delete(observations.sessionId);
      }
    }
    const steps = this.taskSteps.get(observations.taskName);
    if (steps) {
      steps.traceIds.delete(traceId);
      for (const ids of steps.follows.values()) ids.delete(traceId);
      if (steps.traceIds.size === 0) this.taskSteps.delete(observations.taskName);
    }
    for (const name of new Set(observations.toolCalls.map((call) => call.name))) {
      this.toolSamples.set(
        name,
        (this.toolSamples.get(name) ?? []).filter((sample) => sample.call.traceId !== traceId),
      );
      this.warmMemo.delete(name);
    }
  }

  /** A context over everything indexed now (live: later additions show through it). */
  context(options: { thresholds?: Partial<RecommendationThresholds>; taskClassConfig?: TaskClassConfig } = {}): RuleContext {
    const context: RuleContext = {
      thresholds: { ...DEFAULT_RECOMMENDATION_THRESHOLDS, ...options.thresholds },
      modelCalls: this.modelCalls,
      sessions: this.sessions as ReadonlyMap<string, SessionHistory>,
      taskSteps: this.taskSteps as ReadonlyMap<string, TaskStepHistory>,
      warmToolMs: (toolName) => this.warmToolMs(toolName),
      modelTtftMs: (model) => this.modelTtftMs(model),
    };
    if (options.taskClassConfig !== undefined) context.taskClassConfig = options.taskClassConfig;
    return context;
  }

  /** With `sortLater`, session calls are only appended: the caller sorts every session once. */
  private index(trace: TraceObservations, sortLater = false): void {
    for (const call of trace.llmCalls) {
      pushBounded(this.modelCalls, call.model, call, this.maxCallsPerKey);
      this.ttftMemo.delete(call.model);
    }
    if (trace.sessionId !== undefined) {
      let session = this.sessions.get(trace.sessionId);
      if (!session) this.sessions.set(trace.sessionId, (session = { llmCalls: [], toolCalls: [], firstToolCalls: new Map() }));
      if (sortLater) {
        for (const call of trace.llmCalls) session.llmCalls.push(call);
        for (const call of trace.toolCalls) session.toolCalls.push(call);
      } else {
        appendInTimeOrder(session.llmCalls, trace.llmCalls);
        appendInTimeOrder(session.toolCalls, trace.toolCalls);
        keepNewest(session.llmCalls, this.maxSessionCalls);
        keepNewest(session.toolCalls, this.maxSessionCalls);
      }
      for (const call of trace.toolCalls) {
        const first = session.firstToolCalls.get(call.name);
        if (!first || call.startTimeMs < first.startTimeMs) session.firstToolCalls.set(call.name, call);
      }
    }
    let steps = this.taskSteps.get(trace.taskName);
    if (!steps) this.taskSteps.set(trace.taskName, (steps = { traceIds: new Set(), follows: new Map() }));
    steps.traceIds.add(trace.traceId);
    for (const key of trace.stepFollows) {
      let ids = steps.follows.get(key);
      if (!ids) steps.follows.set(key, (ids = new Set()));
      ids.add(trace.traceId);
    }
    for (const call of trace.toolCalls) {
      pushBounded(
        this.toolSamples,
        call.name,
        trace.sessionId === undefined ? { call } : { call, sessionId: trace.sessionId },
        this.maxCallsPerKey,
      );
      this.warmMemo.delete(call.name);
    }
  }

  /**
   * Median duration of the tool's warm calls: not flagged cold or cached, and not the first call
   * of the tool in its session (which may be paying a start-up cost nobody flagged).
   */
  private warmToolMs(toolName: string): number | undefined {
    if (this.warmMemo.has(toolName)) return this.warmMemo.get(toolName);
    const warm: number[] = [];
    for (const { call, sessionId } of this.toolSamples.get(toolName) ?? []) {
      if (call.coldStart === true || call.cacheHit === true) continue;
      if (sessionId !== undefined) {
        const first = this.sessions.get(sessionId)?.firstToolCalls.get(toolName);
        if (first?.spanId === call.spanId && first.traceId === call.traceId) continue;
      }
      warm.push(call.durationMs);
    }
    const result = median(warm);
    this.warmMemo.set(toolName, result);
    return result;
  }

  private modelTtftMs(model: string): { medianMs: number; calls: number } | undefined {
    if (this.ttftMemo.has(model)) return this.ttftMemo.get(model);
    const ttfts = (this.modelCalls.get(model) ?? []).filter((call) => call.ttftMs !== undefined).map((call) => call.ttftMs!);
    const medianMs = median(ttfts);
    const result = medianMs === undefined ? undefined : { medianMs, calls: ttfts.length };
    this.ttftMemo.set(model, result);
    return result;
  }

  private forgetOldest(count: number): void {
    const ids = [...this.traces.keys()].slice(0, count);
    for (const id of ids) this.traces.delete(id);
    this.modelCalls = new Map();
    this.sessions = new Map();
    this.taskSteps = new Map();
    this.toolSamples = new Map();
    this.warmMemo.clear();
    this.ttftMemo.clear();
    for (const trace of this.traces.values()) this.index(trace, true);
    // One stable sort per session orders calls exactly as appending trace by trace would.
    for (const session of this.sessions.values()) {
      session.llmCalls.sort(byStartTime);
      session.toolCalls.sort(byStartTime);
      keepNewest(session.llmCalls, this.maxSessionCalls);
      keepNewest(session.toolCalls, this.maxSessionCalls);
    }
  }
}

/**
 * Appends, keeping about the newest `max` (the oldest quarter is dropped in one go when the list
 * passes 1.25 × max, so trimming is amortised).
 */
function pushBounded<T>(map: Map<string, T[]>, key: string, value: T, max: number): void {
  const list = map.get(key);
  if (!list) {
    map.set(key, [value]);
    return;
  }
  list.push(value);
  if (list.length > max + Math.max(1, Math.floor(max / 4))) list.splice(0, list.length - max);
}

/** Drops the oldest entries of a start-ordered list beyond its newest `max`. */
function keepNewest<T>(list: T[], max: number): void {
  if (list.length > max) list.splice(0, list.length - max);
}

function byStartTime(a: { startTimeMs: number }, b: { startTimeMs: number }): number {
  return a.startTimeMs - b.startTimeMs;
}

/**
 * Appends calls keeping the list sorted by start, ties in arrival order (as a stable sort of the
 * whole list would): the new calls are sorted, then merged in from the end, so the cost is the
 * new calls plus the stored calls that start after the earliest of them — a plain append when
 * traces arrive in order.
 */
function appendInTimeOrder<T extends { startTimeMs: number }>(list: T[], calls: readonly T[]): void {
  if (calls.length === 0) return;
  const incoming = calls.length === 1 ? calls : [...calls].sort(byStartTime);
  let stored = list.length - 1;
  let write = list.length + incoming.length - 1;
  for (const call of incoming) list.push(call);
  for (let next = incoming.length - 1; next >= 0; next--) {
    const call = incoming[next];
    // Stored calls starting strictly later move up; an equal start stays before the new call.
    while (stored >= 0 && list[stored].startTimeMs > call.startTimeMs) list[write--] = list[stored--];
    list[write--] = call;
  }
}
