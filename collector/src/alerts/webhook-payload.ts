import type { AlertEvent, AlertRule } from '@threshold/core';

/**
 * The JSON a webhook receives: Slack-compatible (`text` and `attachments` with fields, so a Slack
 * or Mattermost incoming webhook shows it as is) plus `threshold`, the same facts as structured
 * data for any other receiver. Rule names are user text: they are escaped for Slack's mrkdwn.
 */
export interface WebhookPayload {
  text: string;
  attachments: Array<{
    color: string;
    title: string;
    title_link: string;
    fields: Array<{ title: string; value: string; short: boolean }>;
    ts: number;
  }>;
  threshold: {
    eventId: string;
    state: AlertEvent['toState'];
    atMs: number;
    rule: {
      id: string;
      name: string;
      kind: AlertRule['kind'];
      statistic: string;
      target: AlertRule['target'];
      severity: AlertRule['severity'];
    };
    value: number | null;
    threshold: number;
    windowMs: number;
    sampleCount: number;
    examples: Array<{ traceId: string; valueMs: number; url: string }>;
    alertsUrl: string;
  };
}

const COLORS = { firing: '#dc2626', resolved: '#16a34a' } as const;

export function buildWebhookPayload(event: AlertEvent, rule: AlertRule, dashboardUrl: string): WebhookPayload {
  const base = dashboardUrl.replace(/\/+$/, '');
  const alertsUrl = `${base}/alerts?rule=${encodeURIComponent(rule.id)}`;
  const examples = event.examples.map((example) => ({ ...example, url: `${base}/traces/${encodeURIComponent(example.traceId)}` }));
  const statistic = statisticLabel(rule);
  const stateWord = event.toState === 'firing' ? 'FIRING' : event.toState === 'resolved' ? 'RESOLVED' : event.toState.toUpperCase();
  const comparison = event.toState === 'firing' ? 'above' : 'at or below';
  const valueText = event.value === null ? 'no data' : formatValue(rule, event.value);
  const headline = `${stateWord}: ${escapeSlack(rule.name)} — ${statistic} ${valueText} ${comparison} ${formatValue(rule, rule.threshold)} over ${formatWindow(rule)} (${event.sampleCount} samples)`;
  const fields = [
    { title: 'Rule', value: `${escapeSlack(rule.name)} (${escapeSlack(rule.id)})`, short: true },
    { title: 'Target', value: escapeSlack(targetLabel(rule)), short: true },
    { title: 'Value', value: `${statistic} ${valueText}`, short: true },
    { title: 'Threshold', value: formatValue(rule, rule.threshold), short: true },
    { title: 'Window', value: formatWindow(rule), short: true },
    { title: 'Samples', value: String(event.sampleCount), short: true },
  ];
  if (examples.length > 0) {
    fields.push({
      title: 'Example slow traces',
      value: examples.map((example) => `<${example.url}|${example.traceId}> ${formatMs(example.valueMs)}`).join('\n'),
      short: false,
    });
  }
  return {
    text: `${headline}\n<${alertsUrl}|Open in Threshold>`,
    attachments: [
      {
        color: COLORS[event.toState as keyof typeof COLORS] ?? '#64748b',
        title: `${stateWord}: ${escapeSlack(rule.name)}`,
        title_link: alertsUrl,
        fields,
        ts: Math.floor(event.atMs / 1000),
      },
    ],
    threshold: {
      eventId: event.id,
      state: event.toState,
      atMs: event.atMs,
      rule: {
        id: rule.id,
        name: rule.name,
        kind: rule.kind,
        statistic: rule.kind === 'threshold' ? rule.statistic : 'burnRate',
        target: rule.target,
        severity: rule.severity,
      },
      value: event.value,
      threshold: rule.threshold,
      windowMs: rule.windowMs,
      sampleCount: event.sampleCount,
      examples,
      alertsUrl,
    },
  };
}

/** Slack mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function statisticLabel(rule: AlertRule): string {
  if (rule.kind === 'burn-rate') return 'burn rate';
  const label = { p50: 'P50', p95: 'P95', p99: 'P99', perceivedP99: 'perceived P99', overBudgetRate: 'over-budget rate' }[rule.statistic];
  return rule.target.kind === 'model' ? `TTFT ${label}` : label;
}

function targetLabel(rule: AlertRule): string {
  const target = rule.target;
  if (target.kind === 'all') return 'all tasks';
  const kind = { taskClass: 'task class', service: 'service', taskName: 'task', model: 'model' }[target.kind];
  return `${kind} ${target.value}`;
}

function formatValue(rule: AlertRule, value: number): string {
  if (rule.kind === 'burn-rate') return `${round(value, 2)}×`;
  if (rule.statistic === 'overBudgetRate') return `${round(value * 100, 2)} %`;
  return formatMs(value);
}

function formatMs(ms: number): string {
  return ms >= 1_000 ? `${round(ms / 1_000, 3)} s` : `${round(ms, 1)} ms`;
}

function formatWindow(rule: AlertRule): string {
  const long = formatDuration(rule.windowMs);
  return rule.kind === 'burn-rate' ? `${long} and ${formatDuration(rule.shortWindowMs)}` : long;
}

function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${round(ms / 1_000, 1)} s`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
