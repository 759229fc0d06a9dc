import { readString } from '../analysis/read-attribute.js';
import { wrapperCategory, type Classification, type SpanClassifier } from './classifier.js';

/**
 * LangSmith's OpenTelemetry bridge: `langsmith.span.kind` is the run type (llm, chain, tool,
 * retriever, embedding, prompt, parser).
 */
export const langSmithClassifier: SpanClassifier = {
  name: 'langsmith',
  classify(record, context): Classification | undefined {
    const kind = readString(record.attributes, 'langsmith.span.kind')?.toLowerCase();
    if (!kind) return undefined;
    switch (kind) {
      case 'llm':
        return { category: 'llm', classifier: 'langsmith', operation: 'chat' };
      case 'embedding':
        return { category: 'llm', classifier: 'langsmith', operation: 'embeddings' };
      case 'tool':
        return { category: 'tool', classifier: 'langsmith' };
      case 'retriever':
        return { category: 'state', classifier: 'langsmith', stateOperation: 'retrieve' };
      case 'chain':
        return { category: wrapperCategory(context), classifier: 'langsmith', orchestrationKind: context.isRoot ? undefined : 'step' };
      default:
        return { category: context.isRoot ? 'task' : 'other', classifier: 'langsmith' };
    }
  },
};
