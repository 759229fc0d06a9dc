import { readString } from '../analysis/read-attribute.js';
import { wrapperCategory, type Classification, type SpanClassifier } from './classifier.js';

/**
 * OpenInference (Arize Phoenix): `openinference.span.kind` is one of LLM, EMBEDDING, RERANKER,
 * TOOL, RETRIEVER, CHAIN, AGENT, GUARDRAIL, EVALUATOR, PROMPT. Model facts live under `llm.*`
 * (`llm.model_name`, `llm.provider`, `llm.token_count.prompt` / `completion`).
 */
export const openInferenceClassifier: SpanClassifier = {
  name: 'openinference',
  classify(record, context): Classification | undefined {
    const kind = readString(record.attributes, 'openinference.span.kind')?.toUpperCase();
    if (!kind) return undefined;
    switch (kind) {
      case 'LLM':
        return { category: 'llm', classifier: 'openinference', operation: 'chat' };
      case 'EMBEDDING':
        return { category: 'llm', classifier: 'openinference', operation: 'embeddings' };
      case 'RERANKER':
        return { category: 'llm', classifier: 'openinference', operation: 'rerank' };
      case 'TOOL':
        return { category: 'tool', classifier: 'openinference' };
      case 'RETRIEVER':
        return { category: 'state', classifier: 'openinference', stateOperation: 'retrieve' };
      case 'CHAIN':
      case 'AGENT':
        return { category: wrapperCategory(context), classifier: 'openinference', orchestrationKind: context.isRoot ? undefined : 'step' };
      case 'GUARDRAIL':
        return { category: 'orchestration', classifier: 'openinference', orchestrationKind: 'step' };
      default:
        return { category: context.isRoot ? 'task' : 'other', classifier: 'openinference' };
    }
  },
};
