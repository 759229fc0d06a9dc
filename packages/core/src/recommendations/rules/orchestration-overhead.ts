import { overheadRule } from './overhead-rule.js';

/**
 * Orchestration overhead: routing, queue and rate-limit waits, dispatch beyond 20 ms per llm call.
 * A human approving a tool call is a wait of its own, not overhead to cut: left out.
 */
export const orchestrationOverheadRule = overheadRule({
  id: 'orchestration-overhead',
  title: 'Cut orchestration overhead',
  why: 'Routing, queues and rate-limit waits take more of the critical path than the 5–20 ms healthy agents spend.',
  category: 'orchestration',
  allowance: 'orchestrationMsPerLlmCall',
  healthy: '5–20 ms on orchestration',
  what: 'Routing, queueing and rate-limit waits',
  exclude: (span) => span.orchestration?.kind === 'approval',
});
