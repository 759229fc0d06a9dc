import type { PlannedSpan } from './facts-workload.js';

/**
 * The four shapes of facts-workload.ts, each one agent turn (times in ms after the turn's start,
 * durations growing with `i`): Mastra 1.x and 0.2x with chunk spans, Vercel AI with usage
 * repeated by `ai.streamText`, a GenAI turn with state, routing and a tool.
 */
const mastra = (type: string, extra: Record<string, string | number | boolean> = {}) => ({ 'mastra.span.type': type, ...extra });
const vercel = (operationId: string, extra: Record<string, string | number | boolean> = {}) => ({
  'ai.operationId': operationId,
  'ai.model.id': 'claude-sonnet-4',
  'ai.model.provider': 'anthropic.messages',
  ...extra,
});

export function mastraOneX(i: number, at: (ms: number) => string): PlannedSpan[] {
  const d = 900 + 37 * i;
  const turn = i / 4 + 1;
  const budget: Record<string, number> = i >= 16 ? { 'threshold.task.budget_ms': 1_500 } : {};
  const firstToken = 8 + 60 + 7 * i;
  return [
    {
      id: 1,
      name: 'invoke_agent Support',
      startMs: 0,
      endMs: d,
      attributes: mastra('agent_run', {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.conversation.id': 'thread-a',
        'threshold.turn': turn,
        ...budget,
      }),
    },
    {
      id: 2,
      parent: 1,
      name: 'model_generation gpt-4o',
      startMs: 5,
      endMs: d - 5,
      attributes: mastra('model_generation', { 'gen_ai.operation.name': 'model_generation' }),
    },
    {
      id: 3,
      parent: 2,
      name: 'step: 0',
      startMs: 5,
      endMs: 400,
      attributes: mastra('model_step', { 'gen_ai.operation.name': 'agent_step' }),
    },
    {
      id: 4,
      parent: 3,
      name: 'chat gpt-4o',
      startMs: 8,
      endMs: 300,
      attributes: mastra('model_inference', {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 200 + i,
        'gen_ai.usage.output_tokens': 12,
        'mastra.completion_start_time': at(firstToken),
      }),
    },
    {
      id: 5,
      parent: 4,
      name: "chunk: 'text'",
      startMs: firstToken,
      endMs: firstToken + 1,
      attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }),
    },
    {
      id: 6,
      parent: 4,
      name: "chunk: 'text'",
      startMs: 250,
      endMs: 251,
      attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }),
    },
    {
      id: 7,
      parent: 3,
      name: 'execute_tool lookupOrder',
      startMs: 305,
      endMs: 395,
      attributes: mastra('tool_call', { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookupOrder' }),
    },
    {
      id: 8,
      parent: 2,
      name: 'step: 1',
      startMs: 405,
      endMs: d - 10,
      attributes: mastra('model_step', { 'gen_ai.operation.name': 'agent_step' }),
    },
    {
      id: 9,
      parent: 8,
      name: 'chat gpt-4o',
      startMs: 410,
      endMs: d - 15,
      attributes: mastra('model_inference', {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 300 + i,
        'gen_ai.usage.output_tokens': 40,
        'mastra.completion_start_time': at(500 + i),
      }),
    },
    {
      id: 10,
      parent: 9,
      name: "chunk: 'text'",
      startMs: 500 + i,
      endMs: 501 + i,
      attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }),
    },
  ];
}

