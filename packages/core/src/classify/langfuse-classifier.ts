import { readString } from '../analysis/read-attribute.js';
import { wrapperCategory, type Classification, type SpanClassifier } from './classifier.js';

/**
 * Langfuse's JS SDK (v4/v5, `@langfuse/tracing` exporting through `@langfuse/otel`): every
 * observation is an OTel span whose `langfuse.observation.type` names its kind (`generation`,
 * `embedding`, `tool`, `agent`, `chain`, `retriever`, `evaluator`, `guardrail`, `event`, `span`).
 * Model facts sit beside it: `langfuse.observation.model.name`, `usage_details` and
 * `cost_details` (JSON text), `completion_start_time` (a JSON-encoded ISO timestamp) and
 * `model.parameters` (JSON text); the session and user are `session.id` and `user.id`.
 *
 * Evaluators and guardrails judge a call's input or output: work the agent chose to put between
 * the user and the answer, so orchestration. An `event` is a point in time (start = end) and a
 * plain `span` is the application's own code: the task at the root, other below it.
 */
export const langfuseClassifier: SpanClassifier = {
  name: 'langfuse',
  classify(record, context): Classification | undefined {
    const type = readString(record.attributes, 'langfuse.observation.type')?.toLowerCase();
    if (!type) return undefined;
    switch (type) {
      case 'generation':
        return { category: 'llm', classifier: 'langfuse', operation: 'chat' };
      case 'embedding':
        return { category: 'llm', classifier: 'langfuse', operation: 'embeddings' };
      case 'tool':
        return { category: 'tool', classifier: 'langfuse' };
      case 'retriever':
        return { category: 'state', classifier: 'langfuse', stateOperation: 'retrieve' };
      case 'agent':
      case 'chain':
        return { category: wrapperCategory(context), classifier: 'langfuse', orchestrationKind: context.isRoot ? undefined : 'step' };
      case 'evaluator':
      case 'guardrail':
        return {
          category: context.isRoot ? 'task' : 'orchestration',
          classifier: 'langfuse',
          orchestrationKind: context.isRoot ? undefined : 'step',
        };
      default:
        return { category: context.isRoot ? 'task' : 'other', classifier: 'langfuse' };
    }
  },
};
