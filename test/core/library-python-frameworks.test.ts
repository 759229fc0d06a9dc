import { analyseRecords } from '@threshold/core';
import { describe, expect, it } from 'vitest';
import { fixtureRecords, type FixtureSpan } from '../support/span-records.js';

/**
 * Python agent frameworks whose traces arrive over OTLP. They cannot run here, so each trace is
 * written from the attributes their instrumentation's source sets, cited per case; the timings
 * are designed so every figure is exact.
 */
const openinference = (kind: string, extra: Record<string, string | number> = {}) => ({ 'openinference.span.kind': kind, ...extra });

describe('Pydantic AI with Logfire / OTel instrumentation', () => {
  // pydantic/pydantic-ai tests/test_logfire.py (test_logfire): "my_agent run" > "chat test",
  // "running 1 tool" > "running tool: my_ret", "chat test"; the run span carries agent_name,
  // model_name and the run's summed gen_ai.usage; chat spans gen_ai.operation.name chat,
  // gen_ai.system, gen_ai.request.model, usage. Tool spans: gen_ai.tool.name, gen_ai.tool.call.id.
  const spans: FixtureSpan[] = [
    {
      id: 'run',
      name: 'agent run',
      startMs: 0,
      endMs: 1000,
      attributes: {
        agent_name: 'support',
        model_name: 'gpt-4o',
        'logfire.msg': 'support run',
        'gen_ai.usage.input_tokens': 103,
        'gen_ai.usage.output_tokens': 12,
        final_result: 'done',
      },
    },
    {
      id: 'chat1',
      parent: 'run',
      name: 'chat gpt-4o',
      startMs: 5,
      endMs: 305,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 51,
        'gen_ai.usage.output_tokens': 4,
      },
    },
    {
      id: 'tools',
      parent: 'run',
      name: 'running tools',
      startMs: 310,
      endMs: 610,
      attributes: { tools: ['lookup_order', 'lookup_customer'], 'logfire.msg': 'running 2 tools' },
    },
    {
      id: 'order',
      parent: 'tools',
      name: 'running tool',
      startMs: 311,
      endMs: 610,
      attributes: { 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.call.id': 'call_a', 'logfire.msg': 'running tool: lookup_order' },
    },
    {
      id: 'customer',
      parent: 'tools',
      name: 'running tool',
      startMs: 310.998,
      endMs: 460,
      attributes: {
        'gen_ai.tool.name': 'lookup_customer',
        'gen_ai.tool.call.id': 'call_b',
        'logfire.msg': 'running tool: lookup_customer',
      },
    },
    {
      id: 'chat2',
      parent: 'run',
      name: 'chat gpt-4o',
      startMs: 615,
      endMs: 995,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 52,
        'gen_ai.usage.output_tokens': 8,
      },
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('makes the run the task (not a call, though it carries the summed usage) and the tool step orchestration', () => {
    expect(analysis.spans.map((span) => [span.spanId, span.category, span.classifiedBy])).toEqual([
      ['run', 'task', 'genai'],
      ['chat1', 'llm', 'genai'],
      ['tools', 'orchestration', 'agent-loop'],
      ['customer', 'tool', 'genai'],
      ['order', 'tool', 'genai'],
      ['chat2', 'llm', 'genai'],
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 2 });
    expect(analysis.tokens).toEqual({ inputTokens: 103, outputTokens: 12 });
  });

  it('keeps the tool that started 2 µs earlier off the critical path', () => {
    expect(analysis.criticalPath).toEqual(['run', 'chat1', 'tools', 'order', 'chat2']);
    expect(analysis.summary.breakdown).toEqual({ llm: 680, tool: 299, state: 0, orchestration: 1, other: 20 });
  });
});

describe('OpenAI Agents SDK through OpenInference', () => {
  // Arize-ai/openinference python/instrumentation/openinference-instrumentation-openai-agents
  // _processor.py: the trace is an AGENT span named after it, agent spans AGENT, `response`
  // spans LLM with llm.system openai, llm.model_name, llm.token_count.* and
  // llm.invocation_parameters dumped from the Response (id, created_at, …), function spans TOOL
  // with tool.name, handoffs TOOL "handoff to <agent>". Times from ISO strings (µs).
  const responseParameters = (id: string) =>
    JSON.stringify({ id, created_at: 1_765_000_000, model: 'gpt-4.1', temperature: 1, parallel_tool_calls: true });
  const spans: FixtureSpan[] = [
    { id: 'trace', name: 'Agent workflow', startMs: 0, endMs: 900, attributes: openinference('AGENT') },
    {
      id: 'support',
      parent: 'trace',
      name: 'Support',
      startMs: 0.5,
      endMs: 899.5,
      attributes: openinference('AGENT', { 'llm.system': 'openai' }),
    },
    {
      id: 'resp1',
      parent: 'support',
      name: 'response',
      startMs: 1,
      endMs: 301,
      attributes: openinference('LLM', {
        'llm.system': 'openai',
        'llm.model_name': 'gpt-4.1',
        'llm.token_count.prompt': 80,
        'llm.token_count.completion': 10,
        'llm.invocation_parameters': responseParameters('resp_1'),
      }),
    },
    {
      id: 'lookup',
      parent: 'support',
      name: 'lookup_order',
      startMs: 301.5,
      endMs: 501.5,
      attributes: openinference('TOOL', { 'llm.system': 'openai', 'tool.name': 'lookup_order' }),
    },
    {
      id: 'handoff',
      parent: 'support',
      name: 'handoff to Billing',
      startMs: 502,
      endMs: 502.25,
      attributes: openinference('TOOL', { 'llm.system': 'openai' }),
    },
    {
      id: 'resp2',
      parent: 'support',
      name: 'response',
      startMs: 502.5,
      endMs: 899,
      attributes: openinference('LLM', {
        'llm.system': 'openai',
        'llm.model_name': 'gpt-4.1',
        'llm.token_count.prompt': 120,
        'llm.token_count.completion': 40,
        'llm.invocation_parameters': responseParameters('resp_2'),
      }),
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('makes the workflow the task, the agent a step, responses calls, functions and handoffs tools', () => {
    expect(analysis.spans.map((span) => [span.name, span.category])).toEqual([
      ['Agent workflow', 'task'],
      ['Support', 'orchestration'],
      ['response', 'llm'],
      ['lookup_order', 'tool'],
      ['handoff to Billing', 'tool'],
      ['response', 'llm'],
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 2 });
  });

  it('leaves streaming unknown: the recorded parameters are the response’s, which never say', () => {
    expect(analysis.spans.filter((span) => span.category === 'llm').map((span) => span.llm)).toEqual([
      { model: 'gpt-4.1', provider: 'openai', inputTokens: 80, outputTokens: 10 },
      { model: 'gpt-4.1', provider: 'openai', inputTokens: 120, outputTokens: 40 },
    ]);
    expect(analysis.summary.breakdown).toEqual({ llm: 696.5, tool: 200.25, state: 0, orchestration: 2.25, other: 1 });
  });
});

describe('Google ADK, native spans and the late-2026 conversation turn', () => {
  // google/adk-python src/google/adk/telemetry/tracing.py: `invoke_agent <name>` (gen_ai.operation.name
  // invoke_agent, gen_ai.agent.name, gen_ai.conversation.id = session id), `call_llm`
  // (gen_ai.system gcp.vertex.agent, gen_ai.request.model, gen_ai.usage.*,
  // gcp.vertex.agent.session_id), `execute_tool <name>` (gen_ai.operation.name execute_tool,
  // gen_ai.tool.name, gen_ai.tool.call.id). semantic-conventions-genai changelog.d/571: the
  // runner entrypoint is reported as `handle_conversation_turn`.
  const spans: FixtureSpan[] = [
    {
      id: 'turn',
      name: 'handle_conversation_turn',
      startMs: 0,
      endMs: 800,
      attributes: { 'gen_ai.operation.name': 'handle_conversation_turn', 'gen_ai.conversation.id': 'adk-session-1' },
    },
    {
      id: 'agent',
      parent: 'turn',
      name: 'invoke_agent weather_agent',
      startMs: 2,
      endMs: 798,
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'weather_agent',
        'gen_ai.conversation.id': 'adk-session-1',
      },
    },
    {
      id: 'llm1',
      parent: 'agent',
      name: 'call_llm',
      startMs: 4,
      endMs: 304,
      attributes: {
        'gen_ai.system': 'gcp.vertex.agent',
        'gen_ai.request.model': 'gemini-2.5-flash',
        'gen_ai.usage.input_tokens': 60,
        'gen_ai.usage.output_tokens': 7,
        'gcp.vertex.agent.session_id': 'adk-session-1',
      },
    },
    {
      id: 'tool',
      parent: 'agent',
      name: 'execute_tool get_weather',
      startMs: 306,
      endMs: 506,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.call.id': 'adk-call-1',
        'gen_ai.tool.type': 'FunctionTool',
      },
    },
    {
      id: 'llm2',
      parent: 'agent',
      name: 'call_llm',
      startMs: 508,
      endMs: 796,
      attributes: {
        'gen_ai.system': 'gcp.vertex.agent',
        'gen_ai.request.model': 'gemini-2.5-flash',
        'gen_ai.usage.input_tokens': 90,
        'gen_ai.usage.output_tokens': 30,
      },
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('makes the turn the task, the agent a step, call_llm the calls and execute_tool the tool', () => {
    expect(analysis.spans.map((span) => [span.name, span.category, span.classifiedBy])).toEqual([
      ['handle_conversation_turn', 'task', 'genai'],
      ['invoke_agent weather_agent', 'orchestration', 'genai'],
      ['call_llm', 'llm', 'genai'],
      ['execute_tool get_weather', 'tool', 'genai'],
      ['call_llm', 'llm', 'genai'],
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1, sessionId: 'adk-session-1' });
    expect(analysis.spans[2].llm).toEqual({ model: 'gemini-2.5-flash', provider: 'gcp.vertex.agent', inputTokens: 60, outputTokens: 7 });
    expect(analysis.summary.breakdown).toEqual({ llm: 588, tool: 200, state: 0, orchestration: 8, other: 4 });
  });
});

describe('CrewAI through OpenInference', () => {
  // Arize-ai/openinference python/instrumentation/openinference-instrumentation-crewai _wrappers.py:
  // `<crew>.kickoff` CHAIN, each task `<agent role>._execute_core` AGENT (with the agent's
  // configured llm.model_name, not a call), tools `<tool>._use` TOOL; the model calls come from
  // the LiteLLM/OpenAI instrumentation as LLM spans.
  const spans: FixtureSpan[] = [
    { id: 'crew', name: 'research_crew.kickoff', startMs: 0, endMs: 1200, attributes: openinference('CHAIN', { crew_key: 'k1' }) },
    {
      id: 'task',
      parent: 'crew',
      name: 'Researcher._execute_core',
      startMs: 10,
      endMs: 1190,
      attributes: openinference('AGENT', { 'llm.model_name': 'gpt-4o-mini', 'graph.node.id': 'Researcher' }),
    },
    {
      id: 'llm1',
      parent: 'task',
      name: 'completion',
      startMs: 20,
      endMs: 420,
      attributes: openinference('LLM', {
        'llm.model_name': 'gpt-4o-mini',
        'llm.provider': 'openai',
        'llm.token_count.prompt': 300,
        'llm.token_count.completion': 25,
        'llm.invocation_parameters': '{"model":"gpt-4o-mini","temperature":0.7}',
      }),
    },
    {
      id: 'search',
      parent: 'task',
      name: 'search_web._use',
      startMs: 430,
      endMs: 830,
      attributes: openinference('TOOL', { 'tool.name': 'search_web' }),
    },
    {
      id: 'llm2',
      parent: 'task',
      name: 'completion',
      startMs: 840,
      endMs: 1180,
      attributes: openinference('LLM', {
        'llm.model_name': 'gpt-4o-mini',
        'llm.provider': 'openai',
        'llm.token_count.prompt': 500,
        'llm.token_count.completion': 60,
        'llm.invocation_parameters': '{"model":"gpt-4o-mini","stream":true}',
      }),
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('makes the crew the task, the agent’s task a step (its model name is configuration, not a call)', () => {
    expect(analysis.spans.map((span) => [span.name, span.category])).toEqual([
      ['research_crew.kickoff', 'task'],
      ['Researcher._execute_core', 'orchestration'],
      ['completion', 'llm'],
      ['search_web._use', 'tool'],
      ['completion', 'llm'],
    ]);
    expect(analysis.spans.filter((span) => span.category === 'llm').map((span) => span.llm?.streaming)).toEqual([false, true]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1 });
    expect(analysis.summary.breakdown).toEqual({ llm: 740, tool: 400, state: 0, orchestration: 40, other: 20 });
  });
});

describe('Strands Agents event-loop cycles', () => {
  // strands-agents/sdk-python src/strands/telemetry/tracer.py start_event_loop_cycle_span:
  // `execute_event_loop_cycle` spans with gen_ai.operation.name of the same name,
  // event_loop.cycle_id, and the provider attributes every Strands span carries.
  const cycle = (id: string) => ({
    'gen_ai.operation.name': 'execute_event_loop_cycle',
    'gen_ai.provider.name': 'strands-agents',
    'event_loop.cycle_id': id,
  });
  const spans: FixtureSpan[] = [
    {
      id: 'agent',
      name: 'invoke_agent Strands Agents',
      startMs: 0,
      endMs: 600,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.provider.name': 'strands-agents' },
    },
    { id: 'c1', parent: 'agent', name: 'execute_event_loop_cycle', startMs: 0, endMs: 350, attributes: cycle('c-1') },
    {
      id: 'chat1',
      parent: 'c1',
      name: 'chat',
      startMs: 5,
      endMs: 205,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'strands-agents', 'gen_ai.request.model': 'claude-sonnet' },
    },
    {
      id: 'tool',
      parent: 'c1',
      name: 'execute_tool query',
      startMs: 210,
      endMs: 345,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'query' },
    },
    { id: 'c2', parent: 'agent', name: 'execute_event_loop_cycle', startMs: 350, endMs: 600, attributes: cycle('c-2') },
    {
      id: 'chat2',
      parent: 'c2',
      name: 'chat',
      startMs: 355,
      endMs: 595,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'strands-agents', 'gen_ai.request.model': 'claude-sonnet' },
    },
  ];
  const analysis = analyseRecords(fixtureRecords(spans));

  it('makes each cycle orchestration, never a call or the agent’s own time', () => {
    expect(analysis.spans.map((span) => [span.spanId, span.category, span.orchestration?.kind])).toEqual([
      ['agent', 'task', undefined],
      ['c1', 'orchestration', 'step'],
      ['chat1', 'llm', undefined],
      ['tool', 'tool', undefined],
      ['c2', 'orchestration', 'step'],
      ['chat2', 'llm', undefined],
    ]);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1 });
    expect(analysis.summary.breakdown).toEqual({ llm: 440, tool: 135, state: 0, orchestration: 25, other: 0 });
  });
});
