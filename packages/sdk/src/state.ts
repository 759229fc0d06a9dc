/**
 * State spans: loading and saving session state, checkpoints, and retrieval (memory, vector
 * search). docs/DESIGN.md's figures put state management at 10–100 ms per llm call — worth seeing.
 */
import type { Attributes } from '@opentelemetry/api';
import { runInSpan } from './run-in-span.js';
import { THRESHOLD_CATEGORY, THRESHOLD_STATE_OPERATION } from './semantic-attributes.js';
import { SpanKind, startSpan } from './span-handle.js';

/** A state operation. */
export type StateOperation = 'load' | 'save' | 'checkpoint' | 'retrieve';

/** Options of a state span. */
export interface StateOptions {
  /** Extra span attributes (e.g. `db.system.name`). */
  attributes?: Attributes;
}

function operation(kind: StateOperation) {
  return <Result>(name: string, fn: () => Result, options: StateOptions = {}): Result => {
    const handle = startSpan(`state.${kind} ${name}`, SpanKind.INTERNAL, {
      [THRESHOLD_CATEGORY]: 'state',
      [THRESHOLD_STATE_OPERATION]: kind,
      ...options.attributes,
    });
    return runInSpan(handle, fn, undefined, []);
  };
}

/** State instrumentation: `state.load(name, fn)`, `.save`, `.checkpoint`, `.retrieve`. */
export const state = {
  load: operation('load'),
  save: operation('save'),
  checkpoint: operation('checkpoint'),
  retrieve: operation('retrieve'),
};
