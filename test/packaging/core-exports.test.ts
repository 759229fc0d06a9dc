/**
 * Core's index exports what the other packages use, and they use only what it exports: every value
 * it exports is imported by the collector, the SDK, the demo, the dashboard or a benchmark, and
 * every name a benchmark imports from the built core exists (the benchmarks are plain JavaScript,
 * so no compiler checks them). Tests import core's internals from their source paths instead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@threshold/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../cli/run-cli.js';

const USERS = ['collector/src', 'packages/sdk/src', 'packages/demo/src', 'dashboard/src', 'bench', 'scripts'];
/** How each kind of user names core: the workspace package, or (benchmarks) its build. */
const CORE_SPECIFIERS = ['@threshold/core', '../packages/core/dist/index.js'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(tsx?|mjs)$/.test(entry) ? [path] : [];
  });
}

/** Names imported from core, by file (relative to the repository). */
function importsFromCore(): Map<string, string[]> {
  const imports = new Map<string, string[]>();
  for (const file of USERS.flatMap((dir) => files(join(REPOSITORY_ROOT, dir)))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      if (!CORE_SPECIFIERS.includes(statement.moduleSpecifier.text)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      const names = bindings.elements.map((element) => (element.propertyName ?? element.name).text);
      imports.set(file.slice(REPOSITORY_ROOT.length), [...(imports.get(file.slice(REPOSITORY_ROOT.length)) ?? []), ...names]);
    }
  }
  return imports;
}

describe("core's index", () => {
  const imports = importsFromCore();
  const imported = new Set([...imports.values()].flat());

  it('exports no value that no other package imports', () => {
    expect(Object.keys(core).filter((name) => !imported.has(name))).toEqual([]);
  });

  it('exports every name the benchmarks import from the built core', () => {
    const missing = [...imports]
      .filter(([file]) => file.startsWith('bench/') || file.startsWith('scripts/'))
      .flatMap(([file, names]) => names.filter((name) => !(name in core)).map((name) => `${file}: ${name}`));
    expect(missing).toEqual([]);
  });
});
