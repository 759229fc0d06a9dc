import express, { type NextFunction, type Request, type Response } from 'express';
import {
  alertSeriesStepMs,
  alertSeriesTimes,
  burnRateBucketMs,
  burnRateSeriesFromBuckets,
  firingPeriods,
  type AlertEventsResponse,
  type AlertRuleErrorResponse,
  type AlertRulesResponse,
  type AlertSeriesResponse,
  type AlertsResponse,
} from '@threshold/core';
import {
  checkWindowOrder,
  integerInRange,
  optionalNumber,
  optionalString,
  optionalTimestamp,
  QueryParamError,
} from '../query/query-params.js';
import type { RouteModule } from '../routes/route-module.js';
import type { AlertEvaluator } from './alert-evaluator.js';
import type { AlertRuleChange, AlertRuleSet } from './alert-rule-set.js';
import type { AlertStore } from '../store/alert-store.js';

export interface AlertRoutesDependencies {
  store: AlertStore;
  rules: AlertRuleSet;
  evaluator: AlertEvaluator;
  webhookCount: number;
}

const ALERTS_PATH = '/api/alerts';
const MAX_RULE_BODY = '64kb';
const DEFAULT_SERIES_RANGE_MS = 3_600_000;
const DEFAULT_SERIES_POINTS = 60;
/** Longest range a series may cover, so one request cannot scan months of traces. */
const MAX_SERIES_RANGE_MS = 7 * 86_400_000;

/**
 * `/api/alerts*`: current states, rules (CRUD, validated with a message per field), history with
 * delivery status, and the watched statistic over time for charts.
 */
