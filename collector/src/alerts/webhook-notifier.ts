import type { AlertDelivery, AlertEvent, AlertRule } from '@threshold/core';
import { buildWebhookPayload } from './webhook-payload.js';

/**
 * Sends alert notifications to webhooks, one delivery per (event, webhook), in the background.
 *
 * Each attempt has a timeout; network errors, timeouts, 429 and 5xx are retried with exponential
 * backoff (1 s, 2 s, 4 s… capped; a `Retry-After` in seconds is honoured within the cap); other
 * 4xx answers are permanent failures, since sending the same body again cannot fix them. Every
 * change of a delivery (attempting, delivered, failed) goes to `onDelivery`, which stores it, so
 * the API and the dashboard show failed deliveries. A notifier never throws into the evaluator.
 *
 * A rule's notifications reach each webhook in order: a resolved message waits until the firing
 * one before it has been delivered or given up, so a channel never reads "resolved" first.
 */
export interface WebhookDestination {
  url: string;
  /** Shown in delivery status instead of the URL (whose path often holds a secret). */
  name?: string;
  headers?: Record<string, string>;
}

export interface WebhookNotifierOptions {
  webhooks: readonly WebhookDestination[];
  /** Base URL of the dashboard, for links in notifications (a function when known only later). */
  dashboardUrl: string | (() => string);
  onDelivery: (delivery: AlertDelivery) => Promise<void> | void;
  /** Per attempt, ms. */
  timeoutMs?: number;
  /** Attempts in all, including the first. */
  maxAttempts?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  nowMs?: () => number;
  /** Waits between attempts; resolves early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onError?: (error: unknown) => void;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;
export const DEFAULT_WEBHOOK_MAX_ATTEMPTS = 4;
export const DEFAULT_WEBHOOK_BACKOFF_INITIAL_MS = 1_000;
export const DEFAULT_WEBHOOK_BACKOFF_MAX_MS = 30_000;

export class WebhookNotifier {
  private readonly inFlight = new Set<Promise<AlertDelivery>>();
  /** Last delivery per (rule, webhook), which the next one of the same pair waits for. */
  private readonly lastByRuleAndWebhook = new Map<string, Promise<AlertDelivery>>();
  private readonly shutdown = new AbortController();

  constructor(private readonly options: WebhookNotifierOptions) {}

  get destinationCount(): number {
    return this.options.webhooks.length;
  }

  /** Starts one delivery per webhook; the promise settles when all have delivered or failed. */
  notify(event: AlertEvent, rule: AlertRule): Promise<AlertDelivery[]> {
    const { dashboardUrl } = this.options;
    const body = JSON.stringify(buildWebhookPayload(event, rule, typeof dashboardUrl === 'string' ? dashboardUrl : dashboardUrl()));
    const deliveries = this.options.webhooks.map((webhook, index) => {
      const key = `${index}\n${event.ruleId}`;
      const previous = this.lastByRuleAndWebhook.get(key);
      const delivery = (previous ?? Promise.resolve()).then(() => this.deliver(event, webhook, index, body));
      this.lastByRuleAndWebhook.set(key, delivery);
      this.inFlight.add(delivery);
      void delivery.finally(() => {
        this.inFlight.delete(delivery);
        if (this.lastByRuleAndWebhook.get(key) === delivery) this.lastByRuleAndWebhook.delete(key);
      });
      return delivery;
    });
    return Promise.all(deliveries);
  }

  /** Resolves once every started delivery has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops retrying: deliveries still waiting are recorded as failed. */
  async close(): Promise<void> {
    this.shutdown.abort();
    await this.idle();
  }

  private async deliver(event: AlertEvent, webhook: WebhookDestination, index: number, body: string): Promise<AlertDelivery> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? DEFAULT_WEBHOOK_MAX_ATTEMPTS);
    let delivery: AlertDelivery = {
      id: `${event.id}-${index}`,
      eventId: event.id,
      ruleId: event.ruleId,
      destination: webhook.name ?? webhookDestinationLabel(webhook.url),
      status: 'pending',
      attempts: 0,
      lastAttemptAtMs: null,
      responseStatus: null,
      error: null,
    };
    await this.record(delivery);
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (this.shutdown.signal.aborted) {
        delivery = { ...delivery, status: 'failed', error: `${delivery.error ?? 'not sent'}; stopped: collector shutting down` };
        break;
      }
      const outcome = await this.attempt(webhook, body);
      delivery = {
        ...delivery,
        attempts: attempt,
        lastAttemptAtMs: this.now(),
        responseStatus: outcome.status,
        error: outcome.error,
        status: outcome.delivered ? 'delivered' : outcome.retryable && attempt < maxAttempts ? 'pending' : 'failed',
      };
      await this.record(delivery);
      if (delivery.status !== 'pending') return delivery;
      await this.sleep(this.backoffMs(attempt, outcome.retryAfterMs));
    }
    await this.record(delivery);
    return delivery;
  }

  private async attempt(webhook: WebhookDestination, body: string): Promise<AttemptOutcome> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.shutdown.signal]);
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'threshold-alerts', ...webhook.headers },
        body,
        signal,
        redirect: 'error',
      });
      // Drain the body so the connection is reusable; its content does not matter.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { delivered: true, retryable: false, status: response.status, error: null, retryAfterMs: null };
      const retryable = response.status === 429 || response.status >= 500;
      return {
        delivered: false,
        retryable,
        status: response.status,
        error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      };
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || (error.name === 'AbortError' && !this.shutdown.signal.aborted));
      const message = timedOut ? `timed out after ${timeoutMs} ms` : `request failed: ${errorMessage(error)}`;
      return { delivered: false, retryable: true, status: null, error: message, retryAfterMs: null };
    }
  }

  private backoffMs(attempt: number, retryAfter: number | null): number {
    const initial = this.options.backoffInitialMs ?? DEFAULT_WEBHOOK_BACKOFF_INITIAL_MS;
    const max = this.options.backoffMaxMs ?? DEFAULT_WEBHOOK_BACKOFF_MAX_MS;
    const exponential = initial * 2 ** (attempt - 1);
    return Math.min(max, Math.max(exponential, retryAfter ?? 0));
  }

  private sleep(ms: number): Promise<void> {
    return (this.options.sleep ?? abortableSleep)(ms, this.shutdown.signal);
  }

  private now(): number {
    return (this.options.nowMs ?? Date.now)();
  }

  private async record(delivery: AlertDelivery): Promise<void> {
    try {
      await this.options.onDelivery(delivery);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}

interface AttemptOutcome {
  delivered: boolean;
  retryable: boolean;
  status: number | null;
  error: string | null;
  retryAfterMs: number | null;
}

/** A webhook URL safe to show: no credentials, no query, long path segments (tokens) masked. */
export function webhookDestinationLabel(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname
      .split('/')
      .map((segment) => (segment.length >= 16 ? '***' : segment))
      .join('/');
    return `${parsed.protocol}//${parsed.host}${path}`;
  } catch {
    return 'invalid URL';
  }
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : null;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
