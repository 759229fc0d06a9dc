import { readString } from '../analysis/read-attribute.js';
import { wrapperCategory, type Classification, type SpanClassifier } from './classifier.js';

/**
 * Mastra's AI tracing exported over OTel (`@mastra/otel-exporter` 0.3 for core 0.2x, 1.x for
 * core 1.x): `mastra.span.type` names the span type.
 *
 *   agent_run ─ model_generation ("chat <model>", the whole agent loop)
 *                 ├ model_step ("step: N", one turn of the loop; 1.x: gen_ai.operation.name agent_step)
 *                 │   ├ model_inference ("chat <model>", 1.x paired packages: the provider call)
 *                 │   ├ model_chunk ("chunk: 'text'", parts of the one call's stream)
 *                 │   └ tool_call / mcp_tool_call
 *                 └ …
 *   workflow_run ─ workflow_step / workflow_parallel / workflow_loop / workflow_sleep / …
 *
 * The call is the innermost of model_generation, model_step, model_inference that exists: which
 * one is decided from the tree (`mark-aggregate-llm-spans`), so each is classified llm here and the
 * wrappers become aggregates, never calls. Chunks are fragments of one call.
 * Older releases named the generation `llm_generation` and chunks `llm_chunk`.
 */
export const mastraClassifier: SpanClassifier = {
  name: 'mastra',
  classify(record, context): Classification | undefined {
    const type = readString(record.attributes, 'mastra.span.type')?.toLowerCase();
    if (!type) return undefined;
    switch (type) {
      case 'model_generation':
      case 'llm_generation':
      case 'model_inference':
      case 'model_step':
      case 'llm_step':
        return { category: 'llm', classifier: 'mastra', operation: 'chat' };
      case 'model_chunk':
      case 'llm_chunk':
        return { category: 'llm', classifier: 'mastra', operation: 'chunk' };
      case 'rag_embedding':
        return { category: 'llm', classifier: 'mastra', operation: 'embeddings' };
      case 'tool_call':
      case 'mcp_tool_call':
      case 'provider_tool_call':
        return { category: 'tool', classifier: 'mastra' };
      case 'agent_run':
      case 'workflow_run':
        return { category: wrapperCategory(context), classifier: 'mastra', orchestrationKind: context.isRoot ? undefined : 'step' };
      case 'workflow_sleep':
      case 'workflow_wait_event':
        return { category: 'orchestration', classifier: 'mastra', orchestrationKind: 'queue' };
      default:
        if (type.startsWith('workflow_'))
          return { category: wrapperCategory(context), classifier: 'mastra', orchestrationKind: context.isRoot ? undefined : 'step' };
        return { category: context.isRoot ? 'task' : 'other', classifier: 'mastra' };
    }
  },
};
