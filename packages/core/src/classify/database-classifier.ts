import { readString } from '../analysis/read-attribute.js';
import type { StateOperation } from '../trace-span.js';
import type { Classification, SpanClassifier } from './classifier.js';

/**
 * Plain database spans (`db.system`, `db.system.name`, `db.operation.name`, `db.query.text`, the
 * older `db.operation` / `db.statement`): session and memory loads and saves are state.
 */
const LOADS = /^(select|get|mget|hget|hgetall|find|findone|query|scan|read|load|fetch|search|aggregate|xread|lrange|smembers)/i;
const SAVES = /^(insert|update|upsert|set|mset|hset|put|save|write|delete|del|replace|merge|xadd|lpush|rpush|sadd|expire|incr)/i;

export const databaseClassifier: SpanClassifier = {
  name: 'database',
  classify(record): Classification | undefined {
    const attributes = record.attributes;
    const system = readString(attributes, 'db.system.name', 'db.system');
    const operation = readString(attributes, 'db.operation.name', 'db.operation');
    const query = readString(attributes, 'db.query.text', 'db.statement');
    if (system === undefined && operation === undefined && query === undefined) return undefined;
    const verb = (operation ?? query ?? '').trim();
    const stateOperation: StateOperation = LOADS.test(verb) ? 'load' : SAVES.test(verb) ? 'save' : 'query';
    return { category: 'state', classifier: 'database', stateOperation };
  },
};
