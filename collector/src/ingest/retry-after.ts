/** The longest `Retry-After` the collector asks for. */
export const MAX_RETRY_AFTER_SECONDS = 30;

/**
 * Seconds an overloaded collector asks an exporter to wait: 1, plus how long the pressure has
 * lasted (whole seconds, at most 30 in all). Exporters make few attempts (the OpenTelemetry ones,
 * 5), so over a long stall their retries must spread out rather than all fall inside it.
 */
export function retryAfterSeconds(pressureSeconds: number): number {
  return Math.min(MAX_RETRY_AFTER_SECONDS, 1 + Math.ceil(Math.max(0, pressureSeconds)));
}
