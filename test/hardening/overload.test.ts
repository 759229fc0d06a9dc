import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExportResultCode } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceList } from '@threshold/core';
import { exportPlans, type SpanPlan } from '../collector/official-exporter.js';
import { residentBytes, startCollectorProcess, type CollectorProcess } from '../support/collector-process.js';
import { pollUntil } from './acknowledged-traces.js';

/** A small ingest queue so a short burst overloads it. */
const MAX_QUEUED_SPANS = 400;
const EXPORTERS = 6;
const EXPORTS_PER_EXPORTER = 6;
const TRACES_PER_EXPORT = 20;
const SPANS_PER_TRACE = 5;
/** The documented memory cap of a collector under overload (README: "Overload"). */
const RSS_CAP_BYTES = 512 * 1024 * 1024;
const BASE_MS = Date.UTC(2026, 0, 9, 9, 0, 0);

const tracePlan = (index: number): SpanPlan => ({
  name: `agent.run.${index}`,
  startMs: 0,
  endMs: 100,
  children: Array.from({ length: SPANS_PER_TRACE - 1 }, (_, child) => ({
    name: `step.${child}`,
    startMs: child * 20,
    endMs: child * 20 + 15,
  })),
});

describe('overload', () => {
  let collector: CollectorProcess;
  beforeAll(async () => {
    collector = await startCollectorProcess({ args: ['--max-queued-spans', String(MAX_QUEUED_SPANS)] });
  });
  afterAll(() => collector.stop());

  it('answers 503 with Retry-After when the queue is full, stays under its memory cap, and the official exporter retries deliver everything', async () => {
    let peakRss = await residentBytes(collector.pid);
    const sampler = setInterval(() => {
      residentBytes(collector.pid).then(
        (bytes) => (peakRss = Math.max(peakRss, bytes)),
        () => undefined,
      );
    }, 50);

    // A raw client that sends alongside the exporters and records what overload looks like on the wire.
    const refusals: Array<{ status: number; retryAfter: string | null; message: string }> = [];
    let probing = true;
    const probeBody = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: Array.from({ length: 100 }, (_, n) => ({
                traceId: 'f'.repeat(30) + n.toString(16).padStart(2, '0'),
                spanId: (n + 1).toString(16).padStart(16, '0'),
                name: 'probe',
                startTimeUnixNano: String(BigInt(BASE_MS) * 1_000_000n),
                endTimeUnixNano: String(BigInt(BASE_MS + 10) * 1_000_000n),
              })),
            },
          ],
        },
      ],
    });
    const probe = async () => {
      while (probing) {
        const response = await fetch(`${collector.url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: probeBody,
        });
        const text = await response.text();
        if (response.status !== 200) {
          refusals.push({ status: response.status, retryAfter: response.headers.get('retry-after'), message: text });
          // A well-behaved client waits as told.
          await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after')) * 1000));
        }
      }
    };
    const probes = Array.from({ length: 2 }, probe);

    const startedAt = performance.now();
    const exports = Array.from({ length: EXPORTERS }, async (_, exporterIndex) => {
      const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, timeoutMillis: 60_000 });
      const results = await Promise.all(
        Array.from({ length: EXPORTS_PER_EXPORTER }, (_, exportIndex) =>
          exportPlans(
            exporter,
            `service-${exporterIndex}`,
            BASE_MS + exportIndex,
            Array.from({ length: TRACES_PER_EXPORT }, (_, trace) => tracePlan(trace)),
          ),
        ),
      );
      await exporter.shutdown();
      return results;
    });
    const results = (await Promise.all(exports)).flat();
    const deliveredInMs = performance.now() - startedAt;
    probing = false;
    await Promise.all(probes);
    clearInterval(sampler);

    const traceIds = results.flatMap((result) => result.traceIds);
    console.log(
      `overload: ${EXPORTERS} exporters x ${EXPORTS_PER_EXPORTER} exports x ${TRACES_PER_EXPORT * SPANS_PER_TRACE} spans into a ${MAX_QUEUED_SPANS}-span queue; ` +
        `${refusals.length} probe refusals (${[...new Set(refusals.map((refusal) => refusal.status))].join(', ')}), every export delivered in ${Math.round(deliveredInMs)} ms, peak RSS ${Math.round(peakRss / 1048576)} MiB`,
    );
    expect(
      results.filter((result) => result.result.code !== ExportResultCode.SUCCESS).map((result) => String(result.result.error)),
    ).toEqual([]);
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals.map((refusal) => refusal.status))).toEqual(new Set([503]));
    expect(refusals[0].message).toContain('ingest queue is full');
    // Retry-After is whole seconds, at most 30, and grows with how long the queue has been full
    // (1 s plus that time), so the refusals of a stall lasting a second or more say more than 1.
    for (const refusal of refusals) expect(refusal.retryAfter).toMatch(/^([1-9]|[12][0-9]|30)$/);
    expect(Math.max(...refusals.map((refusal) => Number(refusal.retryAfter)))).toBeGreaterThanOrEqual(2);
    expect(peakRss).toBeLessThan(RSS_CAP_BYTES);

    // Every exported trace is stored and analysed; the collector serves normally again by itself.
    const wanted = new Set(traceIds);
    await pollUntil(
      async () => {
        const response = await fetch(`${collector.url}/api/traces?limit=1000`);
        return ((await response.json()) as TraceList).traces.filter((trace) => wanted.has(trace.traceId)).length;
      },
      (found) => found === wanted.size,
      30_000,
      `all ${wanted.size} exported traces analysed`,
    ).catch(async () => {
      const response = await fetch(`${collector.url}/api/traces?limit=1000`);
      const found = ((await response.json()) as TraceList).traces.filter((trace) => wanted.has(trace.traceId)).length;
      expect(found).toBe(wanted.size);
    });
    const after = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: probeBody,
    });
    expect(after.status).toBe(200);
  }, 120_000);
});
