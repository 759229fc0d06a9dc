import type { AttributeValue, SpanRecord } from '../span-record.js';
import type { TraceSpan } from '../trace-span.js';
import { readString } from './read-attribute.js';
import { hashArguments } from './extract-tool-info.js';

/** The GenAI event for a decision about a tool call before it runs (semantic-conventions-genai #535). */
export const TOOL_CALL_DECISION_EVENT = 'gen_ai.tool.call.decision';
const OUTCOME_KEY = 'gen_ai.tool.call.decision.outcome';

interface Decision {
  spanId: string;
  atNs: bigint;
  outcome: string;
  callId?: string;
  toolName?: string;
}

/**
 * Time spent waiting for a human to approve a tool call, as spans of their own. The conventions
 * record each decision as a `gen_ai.tool.call.decision` event with an outcome of
 * `require_approval`, `allow` or `deny`; the wait runs from a `require_approval` to the next
 * decision about the same call (matched by `gen_ai.tool.call.id`, else by tool name, else on the
 * same span), or, when no later decision arrived, to the start of the `execute_tool` span of that
 * call id. A wait with neither end is not measured (unknown, never guessed).
 *
 * Each wait becomes a derived child of the span that recorded the request, classified
 * orchestration of kind `approval`: the critical path then gives that stretch to the wait, not
 * to the tool span it sat in nor to the agent's own time, and the waterfall shows it by name.
 *
 *   execute_tool delete_file  |==============================|
 *     require_approval          ^            ^ allow
 *     approval delete_file      |============|                  orchestration (approval)
 *     tool's own time                        |================|  tool
 *
 * @returns the derived spans, with ns offsets from `traceStartUnixNano`
 */
export function deriveApprovalWaits(records: readonly SpanRecord[], spans: readonly TraceSpan[], traceStartUnixNano: bigint): TraceSpan[] {
  const decisions: Decision[] = [];
  for (const record of records) {
    for (const event of record.events) {
      if (event.name !== TOOL_CALL_DECISION_EVENT) continue;
      const outcome = readString(event.attributes, OUTCOME_KEY);
      if (outcome === undefined) continue;
      const decision: Decision = { spanId: record.spanId, atNs: event.timeUnixNano, outcome };
      const callId = readString(event.attributes, 'gen_ai.tool.call.id');
      if (callId !== undefined) decision.callId = callId;
      const toolName = readString(event.attributes, 'gen_ai.tool.name');
      if (toolName !== undefined) decision.toolName = toolName;
      decisions.push(decision);
    }
  }
  if (decisions.length === 0) return [];
  decisions.sort((a, b) => (a.atNs < b.atNs ? -1 : a.atNs > b.atNs ? 1 : 0));
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const derived: TraceSpan[] = [];
  decisions.forEach((request, index) => {
    if (request.outcome !== 'require_approval') return;
    const parent = byId.get(request.spanId);
    if (!parent) return;
    const answer = decisions.slice(index + 1).find((later) => later.outcome !== 'require_approval' && sameCall(request, later));
    const endNs = answer ? Number(answer.atNs - traceStartUnixNano) : executionStartNs(request, spans);
    const startNs = Number(request.atNs - traceStartUnixNano);
    if (endNs === undefined || endNs <= startNs) return;
    const toolName = request.toolName ?? answer?.toolName;
    const attributes: Record<string, AttributeValue> = { 'threshold.derived_from': TOOL_CALL_DECISION_EVENT };
    if (toolName !== undefined) attributes['gen_ai.tool.name'] = toolName;
    if (request.callId !== undefined) attributes['gen_ai.tool.call.id'] = request.callId;
    if (answer) attributes[OUTCOME_KEY] = answer.outcome;
    derived.push({
      spanId: hashArguments(request.spanId, `${TOOL_CALL_DECISION_EVENT}#${index}`)!,
      parentSpanId: parent.spanId,
      name: `approval ${toolName ?? 'tool call'}`,
      service: parent.service,
      category: 'orchestration',
      classifier: 'genai',
      startNs,
      endNs,
      status: answer?.outcome === 'deny' ? 'error' : 'unset',
      orchestration: { kind: 'approval' },
      derived: true,
      attributes,
    });
  });
  return derived;
}

function sameCall(request: Decision, later: Decision): boolean {
  if (request.callId !== undefined || later.callId !== undefined) return request.callId === later.callId;
  if (request.toolName !== undefined || later.toolName !== undefined) return request.toolName === later.toolName;
  return request.spanId === later.spanId;
}

/** Start of the execute_tool span of the requested call, when one started after the request. */
function executionStartNs(request: Decision, spans: readonly TraceSpan[]): number | undefined {
  if (request.callId === undefined) return undefined;
  const execution = spans.find((span) => span.category === 'tool' && span.tool?.callId === request.callId);
  return execution?.startNs;
}
