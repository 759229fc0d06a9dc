/**
 * How long to wait before reconnecting the live stream after `attempt` consecutive failures:
 * exponential from 1 s, capped at 10 s (a restarted collector is back within seconds and a user
 * should not wait half a minute for it), with up to 20 % jitter (a `random` in [0, 1) is passed in)
 * so many dashboards do not reconnect in step after a collector restart.
 */
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_MAX_MS = 10_000;

export function reconnectDelayMs(attempt: number, random: number): number {
  const exponential = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * Math.pow(2, Math.max(0, attempt)));
  return Math.round(exponential * (1 - 0.2 * random));
}
