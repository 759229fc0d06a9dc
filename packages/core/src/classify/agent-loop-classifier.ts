import { readString } from '../analysis/read-attribute.js';
import { wrapperCategory, type Classification, type SpanClassifier } from './classifier.js';

/**
 * Frameworks that wrap each turn of their agent loop in a span of their own, between the agent
 * span and its model and tool calls, without a convention's kind on it:
 *
 * - Strands Agents: `execute_event_loop_cycle` with `event_loop.cycle_id` (its tracer also sets
 *   `gen_ai.operation.name` to the same name and a provider, which would read as an llm call);
 * - Pydantic AI (Logfire / OTel instrumentation): `running tools` around the tools of one step,
 *   with the `tools` it ran (`logfire.msg`: "running 2 tools").
 *
 * Their own time is the loop's orchestration; they are never the task's own code nor a call.
 */
export const agentLoopClassifier: SpanClassifier = {
  name: 'agent-loop',
  classify(record, context): Classification | undefined {
    const attributes = record.attributes;
    const isStrandsCycle = attributes['event_loop.cycle_id'] !== undefined || record.name === 'execute_event_loop_cycle';
    const isPydanticToolStep =
      record.name === 'running tools' &&
      (attributes.tools !== undefined || /^running \d+ tools?\b/.test(readString(attributes, 'logfire.msg') ?? ''));
    if (!isStrandsCycle && !isPydanticToolStep) return undefined;
    return { category: wrapperCategory(context), classifier: 'agent-loop', orchestrationKind: context.isRoot ? undefined : 'step' };
  },
};
