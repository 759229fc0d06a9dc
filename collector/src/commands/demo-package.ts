/**
 * `threshold demo`'s agents and model servers come from `@threshold/demo`, which brings the
 * openai and Anthropic SDKs with it. The collector declares it an optional peer dependency: a
 * Threshold checkout (`npm ci`) has it, a server install of the collector does not, and only the
 * demo's worker thread (demo-worker.ts) loads it, so `threshold start` never does.
 */
export const DEMO_PACKAGE = '@threshold/demo';

/**
 * Why `threshold demo` cannot run here (the demo package does not resolve), or undefined when it
 * can. Asked before the demo starts anything, so a server install answers with what to do instead
 * of a worker thread failing to load.
 */
export function demoPackageMissing(): string | undefined {
  try {
    import.meta.resolve(DEMO_PACKAGE);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return (
      `the demo needs the ${DEMO_PACKAGE} package (simulated agents and model servers), which an install of the ` +
      `collector alone leaves out: run the demo from a Threshold checkout (npm ci && npm run demo)`
    );
  }
}
