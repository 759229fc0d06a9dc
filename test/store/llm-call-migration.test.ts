import { DuckDBInstance } from '@duckdb/node-api';
import type { CreateCollectorOptions } from '@threshold/collector';
import type { ModelsResponse } from '@threshold/core';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startTestCollector, waitForTraces } from '../support/collector-harness.js';
import { plannedWorkload, rounded } from './facts-expected.js';
import { otlpBody, TASK_CLASSES } from './facts-workload.js';
import { STORE_ENGINES, setUpStoreEngines } from './store-engines.js';

/**
 * A store written before span facts said whether each span is an llm call: its rows get the
 * answer in place (DuckDB: an UPDATE when the column is added; ClickHouse: the added column's
 * default, computed from the arrays the row has), and /api/models over them is what core computes,
 * Mastra's chunk spans left out, exactly as over rows written since.
 */
setUpStoreEngines();

const { baseMs: BASE_MS, traces: TRACES, expected: EXPECTED } = plannedWorkload();

/** Takes the store back to the layout before `llm_call`. */
async function downgrade(engine: string, options: Partial<CreateCollectorOptions>, dataDir: string): Promise<void> {
  if (engine === 'duckdb') {
    const instance = await DuckDBInstance.create(join(dataDir, 'threshold.duckdb'));
    const connection = await instance.connect();
    await connection.run('ALTER TABLE span_facts DROP COLUMN llm_call');
    connection.closeSync();
    instance.closeSync();
    return;
  }
  const query = `ALTER TABLE ${options.clickhouseDatabase}.traces DROP COLUMN fact_llm_call`;
  const response = await fetch(`${options.clickhouseUrl}/`, { method: 'POST', body: query });
  expect([query, response.status]).toEqual([query, 200]);
}

describe.each(STORE_ENGINES)('a $engine.name store written before span facts carried llm_call', ({ engine }) => {
  test('answers /api/models over its older rows as core counts the calls', async () => {
    const options = { ...engine.collectorOptions(), taskClasses: TASK_CLASSES };
    let collector = await startTestCollector(options);
    const dataDir = collector.dataDir;
    for (const trace of TRACES.slice(0, 12)) {
      const response = await fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: otlpBody(trace),
      });
      expect(response.status).toBe(200);
    }
    await waitForTraces(collector.url, 12);
    await collector.close();
    await downgrade(engine.name, options, dataDir);

    collector = await startTestCollector({ ...options, dataDir });
    try {
      for (const trace of TRACES.slice(12)) {
        const response = await fetch(`${collector.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: otlpBody(trace),
        });
        expect(response.status).toBe(200);
      }
      await waitForTraces(collector.url, TRACES.length);
      const models = await (await fetch(`${collector.url}/api/models`)).json();
      expect(rounded(models)).toEqual(rounded(EXPECTED.models()));
      const older = (await (await fetch(`${collector.url}/api/models?to=${BASE_MS + 12_000}`)).json()) as ModelsResponse;
      expect(older.models.map((model) => [model.model, model.calls])).toEqual([
        ['gpt-4o', 9],
        ['claude-sonnet-4', 6],
        ['gpt-4o-mini', 6],
      ]);
    } finally {
      await collector.close();
    }
  });
});
