import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, type AlertDelivery, type AlertEvent } from '@threshold/core';
import { WebhookNotifier, webhookDestinationLabel } from '../../collector/src/alerts/webhook-notifier.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const rule = DEFAULT_ALERT_RULES[0];
const event: AlertEvent = {
  id: 'evt-1',
  ruleId: rule.id,
  ruleName: rule.name,
  fromState: 'pending',
  toState: 'firing',
  atMs: 1_800_000_060_000,
  value: 2_345.5,
  threshold: 2_000,
  windowMs: 300_000,
  sampleCount: 142,
  examples: [
    { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', valueMs: 4_120 },
    { traceId: '00f067aa0ba902b700f067aa0ba902b7', valueMs: 3_010.25 },
  ],
};

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function notifier(url: string, overrides: Partial<ConstructorParameters<typeof WebhookNotifier>[0]> = {}) {
  const updates: AlertDelivery[] = [];
  const waits: number[] = [];
  let clockMs = 1_800_000_061_000;
  const instance = new WebhookNotifier({
    webhooks: [{ url }],
    dashboardUrl: 'http://127.0.0.1:4318/',
    onDelivery: (delivery) => {
      updates.push(delivery);
    },
    nowMs: () => clockMs,
    sleep: async (ms) => {
      waits.push(ms);
      clockMs += ms;
    },
    ...overrides,
  });
  return { instance, updates, waits };
}

describe('webhook notifier', () => {
  it('posts Slack-compatible JSON with the rule, value, threshold, window and linked example traces', async () => {
    receiver = await startWebhookReceiver([{ status: 200 }]);
    const { instance } = notifier(receiver.url);
    const [delivery] = await instance.notify(event, rule);
    expect(delivery.status).toBe('delivered');
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0];
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      text: 'FIRING: Simple tasks: P99 over 2 s — P99 2.346 s above 2 s over 5 min (142 samples)\n<http://127.0.0.1:4318/alerts?rule=simple-p99-budget|Open in Threshold>',
      attachments: [
        {
          color: '#dc2626',
          title: 'FIRING: Simple tasks: P99 over 2 s',
          title_link: 'http://127.0.0.1:4318/alerts?rule=simple-p99-budget',
          fields: [
            { title: 'Rule', value: 'Simple tasks: P99 over 2 s (simple-p99-budget)', short: true },
            { title: 'Target', value: 'task class simple', short: true },
            { title: 'Value', value: 'P99 2.346 s', short: true },
            { title: 'Threshold', value: '2 s', short: true },
            { title: 'Window', value: '5 min', short: true },
            { title: 'Samples', value: '142', short: true },
            {
              title: 'Example slow traces',
              value:
                '<http://127.0.0.1:4318/traces/4bf92f3577b34da6a3ce929d0e0e4736|4bf92f3577b34da6a3ce929d0e0e4736> 4.12 s\n' +
                '<http://127.0.0.1:4318/traces/00f067aa0ba902b700f067aa0ba902b7|00f067aa0ba902b700f067aa0ba902b7> 3.01 s',
              short: false,
            },
          ],
          ts: 1_800_000_060,
        },
      ],
      threshold: {
        eventId: 'evt-1',
        state: 'firing',
        atMs: 1_800_000_060_000,
        rule: {
          id: 'simple-p99-budget',
          name: 'Simple tasks: P99 over 2 s',
          kind: 'threshold',
          statistic: 'p99',
          target: { kind: 'taskClass', value: 'simple' },
          severity: 'ticket',
        },
        value: 2_345.5,
        threshold: 2_000,
        windowMs: 300_000,
        sampleCount: 142,
        examples: [
          {
            traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
            valueMs: 4_120,
            url: 'http://127.0.0.1:4318/traces/4bf92f3577b34da6a3ce929d0e0e4736',
          },
          {
            traceId: '00f067aa0ba902b700f067aa0ba902b7',
            valueMs: 3_010.25,
            url: 'http://127.0.0.1:4318/traces/00f067aa0ba902b700f067aa0ba902b7',
          },
        ],
        alertsUrl: 'http://127.0.0.1:4318/alerts?rule=simple-p99-budget',
      },
    });
  });

  it('retries after two 500s with exponential backoff and records each step of the delivery', async () => {
    receiver = await startWebhookReceiver([{ status: 500 }, { status: 500 }, { status: 200 }]);
    const { instance, updates, waits } = notifier(receiver.url, { backoffInitialMs: 1_000 });
    const [delivery] = await instance.notify(event, rule);
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((request) => request.body)).size).toBe(1);
    expect(waits).toEqual([1_000, 2_000]);
    const destination = `${new URL(receiver.url).origin}/hooks/T0123/B0456/***`;
    const base = { id: 'evt-1-0', eventId: 'evt-1', ruleId: 'simple-p99-budget', destination };
    expect(updates).toEqual([
      { ...base, status: 'pending', attempts: 0, lastAttemptAtMs: null, responseStatus: null, error: null },
      {
        ...base,
        status: 'pending',
        attempts: 1,
        lastAttemptAtMs: 1_800_000_061_000,
        responseStatus: 500,
        error: 'HTTP 500 Internal Server Error',
      },
      {
        ...base,
        status: 'pending',
        attempts: 2,
        lastAttemptAtMs: 1_800_000_062_000,
        responseStatus: 500,
        error: 'HTTP 500 Internal Server Error',
      },
      { ...base, status: 'delivered', attempts: 3, lastAttemptAtMs: 1_800_000_064_000, responseStatus: 200, error: null },
    ]);
    expect(delivery).toEqual(updates[3]);
  });

  it('gives up after the last attempt and reports the failure', async () => {
    receiver = await startWebhookReceiver([{ status: 503, headers: { 'retry-after': '3' } }]);
    const { instance, waits } = notifier(receiver.url, { maxAttempts: 3, backoffInitialMs: 1_000, backoffMaxMs: 10_000 });
    const [delivery] = await instance.notify(event, rule);
    expect(receiver.requests).toHaveLength(3);
    // Retry-After 3 s outweighs the 1 s and 2 s backoff steps.
    expect(waits).toEqual([3_000, 3_000]);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, responseStatus: 503, error: 'HTTP 503 Service Unavailable' });
  });

  it('does not retry a 4xx the receiver will refuse again', async () => {
    receiver = await startWebhookReceiver([{ status: 404 }, { status: 200 }]);
    const { instance, waits } = notifier(receiver.url);
    const [delivery] = await instance.notify(event, rule);
    expect(receiver.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 404, error: 'HTTP 404 Not Found' });
  });

  it('times out a receiver that does not answer, then retries', async () => {
    receiver = await startWebhookReceiver(['hang', { status: 204 }]);
    const { instance, updates } = notifier(receiver.url, { timeoutMs: 400 });
    const [delivery] = await instance.notify(event, rule);
    expect(receiver.requests).toHaveLength(2);
    expect(updates[1]).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null, error: 'timed out after 400 ms' });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 204, error: null });
  });

  it('reports a refused connection as a failed attempt', async () => {
    receiver = await startWebhookReceiver([{ status: 200 }]);
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    const { instance } = notifier(url, { maxAttempts: 1 });
    const [delivery] = await instance.notify(event, rule);
    expect(delivery.status).toBe('failed');
    expect(delivery.error).toMatch(/^request failed: fetch failed \(.*ECONNREFUSED/);
  });

  it('hides credentials, query strings and token-like path segments of webhook URLs', () => {
    expect(webhookDestinationLabel('https://user:pw@hooks.slack.com/services/T0123/B0456/abcdefghijklmnopqrstuvwx?token=1')).toBe(
      'https://hooks.slack.com/services/T0123/B0456/***',
    );
    expect(webhookDestinationLabel('not a url')).toBe('invalid URL');
  });
});
