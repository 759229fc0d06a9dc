export { seededRandom, seedFor, xoshiro128StarStar, type UniformRandom } from './seeded-random.js';
export {
  bootstrapPercentileRatio,
  resampledPercentileSorted,
  type RatioBootstrapOptions,
  type RatioInterval,
} from './bootstrap-percentile.js';
export {
  compareTaskClasses,
  minTasksFor,
  type ClassComparison,
  type CompareOptions,
  type ComparisonStatus,
} from './compare-task-classes.js';
