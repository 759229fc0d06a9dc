import { readString } from '../analysis/read-attribute.js';
import { wrapperCategory, type Classification, type SpanClassifier } from './classifier.js';

/**
 * OpenTelemetry GenAI semantic conventions. Current: `gen_ai.operation.name` (chat,
 * text_completion, generate_content, embeddings, execute_tool, invoke_agent, invoke_workflow,
 * create_agent, retrieval) with `gen_ai.provider.name`. Deprecated spellings still in the wild:
 * `gen_ai.system` instead of the provider name, and spans that only carry model or usage
 * attributes (`gen_ai.request.model`, `gen_ai.usage.prompt_tokens`) without an operation.
 */
const LLM_OPERATIONS: ReadonlySet<string> = new Set(['chat', 'text_completion', 'generate_content', 'embeddings', 'completion']);

export const genAiClassifier: SpanClassifier = {
  name: 'genai',
  classify(record, context): Classification | undefined {
    const attributes = record.attributes;
    const operation = readString(attributes, 'gen_ai.operation.name')?.toLowerCase();
    if (operation) {
      if (LLM_OPERATIONS.has(operation)) {
        return { category: 'llm', classifier: 'genai', operation: operation === 'completion' ? 'text_completion' : operation };
      }
      if (operation === 'execute_tool') return { category: 'tool', classifier: 'genai' };
      if (operation === 'invoke_agent' || operation === 'invoke_workflow') {
        return { category: wrapperCategory(context), classifier: 'genai', orchestrationKind: context.isRoot ? undefined : 'step' };
      }
      if (operation === 'create_agent') return { category: context.isRoot ? 'task' : 'orchestration', classifier: 'genai' };
      if (operation === 'retrieval') return { category: 'state', classifier: 'genai', stateOperation: 'retrieve' };
    }
    if (readString(attributes, 'gen_ai.tool.name') !== undefined) return { category: 'tool', classifier: 'genai' };
    const speaksGenAi =
      readString(attributes, 'gen_ai.system', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.response.model') !== undefined ||
      attributes['gen_ai.usage.input_tokens'] !== undefined ||
      attributes['gen_ai.usage.prompt_tokens'] !== undefined;
    if (speaksGenAi) return { category: 'llm', classifier: 'genai', operation: operation ?? 'chat' };
    return undefined;
  },
};
