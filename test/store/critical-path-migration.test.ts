import { DuckDBInstance } from '@duckdb/node-api';
import type { CreateCollectorOptions } from '@threshold/collector';
import type { CriticalPathResponse, ModelsResponse } from '@threshold/core';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { otlpJsonBody, postJson, spanIdOf, traceIdOf } from '../collector/otlp-json-body.js';
import { startTestCollector, waitForTraces } from '../support/collector-harness.js';
import { STORE_ENGINES, setUpStoreEngines } from './store-engines.js';

setUpStoreEngines();

const baseMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
const getJson = async <T>(url: string, path: string): Promise<T> => (await (await fetch(`${url}${path}`)).json()) as T;

/** A 1-second task whose streamed gpt-4o call (0–800) paused 300 ms between chunks. */
function task(n: number) {
  const traceId = traceIdOf(0xc00 + n);
  return otlpJsonBody('support', baseMs + n * 1_000, [
    { traceId, spanId: spanIdOf(1), name: 'answer', startMs: 0, endMs: 1_000, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
    {
      traceId,
      spanId: spanIdOf(2),
      parentSpanId: spanIdOf(1),
      name: 'chat gpt-4o',
      startMs: 0,
      endMs: 800,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.time_to_first_chunk': 0.1,
        'threshold.llm.chunks': 30,
        'threshold.llm.max_chunk_gap_ms': 300,
      },
    },
  ]);
}

/** Takes the store back to the layout of the version before critical paths and chunk gaps were kept. */
async function downgrade(engine: string, options: Partial<CreateCollectorOptions>, dataDir: string): Promise<void> {
  if (engine === 'duckdb') {
    const instance = await DuckDBInstance.create(join(dataDir, 'threshold.duckdb'));
    const connection = await instance.connect();
    // That version had no llm_call either (added after max_chunk_gap_ms, which it follows in the table).
    for (const sql of [
      'DROP TABLE critical_path_traces',
      'DROP TABLE critical_path_operations',
      'ALTER TABLE span_facts DROP COLUMN llm_call',
      'ALTER TABLE span_facts DROP COLUMN max_chunk_gap_ms',
    ]) {
      await connection.run(sql);
    }
    connection.closeSync();
    instance.closeSync();
    return;
  }
  for (const column of [
    'fact_max_chunk_gap_ms',
    'critical_path_stored',
    'critical_category',
    'critical_name',
    'critical_ms',
    'fact_llm_call',
  ]) {
    const query = `ALTER TABLE ${options.clickhouseDatabase}.traces DROP COLUMN ${column}`;
    const response = await fetch(`${options.clickhouseUrl}/`, { method: 'POST', body: query });
    expect([query, response.status]).toEqual([query, 200]);
  }
}

describe.each(STORE_ENGINES)('a $engine.name store written before critical paths and chunk gaps were kept', ({ engine }) => {
  test('opens with the new layout, leaves its older traces out of the tail and reads no gap for them', async () => {
    const options = engine.collectorOptions();
    let collector = await startTestCollector(options);
    const dataDir = collector.dataDir;
    expect((await postJson(collector.url, task(1))).status).toBe(200);
    await waitForTraces(collector.url, 1);
    await collector.close();
    await downgrade(engine.name, options, dataDir);

    collector = await startTestCollector({ ...options, dataDir });
    try {
      const empty = { tail: { percentile: 95, thresholdMs: null, traces: 0 }, typical: { traces: 0 }, operations: [] };
      expect(await getJson<CriticalPathResponse>(collector.url, '/api/critical-path')).toEqual(empty);
      expect(
        (await getJson<ModelsResponse>(collector.url, '/api/models')).models.map((model) => [model.model, model.calls, model.maxChunkGap]),
      ).toEqual([['gpt-4o', 1, null]]);

      expect((await postJson(collector.url, task(2))).status).toBe(200);
      await waitForTraces(collector.url, 2);
      const answer = await getJson<CriticalPathResponse>(collector.url, '/api/critical-path');
      expect([answer.tail, answer.typical, answer.operations.map((operation) => [operation.name, operation.tailMeanCriticalMs])]).toEqual([
        { percentile: 95, thresholdMs: 1_000, traces: 1 },
        { traces: 1 },
        [
          ['gpt-4o', 800],
          ['answer', 200],
        ],
      ]);
      expect((await getJson<ModelsResponse>(collector.url, '/api/models')).models.map((model) => [model.calls, model.maxChunkGap])).toEqual(
        [[2, { p50Ms: 300, p95Ms: 300, p99Ms: 300 }]],
      );
    } finally {
      await collector.close();
    }
  });
});
