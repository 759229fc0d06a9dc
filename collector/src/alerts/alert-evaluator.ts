import { randomUUID } from 'node:crypto';
import {
  advanceAlertState,
  initialAlertState,
  alertStatsQueries,
  isNotifiedTransition,
  observeAlertStats,
  type AlertEvent,
  type AlertRule,
  type AlertRuleState,
} from '@threshold/core';
import type { Clock } from '../assembly/clock.js';
import type { AlertRuleSet } from './alert-rule-set.js';
import type { AlertStore } from '../store/alert-store.js';

/**
 * Evaluates every enabled rule on a fixed interval against the store, moves each rule's state
 * (core's state machine), records transitions as events and hands firing/resolved ones to the
 * notifier. Time comes from the injected clock, so tests travel through hours in milliseconds.
 *
 * An evaluation looks at the window ending `evaluationDelayMs` before now: a trace is stored only
 * after its quiet period, so the newest seconds are always incomplete.
 */
export interface AlertNotifier {
  notify(event: AlertEvent, rule: AlertRule): Promise<unknown>;
}

export interface AlertEvaluatorOptions {
  store: AlertStore;
  rules: AlertRuleSet;
  clock: Clock;
  notifier?: AlertNotifier;
  intervalMs?: number;
  evaluationDelayMs?: number;
  onError?: (error: unknown) => void;
}

export const DEFAULT_ALERT_INTERVAL_MS = 15_000;
/** The default quiet period (2 s) plus time to analyse and store. */
export const DEFAULT_EVALUATION_DELAY_MS = 5_000;

export class AlertEvaluator {
  private readonly states = new Map<string, AlertRuleState>();
  private timer: unknown;
  private running: Promise<AlertEvent[]> | undefined;
  private readonly notifications = new Set<Promise<unknown>>();

  /**
   * An edited rule keeps its state: if the edit ends a breach, the next evaluation resolves it
   * and says so, rather than the alert vanishing. Deleted and disabled rules drop their state.
   */
  constructor(private readonly options: AlertEvaluatorOptions) {}

  /** Restores each rule's state from its newest event, so a restart does not notify again. */
  async restore(): Promise<void> {
    for (const event of await this.options.store.latestAlertEvents()) {
      if (!this.options.rules.get(event.ruleId)) continue;
      this.states.set(event.ruleId, {
        ruleId: event.ruleId,
        state: event.toState,
        sinceMs: event.atMs,
        evaluatedAtMs: null,
        value: event.value,
        sampleCount: event.sampleCount,
        examples: event.examples,
      });
    }
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = this.options.clock.setInterval(() => {
      void this.evaluate().catch((error) => this.options.onError?.(error));
    }, this.options.intervalMs ?? DEFAULT_ALERT_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) this.options.clock.clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await this.idle();
  }

  /** Resolves when the notifications started so far have settled. */
  async idle(): Promise<void> {
    while (this.notifications.size > 0) await Promise.allSettled([...this.notifications]);
  }

  /** The time an evaluation now looks up to. */
  evaluationTimeMs(): number {
    return this.options.clock.nowMs() - (this.options.evaluationDelayMs ?? DEFAULT_EVALUATION_DELAY_MS);
  }

  /** Current state of a rule (ok until first evaluated). */
  stateOf(rule: AlertRule): AlertRuleState {
    return this.states.get(rule.id) ?? initialAlertState(rule.id, this.evaluationTimeMs());
  }

  /** One evaluation of every enabled rule; runs are serialised. Returns the events recorded. */
  evaluate(): Promise<AlertEvent[]> {
    const run = (this.running ?? Promise.resolve([])).catch(() => []).then(() => this.evaluateNow());
    this.running = run;
    return run;
  }

  private async evaluateNow(): Promise<AlertEvent[]> {
    const nowMs = this.evaluationTimeMs();
    const rules = this.options.rules.list().filter((rule) => rule.enabled);
    for (const id of this.states.keys()) if (!rules.some((rule) => rule.id === id)) this.states.delete(id);
    if (rules.length === 0) return [];

    // Queries of all rules run together (the store reads on several connections); transitions in rule order.
    const observations = await Promise.all(rules.map((rule) => this.observe(rule, nowMs)));
    const events: AlertEvent[] = [];
    for (const [index, rule] of rules.entries()) {
      const observation = observations[index];
      const step = advanceAlertState(this.stateOf(rule), observation, rule, nowMs);
      this.states.set(rule.id, step.state);
      if (!step.transition) continue;
      const event: AlertEvent = {
        id: `${rule.id}-${nowMs}-${randomUUID().slice(0, 8)}`,
        ruleId: rule.id,
        ruleName: rule.name,
        fromState: step.transition.fromState,
        toState: step.transition.toState,
        atMs: nowMs,
        value: observation.value,
        threshold: rule.threshold,
        windowMs: rule.windowMs,
        sampleCount: observation.sampleCount,
        examples: step.state.examples,
      };
      await this.options.store.appendAlertEvent(event);
      events.push(event);
      const notifier = this.options.notifier;
      if (notifier && isNotifiedTransition(event)) this.track(Promise.resolve().then(() => notifier.notify(event, rule)));
    }
    return events;
  }

  /** One rule's verdict at `nowMs`, from the store's answers to the rule's window queries. */
  observe(rule: AlertRule, nowMs: number) {
    return Promise.all(alertStatsQueries(rule, nowMs).map((query) => this.options.store.alertWindowStats(query))).then((stats) =>
      observeAlertStats(rule, stats),
    );
  }

  private track(notification: Promise<unknown>): void {
    const guarded = notification.catch((error) => this.options.onError?.(error));
    this.notifications.add(guarded);
    void guarded.finally(() => this.notifications.delete(guarded));
  }
}