export function mastraZeroTwo(i: number): PlannedSpan[] {
  const d = 1_200 + 53 * i;
  return [
    {
      id: 1,
      name: 'agent.support-agent',
      startMs: 0,
      endMs: d,
      attributes: mastra('agent_run', {
        'gen_ai.operation.name': 'agent.run',
        'agent.id': 'support-agent',
        threadId: 'thread-b',
        resourceId: 'user-1',
        'threshold.turn': (i - 1) / 4 + 1,
      }),
    },
    {
      id: 2,
      parent: 1,
      name: 'chat gpt-4o-mini',
      startMs: 5,
      endMs: d - 10,
      attributes: mastra('model_generation', {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.system': 'openai',
        'gen_ai.usage.input_tokens': 120 + i,
        'gen_ai.usage.output_tokens': 30,
      }),
    },
    {
      id: 3,
      parent: 2,
      name: 'step: 0',
      startMs: 5,
      endMs: 500,
      attributes: mastra('model_step', { 'gen_ai.operation.name': 'model.step', modelId: 'gpt-4o-mini' }),
    },
    {
      id: 4,
      parent: 3,
      name: "chunk: 'tool-call'",
      startMs: 255,
      endMs: 256,
      attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }),
    },
    {
      id: 5,
      parent: 3,
      name: 'tool.execute lookupOrder',
      startMs: 260,
      endMs: 495,
      attributes: mastra('tool_call', { 'gen_ai.operation.name': 'tool.execute', 'gen_ai.tool.name': 'lookupOrder' }),
    },
    {
      id: 6,
      parent: 2,
      name: 'step: 1',
      startMs: 505,
      endMs: d - 15,
      attributes: mastra('model_step', { 'gen_ai.operation.name': 'model.step', modelId: 'gpt-4o-mini' }),
    },
    {
      id: 7,
      parent: 6,
      name: "chunk: 'text'",
      startMs: 600,
      endMs: d - 20,
      attributes: mastra('model_chunk', { 'gen_ai.operation.name': 'model.chunk' }),
    },
  ];
}

export function vercelResearch(i: number): PlannedSpan[] {
  const d = 2_500 + 101 * i;
  const budget = i === 22 ? 31_000 : 30_000;
  return [
    {
      id: 1,
      name: 'invoke_agent research',
      startMs: 0,
      endMs: d,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'threshold.task.class': 'research', 'threshold.task.budget_ms': budget },
    },
    {
      id: 2,
      parent: 1,
      name: 'ai.streamText',
      startMs: 2,
      endMs: d - 2,
      attributes: vercel('ai.streamText', {
        'ai.usage.inputTokens': 500 + 2 * i,
        'ai.usage.outputTokens': 50,
        'ai.response.msToFirstChunk': 122 + i,
      }),
    },
    {
      id: 3,
      parent: 2,
      name: 'ai.streamText.doStream',
      startMs: 4,
      endMs: 600,
      attributes: vercel('ai.streamText.doStream', {
        'ai.usage.inputTokens': 200 + i,
        'ai.usage.outputTokens': 20,
        'ai.response.msToFirstChunk': 120 + i,
      }),
    },
    {
      id: 4,
      parent: 2,
      name: 'ai.toolCall',
      startMs: 610,
      endMs: 900,
      attributes: { 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'webSearch' },
    },
    {
      id: 5,
      parent: 2,
      name: 'ai.streamText.doStream',
      startMs: 905,
      endMs: d - 5,
      attributes: vercel('ai.streamText.doStream', {
        'ai.usage.inputTokens': 300 + i,
        'ai.usage.outputTokens': 30,
        'ai.response.msToFirstChunk': 150,
      }),
    },
  ];
}

export function genAiTriage(i: number): PlannedSpan[] {
  const d = 400 + 29 * i;
  return [
    { id: 1, name: 'invoke_agent triage', startMs: 0, endMs: d, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
    {
      id: 2,
      parent: 1,
      name: 'session.load',
      startMs: 1,
      endMs: 30,
      attributes: { 'threshold.category': 'state', 'threshold.state.operation': 'load' },
    },
    {
      id: 3,
      parent: 1,
      name: 'route',
      startMs: 30,
      endMs: 40,
      attributes: { 'threshold.category': 'orchestration', 'threshold.orchestration.kind': 'route' },
    },
    {
      id: 4,
      parent: 1,
      name: 'chat gpt-4o',
      startMs: 40,
      endMs: d - 60,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.stream': true,
        'gen_ai.response.time_to_first_chunk': (50 + 3 * i) / 1_000,
        'gen_ai.usage.input_tokens': 80,
        'gen_ai.usage.output_tokens': 9,
        'threshold.llm.max_chunk_gap_ms': 20 + i,
      },
    },
    {
      id: 5,
      parent: 1,
      name: 'execute_tool classify',
      startMs: d - 55,
      endMs: d - 5,
      status: i % 8 === 7 ? 2 : 0,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'classify', 'threshold.tool.cache_hit': i % 8 === 3 },
    },
  ];
}
