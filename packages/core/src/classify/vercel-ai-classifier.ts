import { readString } from '../analysis/read-attribute.js';
import type { Classification, SpanClassifier } from './classifier.js';

/**
 * Vercel AI SDK legacy telemetry (`experimental_telemetry`). Every span carries `ai.operationId`
 * (the span name is the same id, `operation.name` adds the functionId):
 *
 *   ai.generateText / ai.streamText / ai.generateObject / ai.streamObject   whole call, all steps:
 *       an aggregate llm span whose `ai.usage.*` repeats its steps' usage (the task when it is the root)
 *   ai.generateText.doGenerate / ai.streamText.doStream / ….doGenerate     one provider call
 *   ai.toolCall                                                            one tool execution
 *   ai.embed / ai.embedMany (+ .doEmbed), ai.rerank (+ .doRerank)          embedding / reranking calls
 *
 * The SDK's newer GenAI-style spans carry `gen_ai.operation.name` and are read by the GenAI classifier.
 */
const AGGREGATES: ReadonlyMap<string, string> = new Map([
  ['ai.generateText', 'chat'],
  ['ai.streamText', 'chat'],
  ['ai.generateObject', 'chat'],
  ['ai.streamObject', 'chat'],
  ['ai.embed', 'embeddings'],
  ['ai.embedMany', 'embeddings'],
  ['ai.rerank', 'rerank'],
]);

const CALLS: ReadonlyMap<string, string> = new Map([
  ['ai.generateText.doGenerate', 'chat'],
  ['ai.streamText.doStream', 'chat'],
  ['ai.generateObject.doGenerate', 'chat'],
  ['ai.streamObject.doStream', 'chat'],
  ['ai.embed.doEmbed', 'embeddings'],
  ['ai.embedMany.doEmbed', 'embeddings'],
  ['ai.rerank.doRerank', 'rerank'],
]);

export const vercelAiClassifier: SpanClassifier = {
  name: 'vercel-ai',
  classify(record, context): Classification | undefined {
    const operationId = readString(record.attributes, 'ai.operationId') ?? (record.name.startsWith('ai.') ? record.name : undefined);
    if (!operationId) return undefined;
    if (operationId === 'ai.toolCall') return { category: 'tool', classifier: 'vercel-ai' };
    const call = CALLS.get(operationId);
    if (call) return { category: 'llm', classifier: 'vercel-ai', operation: call };
    const aggregate = AGGREGATES.get(operationId);
    if (aggregate) {
      return { category: context.isRoot ? 'task' : 'llm', classifier: 'vercel-ai', operation: aggregate, aggregate: true };
    }
    return undefined;
  },
};
