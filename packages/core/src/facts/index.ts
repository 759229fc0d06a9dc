export { budgetOfClass } from './class-budget.js';
export { type FactCategory, type SpanFacts, spanFactsOf } from './span-facts.js';
export { type TraceFacts, traceFacts } from './trace-facts.js';
