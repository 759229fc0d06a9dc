import type { Clock } from '../assembly/clock.js';
import type { RouteModule } from '../routes/route-module.js';
import { readAlertConfigFile } from './alert-config-file.js';
import { AlertEvaluator } from './alert-evaluator.js';
import { AlertRuleSet } from './alert-rule-set.js';
import { alertRoutes } from './alert-routes.js';
import type { AlertStore } from '../store/alert-store.js';
import { WebhookNotifier, type WebhookDestination } from './webhook-notifier.js';

/** How the collector alerts; everything is optional. */
export interface AlertingOptions {
  /** JSON file of rules (and webhooks); without it the default rules apply and are editable. */
  rulesPath?: string;
  /** Webhooks given on the command line, added to the file's. */
  webhooks?: WebhookDestination[];
  /** Base URL of the dashboard for links in notifications (default: the collector's own URL). */
  dashboardUrl?: string;
  intervalMs?: number;
  evaluationDelayMs?: number;
  webhookTimeoutMs?: number;
  webhookMaxAttempts?: number;
  webhookBackoffInitialMs?: number;
}

export interface AlertingDependencies {
  store: AlertStore;
  clock: Clock;
  options: AlertingOptions;
  /** The collector's URL, known once it listens. */
  collectorUrl: () => string;
  /** Told when a delivery has finished (for the metrics). */
  onDeliveryFinished?: (status: 'delivered' | 'failed') => void;
  onError?: (error: unknown) => void;
}

export interface Alerting {
  rules: AlertRuleSet;
  evaluator: AlertEvaluator;
  notifier: WebhookNotifier | undefined;
  routes: RouteModule;
  /** Starts the evaluation loop. */
  start(): void;
  /** Stops evaluating and waits for deliveries (those still retrying are recorded as failed). */
  close(): Promise<void>;
}

/**
 * Reads the rules file (throwing AlertConfigError with every problem listed), loads the stored
 * rules, restores each rule's state from its history, and assembles evaluator, notifier and routes.
 */
export async function createAlerting(deps: AlertingDependencies): Promise<Alerting> {
  const { options, store, clock } = deps;
  const file = options.rulesPath ? readAlertConfigFile(options.rulesPath) : undefined;
  const rules = new AlertRuleSet(store, file ? file.rules : null);
  await rules.load();
  const webhooks = [...(file?.webhooks ?? []), ...(options.webhooks ?? [])];
  const onError = deps.onError ?? ((error: unknown) => console.error('threshold: alerting:', error));
  const notifier =
    webhooks.length > 0
      ? new WebhookNotifier({
          webhooks,
          dashboardUrl: () => options.dashboardUrl ?? deps.collectorUrl(),
          onDelivery: async (delivery) => {
            await store.saveAlertDelivery(delivery);
            if (delivery.status !== 'pending') deps.onDeliveryFinished?.(delivery.status);
          },
          timeoutMs: options.webhookTimeoutMs,
          maxAttempts: options.webhookMaxAttempts,
          backoffInitialMs: options.webhookBackoffInitialMs,
          nowMs: () => clock.nowMs(),
          onError,
        })
      : undefined;
  const evaluator = new AlertEvaluator({
    store,
    rules,
    clock,
    notifier,
    intervalMs: options.intervalMs,
    evaluationDelayMs: options.evaluationDelayMs,
    onError,
  });
  await evaluator.restore();
  return {
    rules,
    evaluator,
    notifier,
    routes: alertRoutes({ store, rules, evaluator, webhookCount: webhooks.length }),
    start: () => evaluator.start(),
    close: async () => {
      await evaluator.stop();
      await notifier?.close();
    },
  };
}
