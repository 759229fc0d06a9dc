import { readString } from '../analysis/read-attribute.js';
import type { Classification, SpanClassifier } from './classifier.js';

/**
 * Plain messaging spans (`messaging.system`, `messaging.operation.type`): time spent handing work
 * to a queue or waiting for it is orchestration.
 */
export const messagingClassifier: SpanClassifier = {
  name: 'messaging',
  classify(record, context): Classification | undefined {
    const system = readString(record.attributes, 'messaging.system', 'messaging.operation.type', 'messaging.destination.name');
    if (system === undefined) return undefined;
    return { category: context.isRoot ? 'task' : 'orchestration', classifier: 'messaging', orchestrationKind: 'queue' };
  },
};
