export { RecommendationEngine, type RecommendationEngineOptions } from './recommendation-engine.js';
export { recommendationRoutes, parseWhatIfRequest } from './recommendation-routes.js';
export { rankWindow } from './rank-window.js';
export { whatIfTrace, whatIfWindow, type WhatIfOptions } from './what-if.js';
