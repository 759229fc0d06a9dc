/**
 * A batch span processor whose memory stays bounded whatever the collector does. Ended spans wait
 * in a queue of at most `maxQueueSize`; one batch is exported at a time; when the queue is full —
 * the collector down, slow, or answering 429/503 — new spans are dropped and counted, and the
 * first drop is logged once through `diag`. Exports run with tracing suppressed (the exporter's
 * own HTTP calls never become spans) and are cut off after `exportTimeoutMs`.
 */
import { context, diag, TraceFlags } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Queue and batch limits. */
export interface BoundedExportOptions {
  /** Spans that may wait for export; more are dropped (default 2048, as OpenTelemetry's BSP). */
  maxQueueSize?: number;
  /** Spans per export request (default 512). */
  maxExportBatchSize?: number;
  /** Longest a span waits before its batch is sent (default 1000 ms). */
  scheduledDelayMs?: number;
  /** An export taking longer counts as failed (default 10 000 ms). */
  exportTimeoutMs?: number;
}

/** Counters of the export pipeline. */
export interface ExportStats {
  /** Spans waiting in the queue now. */
  queuedSpans: number;
  /** Spans handed to the exporter successfully. */
  exportedSpans: number;
  /** Spans dropped: queue full, or their export failed or timed out. */
  droppedSpans: number;
  /** Export requests that failed or timed out. */
  failedExports: number;
}

export class BoundedExportProcessor implements SpanProcessor {
  private readonly queue: ReadableSpan[] = [];
  private readonly maxQueueSize: number;
  private readonly maxExportBatchSize: number;
  private readonly scheduledDelayMs: number;
  private readonly exportTimeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private exporting: Promise<void> | undefined;
  private isShutdown = false;
  private dropLogged = false;
  private readonly stats: Omit<ExportStats, 'queuedSpans'> = { exportedSpans: 0, droppedSpans: 0, failedExports: 0 };

  constructor(
    private readonly exporter: SpanExporter,
    options: BoundedExportOptions = {},
  ) {
    this.maxQueueSize = Math.max(1, options.maxQueueSize ?? 2048);
    this.maxExportBatchSize = Math.max(1, Math.min(options.maxExportBatchSize ?? 512, this.maxQueueSize));
    this.scheduledDelayMs = options.scheduledDelayMs ?? 1000;
    this.exportTimeoutMs = options.exportTimeoutMs ?? 10_000;
  }

  /** Current counters. */
  exportStats(): ExportStats {
    return { queuedSpans: this.queue.length, ...this.stats };
  }

  onStart(_span: Span): void {}

  onEnd(span: ReadableSpan): void {
    if (this.isShutdown || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length >= this.maxQueueSize) {
      this.drop(1, 'the export queue is full (collector down, slow or refusing)');
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.maxExportBatchSize) this.exportInBackground();
    else this.schedule();
  }

  forceFlush(): Promise<void> {
    return this.drain();
  }

  async shutdown(): Promise<void> {
    if (this.isShutdown) return;
    await this.drain();
    this.isShutdown = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.exporter.shutdown();
  }

  private drop(count: number, reason: string): void {
    this.stats.droppedSpans += count;
    if (this.dropLogged) return;
    this.dropLogged = true;
    diag.warn(`@threshold/sdk: dropping spans because ${reason}; further drops are counted without logging`);
  }

  private schedule(): void {
    if (this.timer !== undefined || this.exporting !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.exportInBackground();
    }, this.scheduledDelayMs);
    this.timer.unref();
  }

  /**
   * Starts an export nobody waits for. Export failures are already counted as drops inside
   * `exportBatch`; this catch only keeps an unforeseen rejection from reaching the application as
   * an unhandled rejection, which would end its process.
   */
  private exportInBackground(): void {
    this.startExport().catch((error: unknown) => diag.error('@threshold/sdk: an export failed unexpectedly', error));
  }

  /** Starts exporting batches one after another until the queue is empty. */
  private startExport(): Promise<void> {
    if (this.exporting !== undefined) return this.exporting;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.exporting = (async () => {
      while (this.queue.length > 0) await this.exportBatch(this.queue.splice(0, this.maxExportBatchSize));
    })().finally(() => {
      this.exporting = undefined;
    });
    return this.exporting;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 || this.exporting !== undefined) await this.startExport();
  }

  /** Resource attributes some detectors resolve asynchronously; exporting earlier would lose them. */
  private async settleResources(batch: ReadableSpan[]): Promise<void> {
    const pending = new Set<{ waitForAsyncAttributes?: () => Promise<void> }>();
    for (const span of batch) {
      const resource = span.resource as { asyncAttributesPending?: boolean; waitForAsyncAttributes?: () => Promise<void> };
      if (resource.asyncAttributesPending === true) pending.add(resource);
    }
    await Promise.all(
      [...pending].map(async (resource) => {
        try {
          await resource.waitForAsyncAttributes?.();
        } catch {
          // A detector that fails leaves its attributes out; the spans are exported all the same.
        }
      }),
    );
  }

  private async exportBatch(batch: ReadableSpan[]): Promise<void> {
    await this.settleResources(batch);
    return new Promise<void>((resolve) => {
      let settled = false;
      const settle = (ok: boolean, reason: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        if (ok) this.stats.exportedSpans += batch.length;
        else {
          this.stats.failedExports++;
          this.drop(batch.length, reason);
        }
        resolve();
      };
      const timeout = setTimeout(() => settle(false, 'an export timed out'), this.exportTimeoutMs);
      timeout.unref();
      try {
        context.with(suppressTracing(context.active()), () => {
          this.exporter.export(batch, (result: ExportResult) => {
            settle(result.code === ExportResultCode.SUCCESS, `an export failed (${result.error?.message ?? 'unknown error'})`);
          });
        });
      } catch (error) {
        settle(false, `an export threw (${String(error)})`);
      }
    });
  }
}
