/**
 * Instrumentation must never reach user code: every telemetry step runs inside `guard`, which
 * swallows the failure and reports it once per kind through OpenTelemetry's `diag` logger (a
 * broken exporter or a surprising response shape would otherwise flood the log).
 */
import { diag } from '@opentelemetry/api';

const reported = new Set<string>();

/** Runs a telemetry step; a failure is logged once per `step` and otherwise ignored. */
export function guard(step: string, action: () => void): void {
  try {
    action();
  } catch (error) {
    reportOnce(step, error);
  }
}

/** Logs `error` through diag the first time `step` fails. */
export function reportOnce(step: string, error: unknown): void {
  if (reported.has(step)) return;
  reported.add(step);
  try {
    diag.warn(`@threshold/sdk: ${step} failed; telemetry for it is skipped from now on quietly`, error);
  } catch {
    // The logger itself failed: nothing left to tell.
  }
}
