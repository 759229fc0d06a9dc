import { readString } from '../analysis/read-attribute.js';
import { wrapperCategory, type Classification, type SpanClassifier } from './classifier.js';

/**
 * OpenLLMetry (Traceloop): decorated spans carry `traceloop.span.kind` (workflow, task, agent,
 * tool); instrumented model calls carry `llm.request.type` (chat, completion, embedding, rerank)
 * next to `gen_ai.*` attributes. The LangChain instrumentation names every run `workflow <Runnable>`
 * and a tool run `execute_tool <ToolClass>` with kind `task`.
 */
const REQUEST_OPERATIONS: ReadonlyMap<string, string> = new Map([
  ['chat', 'chat'],
  ['completion', 'text_completion'],
  ['embedding', 'embeddings'],
  ['rerank', 'rerank'],
]);

export const openLlmetryClassifier: SpanClassifier = {
  name: 'openllmetry',
  classify(record, context): Classification | undefined {
    const attributes = record.attributes;
    const kind = readString(attributes, 'traceloop.span.kind')?.toLowerCase();
    if (kind === 'tool') return { category: 'tool', classifier: 'openllmetry' };
    // the LangChain instrumentation marks tool runs `task` with the GenAI operation `execute_tool`
    if (kind === 'task' && readString(attributes, 'gen_ai.operation.name') === 'execute_tool')
      return { category: 'tool', classifier: 'openllmetry' };
    if (kind === 'workflow' || kind === 'agent' || kind === 'task') {
      return { category: wrapperCategory(context), classifier: 'openllmetry', orchestrationKind: context.isRoot ? undefined : 'step' };
    }
    const requestType = readString(attributes, 'llm.request.type')?.toLowerCase();
    if (requestType) {
      return { category: 'llm', classifier: 'openllmetry', operation: REQUEST_OPERATIONS.get(requestType) ?? requestType };
    }
    return undefined;
  },
};
