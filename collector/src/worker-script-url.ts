import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The URL to start a worker thread's script `name` (without extension) that sits beside the
 * module at `moduleUrl`. Run from the TypeScript sources (the test runner does), the thread first
 * registers tsx, a development dependency, to load them; the build runs plain JavaScript.
 */
export function workerScriptUrl(moduleUrl: string, name: string): URL {
  if (!moduleUrl.endsWith('.ts')) return new URL(`./${name}.js`, moduleUrl);
  const require = createRequire(moduleUrl);
  const tsxPackage = require.resolve('tsx/package.json');
  const tsxApi = new URL(
    (require(tsxPackage) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default,
    pathToFileURL(tsxPackage),
  );
  const script = new URL(`./${name}.ts`, moduleUrl);
  const bootstrap = `import { register } from ${JSON.stringify(tsxApi.href)}; register(); await import(${JSON.stringify(script.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
