/**
 * Token buckets, one per key: `ratePerSecond` tokens a second, holding at most one second's
 * worth, so a key may burst briefly but not starve the others for long.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; refilledAtMs: number }>();

  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  /** Takes a token; when none is left, answers how many whole seconds until one is (for Retry-After). */
  take(key: string, ratePerSecond: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.nowMs();
    const bucket = this.buckets.get(key) ?? { tokens: ratePerSecond, refilledAtMs: now };
    bucket.tokens = Math.min(ratePerSecond, bucket.tokens + ((now - bucket.refilledAtMs) / 1000) * ratePerSecond);
    bucket.refilledAtMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond)) };
  }
}
