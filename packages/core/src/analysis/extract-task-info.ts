import type { SpanRecord } from '../span-record.js';
import type { TaskInfo } from '../trace-span.js';
import { readNumber, readString } from './read-attribute.js';

/** Session ids as conventions spell them (GenAI, OpenInference/Langfuse, Vercel metadata, OpenLLMetry, LangSmith). */
export const SESSION_ID_KEYS = [
  'gen_ai.conversation.id',
  'session.id',
  'ai.telemetry.metadata.sessionId',
  'ai.telemetry.metadata.session_id',
  'ai.telemetry.metadata.conversationId',
  'traceloop.association.properties.session_id',
  'traceloop.association.properties.sessionId',
  'langsmith.metadata.session_id',
  'langsmith.trace.session_id',
  'mastra.metadata.sessionId',
  'mastra.thread_id',
  'langfuse.session.id',
];

/** The session id a span carries, if any. */
export function readSessionId(record: SpanRecord): string | undefined {
  return readString(record.attributes, ...SESSION_ID_KEYS);
}

/** Task facts the agent author stated: session, turn, class and budget. */
export function extractTaskInfo(record: SpanRecord): TaskInfo {
  const info: TaskInfo = {};
  const sessionId = readSessionId(record);
  if (sessionId !== undefined) info.sessionId = sessionId;
  const turn = readNumber(record.attributes, 'threshold.turn', 'ai.telemetry.metadata.turn');
  if (turn !== undefined && Number.isInteger(turn)) info.turn = turn;
  const taskClass = readString(record.attributes, 'threshold.task.class');
  if (taskClass !== undefined) info.taskClass = taskClass;
  const budgetMs = readNumber(record.attributes, 'threshold.task.budget_ms');
  if (budgetMs !== undefined && budgetMs > 0) info.budgetMs = budgetMs;
  return info;
}
