import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Tests import the workspace packages from their TypeScript sources, so a test run never reads a
 * stale build. Tests that start a real collector process use the build that `npm test` makes first.
 */
export default defineConfig({
  resolve: {
    alias: {
      '@threshold/core': here('./packages/core/src/index.ts'),
      '@threshold/sdk': here('./packages/sdk/src/index.ts'),
      '@threshold/collector': here('./collector/src/index.ts'),
      '@threshold/demo': here('./packages/demo/src/index.ts'),
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
