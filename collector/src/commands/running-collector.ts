/**
 * What answers on an address the demo wanted: a Threshold collector it can send to, one that
 * needs keys, or something else. Asked through `GET /api/health`, which every Threshold collector
 * answers: 200 (ok) or 503 (degraded) with its health as JSON, or 401 with a Bearer challenge when
 * keys are required.
 */
import type { HealthResponse, TraceList } from '@threshold/core';

export type AddressOccupant =
  /** A Threshold collector open to the demo (no keys): send to it. */
  | { kind: 'collector'; health: HealthResponse }
  /** A Threshold collector, or something posing as one, that wants a key. */
  | { kind: 'collector-with-keys' }
  /** Something else, or nothing: `detail` says what happened, for the message. */
  | { kind: 'other'; detail: string }
  | { kind: 'nothing'; detail: string };

const PROBE_TIMEOUT_MS = 2_000;

function isHealth(body: unknown): body is HealthResponse {
  const health = body as Partial<HealthResponse> | null;
  return (
    typeof health === 'object' &&
    health !== null &&
    (health.status === 'ok' || health.status === 'degraded') &&
    typeof health.store === 'string'
  );
}

/** Who answers `GET <url>/api/health`. Never throws. */
export async function identifyAddress(url: string): Promise<AddressOccupant> {
  let response: Response;
  try {
    response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const timedOut = (error as Error).name === 'TimeoutError';
    return {
      kind: timedOut ? 'other' : 'nothing',
      detail: timedOut ? `no answer to GET /api/health within ${PROBE_TIMEOUT_MS / 1_000} s` : (cause?.code ?? String(error)),
    };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if ((response.status === 200 || response.status === 503) && isHealth(body)) return { kind: 'collector', health: body };
  if (response.status === 401 && /^Bearer\b/i.test(response.headers.get('www-authenticate') ?? '')) return { kind: 'collector-with-keys' };
  return { kind: 'other', detail: `GET /api/health answered ${response.status}, not a Threshold collector's health` };
}

/**
 * Waits until the collector at `url` has analysed at least `count` traces of `service` started
 * from `fromMs`, or `timeoutMs` passes. Returns how many it had.
 */
export async function waitForAnalysedTraces(
  url: string,
  service: string,
  fromMs: number,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const query = new URLSearchParams({ service, from: String(fromMs), limit: '1' });
  for (;;) {
    const total = await fetch(`${url}/api/traces?${query}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
      .then(async (response) => (response.ok ? ((await response.json()) as TraceList).total : 0))
      .catch(() => 0);
    if (total >= count || Date.now() >= deadline) return total;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
