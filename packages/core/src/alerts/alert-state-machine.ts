import type { AlertObservation, AlertRule, AlertRuleState, AlertStateName } from './types.js';

/**
 * The life of an alert, one evaluation at a time:
 *
 * ```
 *            breach                 breach held ≥ holdMs
 *   ok ──────────────► pending ─────────────────────────► firing
 *   ▲ ◄──────────────────┘  healthy or no data               │
 *   │                                                        │ healthy
 *   └──────────── (next breach → pending) ◄── resolved ◄─────┘
 * ```
 *
 * - `holdMs` 0 goes from ok straight to firing.
 * - No data (too few samples) is not recovery: a firing alert stays firing until a window with
 *   enough samples is back under the threshold, so a traffic drop during an incident does not
 *   "resolve" it; a pending alert goes back to ok, since the breach was not seen to last.
 * - Each transition is reported once; staying in a state reports nothing, so notifications that
 *   follow transitions are never duplicated.
 */
export interface AlertTransition {
  fromState: AlertStateName;
  toState: AlertStateName;
  atMs: number;
}

export interface AlertStep {
  state: AlertRuleState;
  transition: AlertTransition | null;
}

export function initialAlertState(ruleId: string, nowMs: number): AlertRuleState {
  return { ruleId, state: 'ok', sinceMs: nowMs, evaluatedAtMs: null, value: null, sampleCount: 0, examples: [] };
}

export function advanceAlertState(
  previous: AlertRuleState,
  observation: AlertObservation,
  rule: Pick<AlertRule, 'holdMs'>,
  nowMs: number,
): AlertStep {
  const next = nextStateName(previous, observation.breaching, rule.holdMs, nowMs);
  const changed = next !== previous.state;
  const state: AlertRuleState = {
    ruleId: previous.ruleId,
    state: next,
    sinceMs: changed ? nowMs : previous.sinceMs,
    evaluatedAtMs: nowMs,
    value: observation.value,
    sampleCount: observation.sampleCount,
    // A firing alert keeps the examples that made it fire when the window has no data.
    examples: observation.breaching === null && next === 'firing' ? previous.examples : observation.examples,
  };
  return { state, transition: changed ? { fromState: previous.state, toState: next, atMs: nowMs } : null };
}

function nextStateName(previous: AlertRuleState, breaching: boolean | null, holdMs: number, nowMs: number): AlertStateName {
  switch (previous.state) {
    case 'ok':
    case 'resolved':
      if (breaching !== true) return previous.state;
      return holdMs <= 0 ? 'firing' : 'pending';
    case 'pending':
      if (breaching !== true) return 'ok';
      return nowMs - previous.sinceMs >= holdMs ? 'firing' : 'pending';
    case 'firing':
      return breaching === false ? 'resolved' : 'firing';
  }
}

/** Transitions users hear about: an alert starting to fire, and one resolving. */
export function isNotifiedTransition(transition: Pick<AlertTransition, 'toState'>): boolean {
  return transition.toState === 'firing' || transition.toState === 'resolved';
}
