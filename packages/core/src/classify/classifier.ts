import type { SpanCategory } from '../category.js';
import type { SpanRecord } from '../span-record.js';
import type { OrchestrationKind, StateOperation } from '../trace-span.js';
import type { MappingRule } from './mapping-rules.js';

/** What a classifier learns about a span from its convention. */
export interface Classification {
  category: SpanCategory;
  /** Name of the classifier (convention) that matched. */
  classifier: string;
  /** Llm operation (`chat`, `text_completion`, `embeddings`, …) when the convention names it. */
  operation?: string;
  /** True for an llm span that wraps other llm calls (Vercel's `ai.generateText`): its usage repeats theirs. */
  aggregate?: boolean;
  stateOperation?: StateOperation;
  /** What a state span loads or saves (`memory` for GenAI memory operations). */
  stateTarget?: string;
  orchestrationKind?: OrchestrationKind;
  /** The mapping rule that matched, when a user's rule decided (its facts are read after extraction). */
  mappingRule?: MappingRule;
}

/** Where a span sits in its trace, for conventions whose kinds depend on it (root workflow = task). */
export interface ClassifyContext {
  isRoot: boolean;
}

/**
 * One convention's reading of a span. `classify` answers undefined when the span does not speak
 * this convention, so the next classifier in the ordered list gets its turn.
 */
export interface SpanClassifier {
  name: string;
  classify(record: SpanRecord, context: ClassifyContext): Classification | undefined;
}

/** Wrapper kinds (workflow, agent, chain, task): the task itself at the root, orchestration below it. */
export function wrapperCategory(context: ClassifyContext): SpanCategory {
  return context.isRoot ? 'task' : 'orchestration';
}
