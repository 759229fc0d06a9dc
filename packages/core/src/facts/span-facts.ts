import { isLlmCall } from '../analysis/count-calls.js';
import { OPERATION_CATEGORIES, type OperationCategory, type SpanCategory } from '../category.js';
import type { TraceSpan } from '../trace-span.js';

/** The categories a span is stored as a fact for: llm spans and operations. */
export type FactCategory = 'llm' | OperationCategory;

const FACT_CATEGORIES: ReadonlySet<SpanCategory> = new Set<SpanCategory>(['llm', ...OPERATION_CATEGORIES]);

function isFactCategory(category: SpanCategory): category is FactCategory {
  return FACT_CATEGORIES.has(category);
}

/**
 * What is stored of one llm, tool, state or orchestration span: the values `/api/models`,
 * `/api/operations` and the TTFT alerts aggregate over. Stores write these as they are and
 * filter on them; no query decides again what they mean (`llmCall` above all: a chunk of a
 * stream or a wrapper around calls is an llm span but not a call).
 */
export interface SpanFacts {
  category: FactCategory;
  /** The name an operation is grouped by: the tool's name for tools, the span name otherwise. */
  name: string;
  service: string;
  /** A model call, counted once: core's `isLlmCall` (no wrapper, no stream chunk). */
  llmCall: boolean;
  /** A wrapper whose usage repeats its calls' (`ai.streamText`, Mastra's generation). */
  aggregate: boolean;
  model: string | null;
  provider: string | null;
  streaming: boolean | null;
  ttftMs: number | null;
  tpotMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  maxChunkGapMs: number | null;
  durationMs: number;
  cacheHit: boolean | null;
  coldStart: boolean | null;
  error: boolean;
}

/** Facts already derived, by the spans array they were derived from. */
const derived = new WeakMap<readonly TraceSpan[], readonly SpanFacts[]>();

/**
 * The facts of a trace's llm and operation spans, in the order given (depth-first). Derived once
 * per spans array: the collector's save and its `/metrics` both read them for every analysed
 * trace. The spans of an analysis are not changed once it is made, and neither are the facts.
 */
export function spanFactsOf(spans: readonly TraceSpan[]): readonly SpanFacts[] {
  let facts = derived.get(spans);
  if (facts === undefined) {
    facts = deriveSpanFacts(spans);
    derived.set(spans, facts);
  }
  return facts;
}

function deriveSpanFacts(spans: readonly TraceSpan[]): SpanFacts[] {
  const facts: SpanFacts[] = [];
  for (const span of spans) {
    if (!isFactCategory(span.category)) continue;
    facts.push({
      category: span.category,
      name: span.category === 'tool' && span.tool?.name ? span.tool.name : span.name,
      service: span.service,
      llmCall: isLlmCall(span),
      aggregate: span.llm?.aggregate === true,
      model: span.llm?.model ?? null,
      provider: span.llm?.provider ?? null,
      streaming: span.llm?.streaming ?? null,
      ttftMs: span.llm?.ttftMs ?? null,
      tpotMs: span.llm?.tpotMs ?? null,
      inputTokens: span.llm?.inputTokens ?? null,
      outputTokens: span.llm?.outputTokens ?? null,
      maxChunkGapMs: span.llm?.maxChunkGapMs ?? null,
      durationMs: (span.endNs - span.startNs) / 1e6,
      cacheHit: span.tool?.cacheHit ?? null,
      coldStart: span.tool?.coldStart ?? null,
      error: span.status === 'error',
    });
  }
  return facts;
}
