import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { exportPlannedTraces, type RecordedTrace, type SpanPlan } from '../../collector/official-exporter.js';

/** A span with exact times (ms after the trace's base), drawn as a tree. */
export type PlannedSpan = SpanPlan;

/**
 * Emits each planned trace through the real OTel SDK at its own base time and sends them all with
 * the official protobuf exporter (gzip), as an instrumented agent would. Returns the trace ids and,
 * per trace, span ids by span name.
 */
export async function exportTraces(
  collectorUrl: string,
  serviceName: string,
  traces: Array<{ baseMs: number; root: PlannedSpan }>,
): Promise<RecordedTrace[]> {
  const exporter = new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces`, compression: CompressionAlgorithm.GZIP });
  const { traces: recorded, result } = await exportPlannedTraces(exporter, serviceName, traces);
  if (result.code !== 0) throw new Error(`export failed: ${result.error?.message ?? result.code}`);
  return recorded;
}
