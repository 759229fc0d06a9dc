import { SPAN_CATEGORIES, type SpanCategory } from '../category.js';
import { readString } from '../analysis/read-attribute.js';
import {
  ORCHESTRATION_KINDS as ORCHESTRATION_KIND_LIST,
  STATE_OPERATIONS as STATE_OPERATION_LIST,
  type OrchestrationKind,
  type StateOperation,
} from '../trace-span.js';
import type { SpanClassifier } from './classifier.js';

const CATEGORIES: ReadonlySet<string> = new Set<SpanCategory>(SPAN_CATEGORIES);
const STATE_OPERATIONS: ReadonlySet<string> = new Set<StateOperation>(STATE_OPERATION_LIST);
const ORCHESTRATION_KINDS: ReadonlySet<string> = new Set<OrchestrationKind>(ORCHESTRATION_KIND_LIST);

/**
 * The SDK's own attributes. `threshold.category` is an explicit statement by the agent author and
 * wins over every convention; `threshold.state.operation` / `threshold.orchestration.kind` imply
 * their category when no category is given.
 */
export const thresholdClassifier: SpanClassifier = {
  name: 'threshold',
  classify(record) {
    const attributes = record.attributes;
    const category = readString(attributes, 'threshold.category');
    const stateOperation = readString(attributes, 'threshold.state.operation');
    const orchestrationKind = readString(attributes, 'threshold.orchestration.kind');
    const state = stateOperation && STATE_OPERATIONS.has(stateOperation) ? (stateOperation as StateOperation) : undefined;
    const kind = orchestrationKind && ORCHESTRATION_KINDS.has(orchestrationKind) ? (orchestrationKind as OrchestrationKind) : undefined;
    if (category && CATEGORIES.has(category)) {
      return {
        category: category as SpanCategory,
        classifier: 'threshold',
        operation: readString(attributes, 'gen_ai.operation.name'),
        stateOperation: state,
        orchestrationKind: kind,
      };
    }
    if (state) return { category: 'state', classifier: 'threshold', stateOperation: state };
    if (kind) return { category: 'orchestration', classifier: 'threshold', orchestrationKind: kind };
    return undefined;
  },
};
