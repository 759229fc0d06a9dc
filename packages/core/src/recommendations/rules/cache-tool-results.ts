import type { Finding } from '../../api-types.js';
import type { TraceSpan } from '../../trace-span.js';
import { projectedFinding } from '../projected-finding.js';
import type { RecommendationRule } from '../rule.js';
import { durationMsOf, formatMs, isToolCall, spanStartTimeMs } from '../trace-calls.js';

/**
 * Cache tool results. A tool called again with the same arguments hash — later in the same
 * trace, or after an earlier turn of the same session made the same call — could have reused the
 * first result. The saving is the repeats' durations (projected: repeats off the critical path
 * save nothing). Calls already flagged as cache hits are not repeats.
 */
export const cacheToolResultsRule: RecommendationRule = {
  id: 'cache-tool-results',
  title: 'Cache repeated tool calls',
  why: 'The same tool is called again with the same arguments in a trace or session; reusing the first result makes the repeat free.',
  evaluate(trace, context): Finding[] {
    const tools = trace.traceSpans
      .filter((span) => isToolCall(span) && span.tool!.argsHash !== undefined)
      .sort((a, b) => a.startNs - b.startNs);
    if (tools.length === 0) return [];
    const firstStartMs = spanStartTimeMs(trace, tools[0]);
    const sessionId = trace.summary.sessionId;
    const earlierInSession = new Set<string>();
    for (const call of (sessionId === undefined ? undefined : context.sessions.get(sessionId))?.toolCalls ?? []) {
      if (call.traceId !== trace.traceId && call.argsHash !== undefined && call.startTimeMs < firstStartMs)
        earlierInSession.add(callKey(call.name, call.argsHash));
    }
    const firstInTrace = new Map<string, TraceSpan>();
    const repeats: TraceSpan[] = [];
    const originals = new Set<string>();
    let fromSession = 0;
    for (const span of tools) {
      const key = callKey(span.tool!.name, span.tool!.argsHash!);
      const original = firstInTrace.get(key);
      if (span.tool!.cacheHit === true) {
        if (!original) firstInTrace.set(key, span);
      } else if (original) {
        repeats.push(span);
        originals.add(original.spanId);
      } else if (earlierInSession.has(key)) {
        repeats.push(span);
        fromSession++;
        firstInTrace.set(key, span);
      } else firstInTrace.set(key, span);
    }
    if (repeats.length === 0) return [];
    const repeatMs = repeats.reduce((sum, span) => sum + durationMsOf(span), 0);
    const names = [...new Set(repeats.map((span) => span.tool!.name))];
    const finding = projectedFinding(trace, context, {
      ruleId: cacheToolResultsRule.id,
      title: cacheToolResultsRule.title,
      evidenceSpanIds: [...repeats.map((span) => span.spanId), ...originals],
      edits: repeats.map((span) => ({ kind: 'shorten' as const, spanId: span.spanId, durationMs: 0 })),
      detail: (savingMs) =>
        `${repeats.length} call${repeats.length === 1 ? '' : 's'} to ${names.join(', ')} repeated ${fromSession === repeats.length ? 'a call an earlier turn of this session made' : 'an earlier call'} with the same arguments ` +
        `(${formatMs(repeatMs)} in all). Reusing the first result saves ${formatMs(savingMs)}.`,
    });
    return finding ? [finding] : [];
  },
};

function callKey(name: string, argsHash: string): string {
  return `${name}\u0000${argsHash}`;
}
