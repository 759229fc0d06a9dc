import { analyseRecords, type AttributeValue } from '@threshold/core';
import { classifySpan } from '../../packages/core/src/classify/classify-span.js';
import { type Classification } from '../../packages/core/src/classify/classifier.js';
import { describe, expect, it } from 'vitest';
import { fixtureRecord, fixtureRecords } from '../support/span-records.js';

type Row = [title: string, name: string, attributes: Record<string, AttributeValue>, isRoot: boolean, expected: Classification];

const ROWS: Row[] = [
  [
    'threshold.category wins over every convention',
    'x',
    { 'threshold.category': 'tool', 'gen_ai.operation.name': 'chat' },
    false,
    { category: 'tool', classifier: 'threshold', operation: 'chat' },
  ],
  [
    'threshold.state.operation implies state',
    'load session',
    { 'threshold.state.operation': 'load' },
    false,
    { category: 'state', classifier: 'threshold', stateOperation: 'load' },
  ],
  [
    'threshold.orchestration.kind implies orchestration',
    'route',
    { 'threshold.orchestration.kind': 'route' },
    false,
    { category: 'orchestration', classifier: 'threshold', orchestrationKind: 'route' },
  ],
  [
    'GenAI invoke_agent at the root is the task',
    'invoke_agent support',
    { 'gen_ai.operation.name': 'invoke_agent' },
    true,
    { category: 'task', classifier: 'genai' },
  ],
  [
    'GenAI invoke_agent below the root is orchestration',
    'invoke_agent helper',
    { 'gen_ai.operation.name': 'invoke_agent' },
    false,
    { category: 'orchestration', classifier: 'genai', orchestrationKind: 'step' },
  ],
  [
    'GenAI invoke_workflow at the root is the task',
    'invoke_workflow',
    { 'gen_ai.operation.name': 'invoke_workflow' },
    true,
    { category: 'task', classifier: 'genai' },
  ],
  [
    'GenAI chat',
    'chat gpt-4o',
    { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
    false,
    { category: 'llm', classifier: 'genai', operation: 'chat' },
  ],
  [
    'GenAI text_completion',
    'text_completion',
    { 'gen_ai.operation.name': 'text_completion' },
    false,
    { category: 'llm', classifier: 'genai', operation: 'text_completion' },
  ],
  [
    'GenAI generate_content',
    'generate_content gemini',
    { 'gen_ai.operation.name': 'generate_content' },
    false,
    { category: 'llm', classifier: 'genai', operation: 'generate_content' },
  ],
  [
    'GenAI embeddings',
    'embeddings',
    { 'gen_ai.operation.name': 'embeddings' },
    false,
    { category: 'llm', classifier: 'genai', operation: 'embeddings' },
  ],
  [
    'GenAI execute_tool',
    'execute_tool get_weather',
    { 'gen_ai.operation.name': 'execute_tool' },
    false,
    { category: 'tool', classifier: 'genai' },
  ],
  [
    'GenAI create_agent below the root',
    'create_agent',
    { 'gen_ai.operation.name': 'create_agent' },
    false,
    { category: 'orchestration', classifier: 'genai' },
  ],
  [
    'deprecated GenAI: gen_ai.system and prompt_tokens, no operation',
    'openai.chat',
    { 'gen_ai.system': 'openai', 'gen_ai.usage.prompt_tokens': 12 },
    false,
    { category: 'llm', classifier: 'genai', operation: 'chat' },
  ],
  [
    'Vercel ai.streamText at the root is the task, an aggregate',
    'ai.streamText',
    { 'ai.operationId': 'ai.streamText' },
    true,
    { category: 'task', classifier: 'vercel-ai', operation: 'chat', aggregate: true },
  ],
  [
    'Vercel ai.generateText below the root is an aggregate llm span',
    'ai.generateText',
    { 'ai.operationId': 'ai.generateText', 'gen_ai.system': 'openai' },
    false,
    { category: 'llm', classifier: 'vercel-ai', operation: 'chat', aggregate: true },
  ],
  [
    'Vercel doGenerate is the call',
    'ai.generateText.doGenerate',
    { 'ai.operationId': 'ai.generateText.doGenerate' },
    false,
    { category: 'llm', classifier: 'vercel-ai', operation: 'chat' },
  ],
  [
    'Vercel doStream is the call',
    'ai.streamText.doStream',
    { 'ai.operationId': 'ai.streamText.doStream' },
    false,
    { category: 'llm', classifier: 'vercel-ai', operation: 'chat' },
  ],
  [
    'Vercel ai.toolCall',
    'ai.toolCall',
    { 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'search' },
    false,
    { category: 'tool', classifier: 'vercel-ai' },
  ],
  [
    'Vercel ai.embed.doEmbed',
    'ai.embed.doEmbed',
    { 'ai.operationId': 'ai.embed.doEmbed' },
    false,
    { category: 'llm', classifier: 'vercel-ai', operation: 'embeddings' },
  ],
  [
    'OpenInference LLM',
    'ChatOpenAI',
    { 'openinference.span.kind': 'LLM' },
    false,
    { category: 'llm', classifier: 'openinference', operation: 'chat' },
  ],
  [
    'OpenInference EMBEDDING',
    'embed',
    { 'openinference.span.kind': 'EMBEDDING' },
    false,
    { category: 'llm', classifier: 'openinference', operation: 'embeddings' },
  ],
  [
    'OpenInference RERANKER',
    'rerank',
    { 'openinference.span.kind': 'RERANKER' },
    false,
    { category: 'llm', classifier: 'openinference', operation: 'rerank' },
  ],
  ['OpenInference TOOL', 'lookup', { 'openinference.span.kind': 'TOOL' }, false, { category: 'tool', classifier: 'openinference' }],
  [
    'OpenInference RETRIEVER is state',
    'retrieve',
    { 'openinference.span.kind': 'RETRIEVER' },
    false,
    { category: 'state', classifier: 'openinference', stateOperation: 'retrieve' },
  ],
  [
    'OpenInference CHAIN at the root is the task',
    'chain',
    { 'openinference.span.kind': 'CHAIN' },
    true,
    { category: 'task', classifier: 'openinference', orchestrationKind: undefined },
  ],
  [
    'OpenInference CHAIN below the root is orchestration',
    'chain',
    { 'openinference.span.kind': 'CHAIN' },
    false,
    { category: 'orchestration', classifier: 'openinference', orchestrationKind: 'step' },
  ],
  [
    'OpenInference GUARDRAIL is orchestration',
    'guard',
    { 'openinference.span.kind': 'GUARDRAIL' },
    false,
    { category: 'orchestration', classifier: 'openinference', orchestrationKind: 'step' },
  ],
  [
    'OpenLLMetry workflow at the root is the task',
    'agent.workflow',
    { 'traceloop.span.kind': 'workflow' },
    true,
    { category: 'task', classifier: 'openllmetry', orchestrationKind: undefined },
  ],
  [
    'OpenLLMetry task below the root is orchestration',
    'plan.task',
    { 'traceloop.span.kind': 'task' },
    false,
    { category: 'orchestration', classifier: 'openllmetry', orchestrationKind: 'step' },
  ],
  ['OpenLLMetry tool', 'search.tool', { 'traceloop.span.kind': 'tool' }, false, { category: 'tool', classifier: 'openllmetry' }],
  [
    'OpenLLMetry llm.request.type completion',
    'openai.completion',
    { 'llm.request.type': 'completion', 'gen_ai.system': 'OpenAI' },
    false,
    { category: 'llm', classifier: 'openllmetry', operation: 'text_completion' },
  ],
  [
    'Mastra agent_run at the root is the task',
    'agent run',
    { 'mastra.span.type': 'agent_run' },
    true,
    { category: 'task', classifier: 'mastra', orchestrationKind: undefined },
  ],
  [
    'Mastra model_generation',
    'llm',
    { 'mastra.span.type': 'model_generation' },
    false,
    { category: 'llm', classifier: 'mastra', operation: 'chat' },
  ],
  ['Mastra tool_call', 'tool', { 'mastra.span.type': 'tool_call' }, false, { category: 'tool', classifier: 'mastra' }],
  [
    'Mastra workflow_step below the root',
    'step',
    { 'mastra.span.type': 'workflow_step' },
    false,
    { category: 'orchestration', classifier: 'mastra', orchestrationKind: 'step' },
  ],
  [
    'LangSmith llm',
    'ChatAnthropic',
    { 'langsmith.span.kind': 'llm' },
    false,
    { category: 'llm', classifier: 'langsmith', operation: 'chat' },
  ],
  [
    'LangSmith retriever is state',
    'Retriever',
    { 'langsmith.span.kind': 'retriever' },
    false,
    { category: 'state', classifier: 'langsmith', stateOperation: 'retrieve' },
  ],
  [
    'LangSmith chain below the root',
    'RunnableSequence',
    { 'langsmith.span.kind': 'chain' },
    false,
    { category: 'orchestration', classifier: 'langsmith', orchestrationKind: 'step' },
  ],
  [
    'a database read is a state load',
    'SELECT sessions',
    { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' },
    false,
    { category: 'state', classifier: 'database', stateOperation: 'load' },
  ],
  [
    'an old-style database write is a state save',
    'redis SET',
    { 'db.system': 'redis', 'db.statement': 'SET session:1 …' },
    false,
    { category: 'state', classifier: 'database', stateOperation: 'save' },
  ],
  [
    'a queue hop is orchestration',
    'jobs publish',
    { 'messaging.system': 'kafka' },
    false,
    { category: 'orchestration', classifier: 'messaging', orchestrationKind: 'queue' },
  ],
  [
    'an HTTP server span at the root is the task',
    'POST /chat',
    { 'http.request.method': 'POST' },
    true,
    { category: 'task', classifier: 'http' },
  ],
  ['an HTTP client span is other', 'GET', { 'http.method': 'GET' }, false, { category: 'other', classifier: 'http' }],
  ['an unrecognised root is the task', 'handle', {}, true, { category: 'task', classifier: 'none' }],
  ['an unrecognised span below the root is other', 'render', {}, false, { category: 'other', classifier: 'none' }],
];

describe('classification, first matching convention wins', () => {
  it.each(ROWS)('%s', (_title, name, attributes, isRoot, expected) => {
    const record = fixtureRecord({ id: 'span', name, startMs: 0, endMs: 1, attributes });
    expect(classifySpan(record, { isRoot })).toEqual(expected);
  });
});

describe('what each convention says about calls, tools and sessions', () => {
  it('reads deprecated token names and a Vercel provider id', () => {
    const analysis = analyseRecords(
      fixtureRecords([
        { id: 'root', startMs: 0, endMs: 10, attributes: { 'ai.telemetry.metadata.sessionId': 'conv-1' } },
        {
          id: 'old',
          parent: 'root',
          startMs: 0,
          endMs: 5,
          attributes: {
            'gen_ai.system': 'openai',
            'gen_ai.request.model': 'gpt-4',
            'gen_ai.usage.prompt_tokens': 12,
            'gen_ai.usage.completion_tokens': 7,
          },
        },
        {
          id: 'vercel',
          parent: 'root',
          startMs: 5,
          endMs: 10,
          attributes: {
            'ai.operationId': 'ai.generateText.doGenerate',
            'ai.model.provider': 'anthropic.messages',
            'ai.model.id': 'claude',
            'ai.usage.inputTokens': 3,
            'ai.usage.outputTokens': 4,
          },
        },
      ]),
    );
    expect(analysis.spans.map((span) => span.llm)).toEqual([
      undefined,
      { model: 'gpt-4', provider: 'openai', inputTokens: 12, outputTokens: 7 },
      { model: 'claude', provider: 'anthropic', streaming: false, inputTokens: 3, outputTokens: 4 },
    ]);
    expect(analysis.summary.sessionId).toBe('conv-1');
  });

  it('reads OpenInference token counts and tool call ids, and hashes arguments for repeat detection', () => {
    const analysis = analyseRecords(
      fixtureRecords([
        { id: 'root', startMs: 0, endMs: 10, attributes: { 'openinference.span.kind': 'AGENT' } },
        {
          id: 'llm',
          parent: 'root',
          startMs: 0,
          endMs: 4,
          attributes: {
            'openinference.span.kind': 'LLM',
            'llm.model_name': 'gpt-4o-mini',
            'llm.provider': 'openai',
            'llm.token_count.prompt': 100,
            'llm.token_count.completion': 20,
          },
        },
        {
          id: 't1',
          parent: 'root',
          startMs: 4,
          endMs: 6,
          attributes: {
            'openinference.span.kind': 'TOOL',
            'tool.name': 'search',
            'tool_call.id': 'call_1',
            'tool.parameters': '{"q":"x"}',
          },
        },
        {
          id: 't2',
          parent: 'root',
          startMs: 6,
          endMs: 8,
          attributes: {
            'openinference.span.kind': 'TOOL',
            'tool.name': 'search',
            'tool_call.id': 'call_2',
            'tool.parameters': '{"q":"x"}',
          },
        },
        {
          id: 't3',
          parent: 'root',
          startMs: 8,
          endMs: 10,
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': 'fetch',
            'threshold.tool.cache_hit': true,
            'threshold.tool.cold_start': 'false',
            'threshold.tool.args_hash': 'abc',
          },
        },
      ]),
    );
    expect(analysis.spans[1].llm).toEqual({ model: 'gpt-4o-mini', provider: 'openai', inputTokens: 100, outputTokens: 20 });
    const tools = analysis.traceSpans.filter((span) => span.tool).map((span) => span.tool);
    expect(tools[0]!.argsHash).toBe(tools[1]!.argsHash);
    expect(tools[0]!.argsHash).toMatch(/^[0-9a-f]{16}$/);
    expect(tools[2]).toEqual({ name: 'fetch', argsHash: 'abc', cacheHit: true, coldStart: false });
    expect(analysis.spans.slice(2).map((span) => span.tool)).toEqual([
      { name: 'search', callId: 'call_1' },
      { name: 'search', callId: 'call_2' },
      { name: 'fetch', cacheHit: true, coldStart: false },
    ]);
  });

  it('names a tool from its GenAI span name when no attribute does', () => {
    const analysis = analyseRecords(
      fixtureRecords([
        { id: 't', startMs: 0, endMs: 1, name: 'execute_tool get_weather', attributes: { 'gen_ai.operation.name': 'execute_tool' } },
      ]),
    );
    expect(analysis.spans[0].tool).toEqual({ name: 'get_weather' });
  });
});

describe('Vercel AI SDK 7 GenAI-style spans (names and attributes from @ai-sdk/otel)', () => {
  it('reads invoke_agent / chat / execute_tool, counting the calls once though the agent span sums their usage', () => {
    //   invoke_agent gpt-4o   |==========================|   usage 300/45 summed over its calls
    //   chat gpt-4o           |======|
    //   execute_tool weather          |=====|
    //   chat gpt-4o                          |===========|
    const analysis = analyseRecords(
      fixtureRecords([
        {
          id: 'agent',
          name: 'invoke_agent gpt-4o',
          startMs: 0,
          endMs: 1000,
          attributes: {
            'gen_ai.operation.name': 'invoke_agent',
            'gen_ai.provider.name': 'openai',
            'gen_ai.usage.input_tokens': 300,
            'gen_ai.usage.output_tokens': 45,
          },
        },
        {
          id: 'c1',
          parent: 'agent',
          name: 'chat gpt-4o',
          startMs: 0,
          endMs: 250,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.usage.input_tokens': 100,
            'gen_ai.usage.output_tokens': 15,
          },
        },
        {
          id: 't1',
          parent: 'agent',
          name: 'execute_tool weather',
          startMs: 260,
          endMs: 500,
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'weather', 'gen_ai.tool.call.id': 'call_1' },
        },
        {
          id: 'c2',
          parent: 'agent',
          name: 'chat gpt-4o',
          startMs: 510,
          endMs: 1000,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.request.stream': true,
            'gen_ai.response.time_to_first_chunk': 0.19,
            'gen_ai.usage.input_tokens': 200,
            'gen_ai.usage.output_tokens': 30,
          },
        },
      ]),
    );
    expect(analysis.spans.map((span) => span.category)).toEqual(['task', 'llm', 'tool', 'llm']);
    expect(analysis.summary).toMatchObject({ llmCalls: 2, toolCalls: 1, perceivedMs: 700, firstTtftMs: 190 });
    expect(analysis.summary.breakdown).toEqual({ llm: 740, tool: 240, state: 0, orchestration: 0, other: 20 });
  });
});

describe('names that are Object.prototype members', () => {
  it.each([
    ['ai.operationId "constructor"', { 'ai.operationId': 'constructor' }, { category: 'other', classifier: 'none' }],
    ['ai.operationId "toString"', { 'ai.operationId': 'toString' }, { category: 'other', classifier: 'none' }],
    [
      'llm.request.type "constructor" is an llm call of that operation, a string',
      { 'llm.request.type': 'constructor' },
      { category: 'llm', classifier: 'openllmetry', operation: 'constructor' },
    ],
  ] as const)('%s classifies by what the span says, not by the prototype', (_title, attributes, expected) => {
    expect(classifySpan(fixtureRecord({ id: 's', startMs: 0, endMs: 1, attributes }), { isRoot: false })).toEqual(expected);
  });
});
