import express, { type RequestHandler } from 'express';
import { RECOMMENDATION_RULES, type FindingRuleId, type WhatIfRequest } from '@threshold/core';
import { optionalString, QueryParamError, windowParams } from '../query/query-params.js';
import type { RouteModule } from '../routes/route-module.js';
import { rankWindow } from './rank-window.js';
import type { RecommendationEngine } from './recommendation-engine.js';
import { whatIfTrace, whatIfWindow } from './what-if.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
const RULE_IDS: readonly FindingRuleId[] = RECOMMENDATION_RULES.map((rule) => rule.id);

/** Parses a JSON body; a malformed one is a 400 like any bad parameter. */
const jsonBody: RequestHandler = (request, response, next) =>
  express.json({ limit: '64kb' })(request, response, (error?: unknown) => next(error ? new QueryParamError(`the body must be JSON: ${error instanceof Error ? error.message : String(error)}`) : undefined));

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
      app.post('/api/whatif', jsonBody, async (request, response) => {
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
        response.json(await whatIfWindow(store, engine, { from: body.from, to: body.to, taskClass: body.taskClass, service: body.service }, options));
      });
    },
  };
}

/** Validates a what-if body; a bad one is a 400 with the reason. */
export function parseWhatIfRequest(body: unknown): WhatIfRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new QueryParamError('the body must be a JSON object');
  const raw = body as Record<string, unknown>;
  const request: WhatIfRequest = {};
  if (raw.traceId !== undefined) {
    if (typeof raw.traceId !== 'string' || !TRACE_ID.test(raw.traceId.toLowerCase())) throw new QueryParamError('traceId must be 32 hex characters');
    request.traceId = raw.traceId.toLowerCase();
  }
  for (const key of ['from', 'to'] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== 'number' || !Number.isFinite(raw[key]) || (raw[key] as number) < 0) throw new QueryParamError(`${key} must be epoch ms`);
    request[key] = raw[key] as number;
  }
  if (request.from !== undefined && request.to !== undefined && request.to < request.from) throw new QueryParamError('to must not be before from');
  for (const key of ['taskClass', 'service'] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== 'string') throw new QueryParamError(`${key} must be a string`);
    request[key] = raw[key] as string;
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
