/**
 * Every workspace package declares exactly what its sources import: a package imported at run
 * time is a dependency (or a peer), one imported for types only may also be a dev dependency, and
 * nothing is declared that no source imports. Read from the sources with TypeScript's parser, so
 * `import type`, `export … from`, `import('…')` and `import('…').Type` all count.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../cli/run-cli.js';

interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

interface Imports {
  runtime: string[];
  typeOnly: string[];
}

const PACKAGES = ['packages/core', 'packages/sdk', 'collector', 'packages/demo', 'dashboard'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) ? [path] : [];
  });
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBare = (specifier: string) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier);

function importsOf(packageDir: string): Imports {
  const runtime = new Set<string>();
  const typeOnly = new Set<string>();
  for (const file of sourceFiles(join(REPOSITORY_ROOT, packageDir, 'src'))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      let specifier: string | undefined;
      let types = false;
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        specifier = node.moduleSpecifier.text;
        const clause = node.importClause;
        const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
        types =
          clause !== undefined &&
          (clause.isTypeOnly || (!clause.name && named !== undefined && named.length > 0 && named.every((element) => element.isTypeOnly)));
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        specifier = node.moduleSpecifier.text;
        types = node.isTypeOnly;
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments.length > 0 &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        specifier = node.arguments[0].text;
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        specifier = node.argument.literal.text;
        types = true;
      }
      if (specifier !== undefined && isBare(specifier)) (types ? typeOnly : runtime).add(packageName(specifier));
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { runtime: [...runtime].sort(), typeOnly: [...typeOnly].filter((name) => !runtime.has(name)).sort() };
}

const manifestOf = (packageDir: string) => JSON.parse(readFileSync(join(REPOSITORY_ROOT, packageDir, 'package.json'), 'utf8')) as Manifest;

describe('declared dependencies', () => {
  it.each(PACKAGES)('%s declares every package its sources import, and only those', (packageDir) => {
    const { runtime, typeOnly } = importsOf(packageDir);
    const manifest = manifestOf(packageDir);
    const shipped = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
    const declaredForBuild = [...shipped, ...Object.keys(manifest.devDependencies ?? {})];
    expect({
      runtimeNotShipped: runtime.filter((name) => !shipped.includes(name)),
      typesNotDeclared: typeOnly.filter((name) => !declaredForBuild.includes(name)),
      shippedNotImported: Object.keys(manifest.dependencies ?? {}).filter((name) => !runtime.includes(name) && !typeOnly.includes(name)),
    }).toEqual({ runtimeNotShipped: [], typesNotDeclared: [], shippedNotImported: [] });
  });

  it('gives the collector the domain as a dependency and the demo only as an optional peer', () => {
    const manifest = manifestOf('collector');
    expect({
      core: manifest.dependencies?.['@threshold/core'],
      demoDependency: manifest.dependencies?.['@threshold/demo'],
      demoPeer: [manifest.peerDependencies?.['@threshold/demo'], manifest.peerDependenciesMeta?.['@threshold/demo']],
    }).toEqual({ core: '0.1.0', demoDependency: undefined, demoPeer: ['0.1.0', { optional: true }] });
  });
});
