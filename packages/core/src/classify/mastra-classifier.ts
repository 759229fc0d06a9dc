import { readString } from '../analysis/read-attribute.js';
import { wrapperCategory, type Classification, type SpanClassifier } from './classifier.js';

/**
 * Mastra's tracing exported over OTel: `mastra.span.type` names the span type (agent_run,
 * model_generation / llm_generation in older releases, model_step, tool_call, mcp_tool_call,
 * workflow_run, workflow_step, workflow_* control spans, processor_run, generic).
 * A model_generation wraps its model_step spans, so when steps exist it is an aggregate.
 */
export const mastraClassifier: SpanClassifier = {
  name: 'mastra',
  classify(record, context): Classification | undefined {
    const type = readString(record.attributes, 'mastra.span.type')?.toLowerCase();
    if (!type) return undefined;
    switch (type) {
      case 'model_generation':
      case 'llm_generation':
      case 'model_step':
        return { category: 'llm', classifier: 'mastra', operation: 'chat' };
      case 'model_chunk':
        return { category: 'llm', classifier: 'mastra', operation: 'chunk' };
      case 'tool_call':
      case 'mcp_tool_call':
        return { category: 'tool', classifier: 'mastra' };
      case 'agent_run':
      case 'workflow_run':
        return { category: wrapperCategory(context), classifier: 'mastra', orchestrationKind: context.isRoot ? undefined : 'step' };
      case 'workflow_sleep':
      case 'workflow_wait_event':
        return { category: 'orchestration', classifier: 'mastra', orchestrationKind: 'queue' };
      default:
        if (type.startsWith('workflow_')) return { category: wrapperCategory(context), classifier: 'mastra', orchestrationKind: 'step' };
        return { category: context.isRoot ? 'task' : 'other', classifier: 'mastra' };
    }
  },
};
