import type {
  LatencyTriple,
  ModelsResponse,
  OperationCategory,
  OperationsResponse,
  SessionDetail,
  SessionsResponse,
} from '@threshold/core';

type ModelStats = ModelsResponse['models'][number];
type OperationStats = OperationsResponse['operations'][number];

/** One model's figures as an engine read them (each lays its percentiles out its own way). */
export interface ModelFigures {
  model: string;
  /** Null when no call of the model named its provider. */
  provider: string | null;
  calls: number;
  streamingRate: number;
  ttft: LatencyTriple | null;
  tpot: LatencyTriple | null;
  duration: LatencyTriple;
  maxChunkGap: LatencyTriple | null;
  inputTokens: number;
  outputTokens: number;
}

/** A `/api/models` entry: `provider` only when a call named one. */
export function modelStats(figures: ModelFigures): ModelStats {
  const { provider, ...model } = figures;
  return provider === null ? model : { ...model, provider };
}

/** One operation's figures as an engine read them. */
export interface OperationFigures {
  category: OperationCategory;
  name: string;
  calls: number;
  errorRate: number;
  cacheHitRate: number;
  coldStartRate: number;
  duration: LatencyTriple;
}

/** A `/api/operations` entry: cache-hit and cold-start rates are a tool's only. */
export function operationStats(figures: OperationFigures): OperationStats {
  const { category, name, calls, errorRate, duration } = figures;
  const base = { category, name, calls, errorRate };
  return category === 'tool'
    ? { ...base, cacheHitRate: figures.cacheHitRate, coldStartRate: figures.coldStartRate, duration }
    : { ...base, duration };
}

/**
 * A `/api/sessions` entry from a row both engines select alike: session id, service of the
 * latest turn, turns, first and last start, median and longest duration, latest turn's input tokens.
 */
export function sessionSummaryFromRow(row: readonly unknown[]): SessionsResponse['sessions'][number] {
  return {
    sessionId: row[0] as string,
    service: row[1] as string,
    turns: row[2] as number,
    firstStartTimeMs: row[3] as number,
    lastStartTimeMs: row[4] as number,
    p50Ms: row[5] as number,
    maxMs: row[6] as number,
    lastInputTokens: row[7] as number,
  };
}

/**
 * One turn of `/api/sessions/:sessionId` from a row both engines select alike: trace id, turn,
 * start, duration, perceived duration, input tokens, llm calls.
 */
export function sessionTurnFromRow(row: readonly unknown[]): SessionDetail['turns'][number] {
  return {
    traceId: row[0] as string,
    turn: row[1] as number | null,
    startTimeMs: row[2] as number,
    durationMs: row[3] as number,
    perceivedMs: row[4] as number,
    inputTokens: row[5] as number,
    llmCalls: row[6] as number,
  };
}
