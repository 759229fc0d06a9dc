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
  'mastra.metadata.threadId',
  'mastra.thread_id',
  'langfuse.session.id',
];

/** End-user ids: Langfuse and OpenInference `user.id`, Langfuse's older `langfuse.user.id`, Mastra 1.x metadata. */
export const USER_ID_KEYS = ['user.id', 'langfuse.user.id', 'enduser.id', 'mastra.metadata.resourceId'];

/**
 * Mastra's 0.2x exporter writes span metadata as plain attribute keys (`threadId`, `resourceId`);
 * read only on Mastra spans, where those keys are known to mean Mastra's memory thread and resource.
 */
const MASTRA_PLAIN_SESSION_KEYS = ['threadId', 'resourceId'];

/** The session id a span carries, if any (a Mastra thread, else its resource, is the session). */
export function readSessionId(record: SpanRecord): string | undefined {
  const stated = readString(record.attributes, ...SESSION_ID_KEYS);
  if (stated !== undefined || record.attributes['mastra.span.type'] === undefined) return stated;
  return readString(record.attributes, 'mastra.metadata.resourceId', ...MASTRA_PLAIN_SESSION_KEYS);
}

function readUserId(record: SpanRecord): string | undefined {
  const stated = readString(record.attributes, ...USER_ID_KEYS);
  if (stated !== undefined || record.attributes['mastra.span.type'] === undefined) return stated;
  return readString(record.attributes, 'resourceId');
}

/** Most turns a session can state: the stores keep a turn as a 32-bit integer. */
const MAX_TURN = 2_147_483_647;

/** A turn is a whole number a 32-bit integer holds; anything else stated as one is not taken. */
function isTurnNumber(turn: number): boolean {
  return Number.isInteger(turn) && turn >= -MAX_TURN - 1 && turn <= MAX_TURN;
}

/** Task facts the agent author stated: session, turn, class and budget. */
export function extractTaskInfo(record: SpanRecord): TaskInfo {
  const info: TaskInfo = {};
  const sessionId = readSessionId(record);
  if (sessionId !== undefined) info.sessionId = sessionId;
  const userId = readUserId(record);
  if (userId !== undefined) info.userId = userId;
  const turn = readNumber(record.attributes, 'threshold.turn', 'ai.telemetry.metadata.turn');
  if (turn !== undefined && isTurnNumber(turn)) info.turn = turn;
  const taskClass = readString(record.attributes, 'threshold.task.class');
  if (taskClass !== undefined) info.taskClass = taskClass;
  const budgetMs = readNumber(record.attributes, 'threshold.task.budget_ms');
  if (budgetMs !== undefined && budgetMs > 0) info.budgetMs = budgetMs;
  return info;
}
