import { readString } from '../analysis/read-attribute.js';
import type { Classification, SpanClassifier } from './classifier.js';

/** OTLP SpanKind values. */
const SERVER = 2;

/**
 * Plain HTTP spans (`http.request.method`, older `http.method`): a server span at the root is the
 * request the user is waiting on, so the task; other HTTP spans are the transport under something
 * else (or an unclassified call) and count as other.
 */
export const httpClassifier: SpanClassifier = {
  name: 'http',
  classify(record, context): Classification | undefined {
    const method = readString(record.attributes, 'http.request.method', 'http.method');
    if (method === undefined) return undefined;
    if (context.isRoot || record.kind === SERVER) return { category: context.isRoot ? 'task' : 'other', classifier: 'http' };
    return { category: 'other', classifier: 'http' };
  },
};
