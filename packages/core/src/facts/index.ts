export { budgetOfClass } from './class-budget.js';
export { type FactCategory, OPERATION_CATEGORIES, type OperationCategory } from './operation-category.js';
export { type SpanFacts, spanFactsOf } from './span-facts.js';
export { type TraceFacts, traceFacts } from './trace-facts.js';
