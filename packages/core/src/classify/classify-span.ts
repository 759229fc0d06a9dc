import type { SpanRecord } from '../span-record.js';
import type { Classification, ClassifyContext, SpanClassifier } from './classifier.js';
import { agentLoopClassifier } from './agent-loop-classifier.js';
import { databaseClassifier } from './database-classifier.js';
import { genAiClassifier } from './genai-classifier.js';
import { httpClassifier } from './http-classifier.js';
import { langfuseClassifier } from './langfuse-classifier.js';
import { langSmithClassifier } from './langsmith-classifier.js';
import { mastraClassifier } from './mastra-classifier.js';
import { messagingClassifier } from './messaging-classifier.js';
import { openInferenceClassifier } from './openinference-classifier.js';
import { openLlmetryClassifier } from './openllmetry-classifier.js';
import { thresholdClassifier } from './threshold-classifier.js';
import { vercelAiClassifier } from './vercel-ai-classifier.js';

/**
 * The classifiers in the order they are asked; the first that recognises a span decides.
 * The SDK's explicit `threshold.*` comes first. Library conventions come before the GenAI one
 * because libraries also emit `gen_ai.*` attributes, and their own kinds say more (a Vercel
 * `ai.streamText` span carries model attributes but wraps several calls). Plain db/messaging/http
 * come last: an llm client's HTTP span is recognised by what it is, not by its transport.
 */
export const SPAN_CLASSIFIERS: readonly SpanClassifier[] = [
  thresholdClassifier,
  vercelAiClassifier,
  openInferenceClassifier,
  openLlmetryClassifier,
  mastraClassifier,
  langfuseClassifier,
  langSmithClassifier,
  agentLoopClassifier,
  genAiClassifier,
  databaseClassifier,
  messagingClassifier,
  httpClassifier,
];

/**
 * The category of one span. A span no convention recognises is `other`, except at the root,
 * where it is the task itself (the agent's own code wrapping everything else).
 */
export function classifySpan(
  record: SpanRecord,
  context: ClassifyContext,
  classifiers: readonly SpanClassifier[] = SPAN_CLASSIFIERS,
): Classification {
  for (const classifier of classifiers) {
    const classification = classifier.classify(record, context);
    if (classification) return classification;
  }
  return { category: context.isRoot ? 'task' : 'other', classifier: 'none' };
}
