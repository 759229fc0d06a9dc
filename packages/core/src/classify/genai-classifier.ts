import { readBoolean, readString } from '../analysis/read-attribute.js';
import type { StateOperation } from '../trace-span.js';
import { wrapperCategory, type Classification, type ClassifyContext, type SpanClassifier } from './classifier.js';

/**
 * OpenTelemetry GenAI semantic conventions (open-telemetry/semantic-conventions-genai, late 2026).
 * `gen_ai.operation.name`:
 *
 *   chat, text_completion, generate_content, embeddings, fetch_response   llm calls
 *   execute_tool                                                           tool
 *   handle_conversation_turn                                               one user turn: the task
 *   invoke_agent, invoke_workflow                                          the task at the top, a step below it
 *   create_agent                                                           the task at the top, a step below it
 *   plan                                                                   orchestration (the agent planning)
 *   agent_step, model_step                                                 one turn of an agent loop: orchestration
 *   retrieval                                                              state: retrieve
 *   search_memory                                                          state: retrieve (memory)
 *   create/update/upsert/delete_memory, create/delete_memory_store        state: save (memory)
 *
 * `gen_ai.invocation.is_nested` (on the in-process `gen_ai.invocation.internal` spans of turns,
 * workflows and agents) says outright whether an invocation runs inside another: not nested is the
 * task even under an HTTP server span, nested is a step even when its parent never arrived.
 * Deprecated spellings still in the wild: `gen_ai.system` instead of the provider name, and spans
 * that only carry model or usage attributes without an operation.
 */
const LLM_OPERATIONS: ReadonlySet<string> = new Set([
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
  'completion',
  'fetch_response',
]);
const INVOCATIONS: ReadonlySet<string> = new Set(['invoke_agent', 'invoke_workflow', 'create_agent']);
const LOOP_STEPS: ReadonlySet<string> = new Set(['agent_step', 'model_step', 'model.step', 'execute_event_loop_cycle']);
const MEMORY_OPERATIONS: ReadonlyMap<string, StateOperation> = new Map([
  ['search_memory', 'retrieve'],
  ['create_memory', 'save'],
  ['update_memory', 'save'],
  ['upsert_memory', 'save'],
  ['delete_memory', 'save'],
  ['create_memory_store', 'save'],
  ['delete_memory_store', 'save'],
]);

export const genAiClassifier: SpanClassifier = {
  name: 'genai',
  classify(record, context): Classification | undefined {
    const attributes = record.attributes;
    const operation = readString(attributes, 'gen_ai.operation.name')?.toLowerCase();
    if (operation) {
      const byOperation = classifyOperation(operation, context, readBoolean(attributes, 'gen_ai.invocation.is_nested'));
      if (byOperation) return byOperation;
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

function classifyOperation(operation: string, context: ClassifyContext, nested: boolean | undefined): Classification | undefined {
  if (LLM_OPERATIONS.has(operation)) {
    return { category: 'llm', classifier: 'genai', operation: operation === 'completion' ? 'text_completion' : operation };
  }
  if (operation === 'execute_tool') return { category: 'tool', classifier: 'genai' };
  if (operation === 'handle_conversation_turn') return { category: 'task', classifier: 'genai' };
  if (INVOCATIONS.has(operation)) {
    const isTask = nested === undefined ? context.isRoot : !nested;
    if (isTask) return { category: 'task', classifier: 'genai' };
    return operation === 'create_agent'
      ? { category: 'orchestration', classifier: 'genai' }
      : { category: 'orchestration', classifier: 'genai', orchestrationKind: 'step' };
  }
  if (operation === 'plan')
    return { category: wrapperCategory(context), classifier: 'genai', orchestrationKind: context.isRoot ? undefined : 'plan' };
  if (LOOP_STEPS.has(operation))
    return { category: wrapperCategory(context), classifier: 'genai', orchestrationKind: context.isRoot ? undefined : 'step' };
  if (operation === 'retrieval') return { category: 'state', classifier: 'genai', stateOperation: 'retrieve' };
  const memory = MEMORY_OPERATIONS.get(operation);
  if (memory) return { category: 'state', classifier: 'genai', stateOperation: memory, stateTarget: 'memory' };
  return undefined;
}
