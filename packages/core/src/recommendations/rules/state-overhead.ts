import { overheadRule } from './overhead-rule.js';

/** State overhead: session/memory loads and saves, retrieval and checkpoints beyond 100 ms per llm call. */
export const stateOverheadRule = overheadRule({
  id: 'state-overhead',
  title: 'Cut state overhead',
  why: 'State loads, saves and retrieval take more of the critical path than the 10–100 ms per llm call healthy agents spend.',
  category: 'state',
  allowance: 'stateMsPerLlmCall',
  healthy: '10–100 ms per llm call on state',
  what: 'State operations (loads, saves, retrieval, checkpoints)',
});
