import type { RecommendationRule } from '../rule.js';
import { cacheToolResultsRule } from './cache-tool-results.js';
import { compressContextRule } from './compress-context.js';
import { orchestrationOverheadRule } from './orchestration-overhead.js';
import { parallelizeToolsRule } from './parallelize-tools.js';
import { prewarmRule } from './prewarm.js';
import { routeModelRule } from './route-model.js';
import { speculateRule } from './speculate.js';
import { stateOverheadRule } from './state-overhead.js';
import { streamAnswerRule } from './stream-answer.js';
import { streamStallRule } from './stream-stall.js';

export {
  cacheToolResultsRule,
  compressContextRule,
  orchestrationOverheadRule,
  parallelizeToolsRule,
  prewarmRule,
  routeModelRule,
  speculateRule,
  stateOverheadRule,
  streamAnswerRule,
  streamStallRule,
};

/** Every rule, in the order docs/DESIGN.md lists their ids. */
export const RECOMMENDATION_RULES: readonly RecommendationRule[] = [
  streamAnswerRule,
  routeModelRule,
  compressContextRule,
  parallelizeToolsRule,
  cacheToolResultsRule,
  prewarmRule,
  speculateRule,
  stateOverheadRule,
  orchestrationOverheadRule,
  streamStallRule,
];
