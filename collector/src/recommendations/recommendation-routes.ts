import express, { type RequestHandler } from 'express';
import { RECOMMENDATION_RULES, type FindingRuleId, type WhatIfRequest } from '@threshold/core';
import {
  checkRange,
  checkTextLength,
  checkWindowOrder,
  MAX_EPOCH_MS,
  optionalString,
  QueryParamError,
  traceIdParam,
  windowParams,
} from '../query/query-params.js';
import type { RouteModule } from '../routes/route-module.js';
import { rankWindow } from './rank-window.js';
import type { RecommendationEngine } from './recommendation-engine.js';
import { whatIfTrace, whatIfWindow } from './what-if.js';

const RULE_IDS: readonly FindingRuleId[] = RECOMMENDATION_RULES.map((rule) => rule.id);
/** A what-if request is a few ids and numbers; 64 KiB leaves room for every rule id many times over. */
const MAX_WHAT_IF_BODY = '64kb';

/**
 * Parses a what-if body as JSON, answering its own errors (415 for another content type, 413 over
 * the size limit, 400 for malformed JSON) in words about what-if, not about any other route.
 */
const whatIfJsonBody: RequestHandler = (request, response, next) => {
  if (!request.is('application/json')) {
    response.status(415).json({ error: 'send the what-if request as JSON with Content-Type: application/json' });
    return;
  }
  express.json({ limit: MAX_WHAT_IF_BODY })(request, response, (error?: unknown) => {
    if (!error) return next();
    const { type, status } = error as { type?: string; status?: number };
    if (type === 'entity.too.large')
      return void response.status(413).json({ error: `a what-if request must be under ${MAX_WHAT_IF_BODY}` });
    const reason = error instanceof Error ? error.message : String(error);
    const clientStatus = status !== undefined && status >= 400 && status < 500 ? status : 400;
    response.status(clientStatus).json({ error: `the what-if request is not valid JSON: ${reason}` });
  });
};

/**
 * `GET /api/recommendations?from=&to=&taskClass=` (findings ranked by P99 saving) and
 * `POST /api/whatif` (one trace, or a window, projected with findings applied).
 */
export function recommendationRoutes(engine: RecommendationEngine): RouteModule {
  return {
    name: 'recommendations',
    register(app, { store, analyseStoredTrace }) {
      app.get('/api/recommendations', async (request, response) => {
        const query = request.query as Record<string, unknown>;
        response.json(await rankWindow(store, { ...windowParams(query), taskClass: optionalString(query, 'taskClass') }));
      });
      app.post('/api/whatif', whatIfJsonBody, async (request, response) => {
        const body = parseWhatIfRequest(request.body);
        const options = { ruleIds: body.ruleIds, compressionRatio: body.compressionRatio };
        if (body.traceId !== undefined) {
          const analysis = await analyseStoredTrace(body.traceId);
          if (!analysis) {
            response.status(404).json({ error: `trace ${body.traceId} not found` });
            return;
          }
          response.json(whatIfTrace(engine, analysis, options));
          return;
        }
        response.json(
          await whatIfWindow(store, engine, { from: body.from, to: body.to, taskClass: body.taskClass, service: body.service }, options),
        );
      });
    },
  };
}

/** Validates a what-if body; a bad one is a 400 naming the field. */
export function parseWhatIfRequest(body: unknown): WhatIfRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new QueryParamError('the what-if request must be a JSON object');
  const raw = body as Record<string, unknown>;
  const request: WhatIfRequest = {};
  if (raw.traceId !== undefined) request.traceId = traceIdParam('traceId', raw.traceId);
  for (const key of ['from', 'to'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new QueryParamError(`${key} must be a number of epoch ms`);
    request[key] = checkRange(key, value, 0, MAX_EPOCH_MS);
  }
  checkWindowOrder(request.from, request.to);
  for (const key of ['taskClass', 'service'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new QueryParamError(`${key} must be a string`);
    checkTextLength(key, value);
    request[key] = value;
  }
  if (raw.ruleIds !== undefined) {
    if (!Array.isArray(raw.ruleIds) || raw.ruleIds.some((id) => !RULE_IDS.includes(id as FindingRuleId))) {
      throw new QueryParamError(`ruleIds must be a list of ${RULE_IDS.join(', ')}`);
    }
    request.ruleIds = raw.ruleIds as FindingRuleId[];
  }
  if (raw.compressionRatio !== undefined) {
    if (typeof raw.compressionRatio !== 'number' || !(raw.compressionRatio >= 0 && raw.compressionRatio < 1)) {
      throw new QueryParamError('compressionRatio must be a number from 0 up to (not including) 1');
    }
    request.compressionRatio = raw.compressionRatio;
  }
  return request;
}
