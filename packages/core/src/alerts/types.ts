/**
 * Alerting on latency budgets: the rule model, what evaluation observes, the states an alert moves
 * through, its history and the deliveries of its notifications. These shapes are also the HTTP
 * contract of `/api/alerts*`; all durations are milliseconds, all times epoch ms.
 */

/** What a rule watches. `model` watches the TTFT of one model's llm calls; `all` every task. */
export type AlertTarget =
  | { kind: 'all' }
  | { kind: 'taskClass'; value: string }
  | { kind: 'service'; value: string }
  | { kind: 'taskName'; value: string }
  | { kind: 'model'; value: string };

export type AlertTargetKind = AlertTarget['kind'];

/**
 * The statistic a threshold rule compares: latency percentiles of task duration (or of TTFT for a
 * model target), the P99 of perceived latency, or the fraction (0–1) of tasks over their budget.
 */
export type AlertStatistic = 'p50' | 'p95' | 'p99' | 'perceivedP99' | 'overBudgetRate';

export type AlertSeverity = 'page' | 'ticket';

interface AlertRuleBase {
  /** Stable id: lower-case letters, digits and dashes. */
  id: string;
  /** Human name, shown in notifications. */
  name: string;
  target: AlertTarget;
  /** The rule breaches while the observed value is strictly above this. */
  threshold: number;
  /** Evaluation window ending at the evaluation time, ms (the long window of a burn-rate rule). */
  windowMs: number;
  /** Below this many samples in the window the rule has no data: it neither fires nor resolves. */
  minSamples: number;
  /** How long a breach must last before the alert fires, ms (0 fires at once). */
  holdMs: number;
  severity: AlertSeverity;
  enabled: boolean;
}

/** "P99 of simple tasks above 2 s over 5 min". `threshold` is ms, or a 0–1 fraction for overBudgetRate. */
export interface ThresholdAlertRule extends AlertRuleBase {
  kind: 'threshold';
  statistic: AlertStatistic;
}

/**
 * Multi-window burn rate of an SLO "`objective` of tasks within their budget over `periodMs`"
 * (Google SRE workbook, ch. 5). `threshold` is the burn-rate factor; the rule breaches when both
 * the long (`windowMs`) and the short (`shortWindowMs`) window burn the error budget faster than it.
 */
export interface BurnRateAlertRule extends AlertRuleBase {
  kind: 'burn-rate';
  /** Fraction of tasks that must be within budget, e.g. 0.99. */
  objective: number;
  /** SLO period the error budget covers, ms (30 days by default). */
  periodMs: number;
  shortWindowMs: number;
}

export type AlertRule = ThresholdAlertRule | BurnRateAlertRule;

/**
 * One finished task as alert evaluation sees it. A sample belongs to the time its task ended, as a
 * Prometheus histogram observation does: windowed by start time, the window ending now would be
 * missing exactly the slow tasks still running, and its P99 would read low when it matters most.
 */
export interface AlertTaskSample {
  traceId: string;
  /** Epoch ms of the task's end (start + duration). */
  endTimeMs: number;
  durationMs: number;
  perceivedMs: number;
  budgetMs: number;
  overBudget: boolean;
  taskClass: string;
  service: string;
  name: string;
}

/** One llm call with a known TTFT. */
export interface AlertTtftSample {
  traceId: string;
  /** Epoch ms of the llm call's end. */
  endTimeMs: number;
  model: string;
  ttftMs: number;
}

/** An example trace attached to an observation: one of the slowest in the window. */
export interface AlertExampleTrace {
  traceId: string;
  /** The watched measure of this trace (duration, perceived latency or TTFT), ms. */
  valueMs: number;
}

/** What one evaluation of a rule saw. */
export interface AlertObservation {
  /** The statistic (or burn rate); null when the window has too few samples. */
  value: number | null;
  sampleCount: number;
  /** null: not enough data to decide. */
  breaching: boolean | null;
  /** Slowest traces of the window, slowest first (at most 3). */
  examples: AlertExampleTrace[];
  /** Burn-rate rules: the two windows' burn rates. */
  burnRates?: { long: number | null; short: number | null };
}

/**
 * ok → pending (breaching, waiting out the hold) → firing → resolved (back under the threshold).
 * `resolved` behaves as `ok` until the next breach.
 */
export type AlertStateName = 'ok' | 'pending' | 'firing' | 'resolved';

/** The current state of one rule: `GET /api/alerts`. */
export interface AlertRuleState {
  ruleId: string;
  state: AlertStateName;
  /** When the rule entered its current state, epoch ms. */
  sinceMs: number;
  /** Last evaluation, epoch ms (null before the first). */
  evaluatedAtMs: number | null;
  value: number | null;
  sampleCount: number;
  examples: AlertExampleTrace[];
}

/** A state change, kept in the history: `GET /api/alerts/events`. */
export interface AlertEvent {
  id: string;
  ruleId: string;
  ruleName: string;
  fromState: AlertStateName;
  toState: AlertStateName;
  atMs: number;
  value: number | null;
  threshold: number;
  windowMs: number;
  sampleCount: number;
  examples: AlertExampleTrace[];
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One notification of one event to one webhook. */
export interface AlertDelivery {
  id: string;
  eventId: string;
  ruleId: string;
  /** Webhook URL with any credentials and query string removed. */
  destination: string;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAtMs: number | null;
  /** HTTP status of the last attempt, if one answered. */
  responseStatus: number | null;
  /** Why the last attempt failed. */
  error: string | null;
}

/** Where a rule is defined: the alert rules file (read-only through the API) or the API. */
export type AlertRuleSource = 'file' | 'api';

/** `GET /api/alerts`: every rule with its current state. */
export interface AlertsResponse {
  alerts: Array<{ rule: AlertRule; state: AlertRuleState; source: AlertRuleSource }>;
  /** Webhooks notifications go to (0: alerts are only shown, not sent). */
  webhookCount: number;
}

/** `GET /api/alerts/rules`; `POST`/`PUT` answer with one `AlertRule`. */
export interface AlertRulesResponse {
  rules: Array<AlertRule & { source: AlertRuleSource }>;
}

/** `GET /api/alerts/events?ruleId=&limit=&from=&to=`: newest first, each with its deliveries. */
export interface AlertEventsResponse {
  events: Array<AlertEvent & { deliveries: AlertDelivery[] }>;
}

/** `GET /api/alerts/rules/:id/series?from=&to=&stepMs=`: the watched statistic over time. */
export interface AlertSeriesResponse {
  ruleId: string;
  threshold: number;
  stepMs: number;
  points: Array<{ t: number; value: number | null; sampleCount: number }>;
  /** Periods the rule was firing within [from, to]; `endMs` null while still firing. */
  firingPeriods: Array<{ startMs: number; endMs: number | null }>;
}

/** A 400 answer of the rules API. */
export interface AlertRuleErrorResponse {
  error: string;
  /** One message per invalid field, keyed by its path (`target.value`, `threshold`). */
  fields: Record<string, string>;
}