export function alertRoutes(deps: AlertRoutesDependencies): RouteModule {
  return {
    name: 'alerts',
    register(app) {
      const router = express.Router({ caseSensitive: true, strict: true }); // as the app routes (see app.ts)
      // Only alert routes read a rule body, and only their body errors speak of rules.
      router.use(ALERTS_PATH, express.json({ limit: MAX_RULE_BODY }));

      router.get('/api/alerts', (_request, response) => {
        const body: AlertsResponse = {
          alerts: deps.rules
            .list()
            .map((rule) => ({ rule, state: deps.evaluator.stateOf(rule), source: deps.rules.sourceOf(rule.id) ?? 'api' })),
          webhookCount: deps.webhookCount,
        };
        response.json(body);
      });

      router.get('/api/alerts/rules', (_request, response) => {
        const body: AlertRulesResponse = {
          rules: deps.rules.list().map((rule) => ({ ...rule, source: deps.rules.sourceOf(rule.id) ?? 'api' })),
        };
        response.json(body);
      });

      router.get('/api/alerts/rules/:ruleId', (request, response) => {
        const rule = deps.rules.get(request.params.ruleId as string);
        if (!rule)
          return void answerError(response, { ok: false, status: 404, error: `no alert rule "${request.params.ruleId}"`, fields: {} });
        response.json({ ...rule, source: deps.rules.sourceOf(rule.id) });
      });

      router.post('/api/alerts/rules', async (request, response) => {
        if (!requireJson(request, response)) return;
        answerChange(response, await deps.rules.create(request.body), 201);
      });

      router.put('/api/alerts/rules/:ruleId', async (request, response) => {
        if (!requireJson(request, response)) return;
        answerChange(response, await deps.rules.replace(request.params.ruleId as string, request.body), 200);
      });

      router.delete('/api/alerts/rules/:ruleId', async (request, response) => {
        const change = await deps.rules.remove(request.params.ruleId as string);
        if (!change.ok) return void answerError(response, change);
        response.status(204).end();
      });

      router.get('/api/alerts/events', async (request, response) => {
        const query = request.query as Record<string, unknown>;
        const from = optionalTimestamp(query, 'from');
        const to = optionalTimestamp(query, 'to');
        checkWindowOrder(from, to);
        const events = await deps.store.listAlertEvents({
          ruleId: optionalString(query, 'ruleId'),
          from,
          to,
          limit: integerInRange(query, 'limit', 100, 1, 1_000),
        });
        const deliveries = await deps.store.alertDeliveries(events.map((event) => event.id));
        const body: AlertEventsResponse = {
          events: events.map((event) => ({ ...event, deliveries: deliveries.filter((delivery) => delivery.eventId === event.id) })),
        };
        response.json(body);
      });

      router.get('/api/alerts/rules/:ruleId/series', async (request, response) => {
        const rule = deps.rules.get(request.params.ruleId as string);
        if (!rule)
          return void answerError(response, { ok: false, status: 404, error: `no alert rule "${request.params.ruleId}"`, fields: {} });
        const query = request.query as Record<string, unknown>;
        const to = optionalTimestamp(query, 'to') ?? deps.evaluator.evaluationTimeMs();
        const from = optionalTimestamp(query, 'from') ?? to - DEFAULT_SERIES_RANGE_MS;
        if (to <= from) throw new QueryParamError('to must be after from');
        if (to - from > MAX_SERIES_RANGE_MS)
          throw new QueryParamError(`from and to must be at most ${MAX_SERIES_RANGE_MS} ms (7 days) apart`);
        const stepMs = alertSeriesStepMs(
          from,
          to,
          Math.round(
            optionalNumber(query, 'stepMs', { min: 1_000, max: MAX_SERIES_RANGE_MS }) ?? Math.ceil((to - from) / DEFAULT_SERIES_POINTS),
          ),
        );
        const times = alertSeriesTimes(from, to, stepMs);
        const bucketMs = rule.kind === 'burn-rate' ? burnRateBucketMs(rule, from, to, stepMs) : null;
        let points: AlertSeriesResponse['points'] = [];
        if (rule.kind === 'burn-rate' && bucketMs !== null) {
          // Counts merge across buckets: one grouped count serves every point's two windows.
          const origin = from - rule.windowMs;
          const buckets = await deps.store.alertCountBuckets({ from: origin, to, bucketMs, target: rule.target });
          points = burnRateSeriesFromBuckets(rule, buckets, origin, bucketMs, times);
        } else {
          // Percentiles do not merge: one evaluation per point, each a few indexed window queries.
          for (const t of times) {
            const observation = await deps.evaluator.observe(rule, t);
            points.push({ t, value: observation.value, sampleCount: observation.sampleCount });
          }
        }
        const events = await deps.store.listAlertEvents({ ruleId: rule.id, to: to + 1, limit: 1_000 });
        const body: AlertSeriesResponse = {
          ruleId: rule.id,
          threshold: rule.threshold,
          stepMs,
          points,
          firingPeriods: firingPeriods(events, from, to),
        };
        response.json(body);
      });

      router.use(ALERTS_PATH, (error: unknown, _request: Request, response: Response, next: NextFunction) => {
        const type = (error as { type?: string }).type;
        if (type === 'entity.parse.failed') return void response.status(400).json(errorBody('the body is not valid JSON'));
        if (type === 'entity.too.large') return void response.status(413).json(errorBody(`a rule must be under ${MAX_RULE_BODY}`));
        next(error);
      });
      app.use(router);
    },
  };
}

function requireJson(request: Request, response: Response): boolean {
  if (request.is('application/json')) return true;
  response.status(415).json(errorBody('send the rule as JSON with Content-Type: application/json'));
  return false;
}

function answerChange(response: Response, change: AlertRuleChange, successStatus: number): void {
  if (!change.ok) return answerError(response, change);
  response.status(successStatus).json(change.rule);
}

function answerError(response: Response, change: Extract<AlertRuleChange, { ok: false }>): void {
  const body: AlertRuleErrorResponse = { error: change.error, fields: change.fields };
  response.status(change.status).json(body);
}

function errorBody(error: string): AlertRuleErrorResponse {
  return { error, fields: {} };
}
