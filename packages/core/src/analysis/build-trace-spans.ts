import { classifySpan } from '../classify/classify-span.js';
import { applyMappingFacts, classifiersWithMapping } from '../classify/mapping-classifier.js';
import type { MappingRules } from '../classify/mapping-rules.js';
import { statusName, type SpanRecord } from '../span-record.js';
import type { TraceSpan } from '../trace-span.js';
import { deriveApprovalWaits } from './approval-waits.js';
import { correctHeldOpenLlmSpans } from './correct-held-open-llm-spans.js';
import { extractLlmInfo } from './extract-llm-info.js';
import { extractTaskInfo } from './extract-task-info.js';
import { extractToolInfo } from './extract-tool-info.js';
import { inheritCallFacts } from './inherit-call-facts.js';
import { markAggregateLlmSpans } from './mark-aggregate-llm-spans.js';
import { nestFlatRuns } from './nest-flat-runs.js';
import { depthFirst, indexSpans, type SpanIndex } from './order-depth-first.js';
import { repairSpanTree } from './repair-span-tree.js';

export interface BuiltTrace {
  /** Parents before children (depth-first, siblings by start). */
  spans: TraceSpan[];
  /** Epoch ns of the earliest span start; every offset is relative to it. */
  traceStartUnixNano: bigint;
  warnings: string[];
}

const FIRST_OUTPUT_EVENT = 'threshold.first_output';

/**
 * Normalises one trace's spans: repairs the tree, classifies each span, extracts what each
 * convention says about models, tools and the task, and turns times into exact integer ns offsets
 * from the trace's earliest start. Never throws; every repair is reported in `warnings`.
 * `mapping`: the user's rules for in-house spans, asked right after the SDK's own attributes.
 */
export function buildTraceSpans(input: readonly SpanRecord[], mapping?: MappingRules): BuiltTrace {
  if (input.length === 0) return { spans: [], traceStartUnixNano: 0n, warnings: ['empty trace'] };
  const tree = repairSpanTree(input);
  const warnings = [...tree.warnings];
  let traceStartUnixNano = tree.records[0].startTimeUnixNano;
  for (const record of tree.records) if (record.startTimeUnixNano < traceStartUnixNano) traceStartUnixNano = record.startTimeUnixNano;

  const classifiers = classifiersWithMapping(mapping);
  let endBeforeStart = 0;
  const spans: TraceSpan[] = tree.records.map((record) => {
    const isRoot = record.spanId === tree.rootSpanId;
    const classification = classifySpan(record, { isRoot }, classifiers);
    const startNs = Number(record.startTimeUnixNano - traceStartUnixNano);
    let endNs = Number(record.endTimeUnixNano - traceStartUnixNano);
    if (endNs < startNs) {
      endBeforeStart++;
      endNs = startNs;
    }
    const span: TraceSpan = {
      spanId: record.spanId,
      name: record.name,
      service: record.service,
      category: classification.category,
      classifier: classification.classifier,
      startNs,
      endNs,
      status: statusName(record.statusCode),
      attributes: record.attributes,
    };
    const parentSpanId = tree.parentOf.get(record.spanId);
    if (parentSpanId !== undefined) span.parentSpanId = parentSpanId;
    if (classification.category === 'llm' || classification.aggregate) span.llm = extractLlmInfo(record, classification);
    if (classification.category === 'tool') span.tool = extractToolInfo(record);
    if (classification.category === 'state') {
      span.state = { operation: classification.stateOperation };
      if (classification.stateTarget !== undefined) span.state.target = classification.stateTarget;
    }
    if (classification.category === 'orchestration' && classification.orchestrationKind) {
      span.orchestration = { kind: classification.orchestrationKind };
    }
    const task = extractTaskInfo(record);
    if (isRoot || classification.category === 'task' || Object.keys(task).length > 0) span.task = task;
    if (classification.mappingRule) applyMappingFacts(span, record, classification.mappingRule);
    const firstOutput = record.events.find((event) => event.name === FIRST_OUTPUT_EVENT);
    if (firstOutput) span.firstOutputNs = Number(firstOutput.timeUnixNano - traceStartUnixNano);
    return span;
  });
  if (endBeforeStart > 0)
    warnings.push(`${endBeforeStart} span${endBeforeStart === 1 ? '' : 's'} ending before start: duration taken as 0`);

  const nested = nestFlatRuns(spans, tree.records);
  if (nested > 0)
    warnings.push(
      `${nested} span${nested === 1 ? '' : 's'} of OpenLLMetry's LangChain instrumentation nested by time (it records every run flat under the caller's span)`,
    );
  spans.push(...deriveApprovalWaits(tree.records, spans, traceStartUnixNano));
  const index = indexSpans(spans);
  const ordered = depthFirst(index);
  markAggregateLlmSpans(ordered, index);
  inheritCallFacts(ordered, index);
  correctHeldOpenLlmSpans(index);
  const outside = countOutsideParent(ordered, index);
  if (outside > 0) {
    warnings.push(
      `${outside} span${outside === 1 ? '' : 's'} outside ${outside === 1 ? 'its' : 'their'} parent (clock skew or detached work): clamped for analysis`,
    );
  }
  return { spans: ordered, traceStartUnixNano, warnings };
}

/**
 * How far (ns) a child may reach outside its parent before it is worth a warning. Analysis clamps
 * every overshoot. Across services it is clock skew, worth saying from 1 ms. Within one service
 * the clock is shared, and an overshoot is the order callbacks run in: OpenLLMetry's
 * `withWorkflow` ends its span a fraction of a ms before the call inside it records its end, and
 * the Vercel AI SDK's `ai.streamText` can end a few ms before its last step on a loaded machine.
 * Only an in-process child outliving its parent by more than 100 ms (detached work) is reported.
 */
export const SKEW_WARNING_THRESHOLD_NS = 1_000_000;
export const OUTLIVED_PARENT_WARNING_THRESHOLD_NS = 100_000_000;

function countOutsideParent(spans: readonly TraceSpan[], index: SpanIndex): number {
  let count = 0;
  for (const span of spans) {
    const parent = span.parentSpanId === undefined ? undefined : index.byId.get(span.parentSpanId);
    if (!parent) continue;
    const thresholdNs = parent.service === span.service ? OUTLIVED_PARENT_WARNING_THRESHOLD_NS : SKEW_WARNING_THRESHOLD_NS;
    if (parent.startNs - span.startNs > thresholdNs || span.endNs - parent.endNs > thresholdNs) count++;
  }
  return count;
}
