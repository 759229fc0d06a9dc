export * from './category.js';
export * from './ux-band.js';
export * from './percentile.js';
export * from './span-record.js';
export * from './trace-span.js';
export * from './api-types.js';
export * from './task-class.js';
export * from './analysis-types.js';
