import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Guards the acceptance fixture of issue 8 (fixtures/monolith): the decomposition and "explain" tests score
// against expected-services.json and expected-structure.json, so those files must stay true to the code.

const fixtureRoot = fileURLToPath(new URL('../../fixtures/monolith', import.meta.url));

interface ExpectedServices {
  services: Record<string, string[]>;
  shared: string[];
  tables: Record<string, string[]>;
}

interface EntryPoint {
  kind: 'http' | 'cli' | 'scheduled-job';
  method?: string;
  path?: string;
  command?: string;
  name?: string;
  file: string;
  line: number;
}

interface ExpectedSymbol {
  id: string;
  file: string;
  line: number;
  publicMethods: string[];
  dependencies: string[];
  crossServiceDependencies: string[];
  dependents: string[];
  entryPoints: EntryPoint[];
  tests: string[];
  testsReferencingOnlyAsType: string[];
}

interface TopLevelDeclaration {
  id: string;
  name: string;
  file: string;
  line: number;
  node: ts.ClassDeclaration | ts.FunctionDeclaration;
}

function listTypeScriptFiles(directory: string): string[] {
  return readdirSync(directory)
    .flatMap((name) => {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) return listTypeScriptFiles(path);
      return path.endsWith('.ts') ? [path] : [];
    })
    .sort();
}

function readJson<TValue>(name: string): TValue {
  return JSON.parse(readFileSync(join(fixtureRoot, name), 'utf8')) as TValue;
}

const sourceFiles = listTypeScriptFiles(join(fixtureRoot, 'src'));
const testFiles = listTypeScriptFiles(join(fixtureRoot, 'tests'));
const program = ts.createProgram([...sourceFiles, ...testFiles], {
  noResolve: true,
  noLib: true,
  target: ts.ScriptTarget.ES2022,
});

function parsed(path: string): ts.SourceFile {
  const sourceFile = program.getSourceFile(path);
  if (!sourceFile) throw new Error(`TypeScript did not load ${path}`);
  return sourceFile;
}

function topLevelDeclarations(paths: readonly string[]): TopLevelDeclaration[] {
  return paths.flatMap((path) => {
    const sourceFile = parsed(path);
    return sourceFile.statements.flatMap((statement) => {
      if (!(ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) || !statement.name)
        return [];
      const file = relative(fixtureRoot, path);
      const line = sourceFile.getLineAndCharacterOfPosition(statement.name.getStart(sourceFile)).line + 1;
      return [
        { id: `${file}#${statement.name.text}`, name: statement.name.text, file, line, node: statement },
      ];
    });
  });
}

/** Names of `candidates` used as identifiers inside `node` (property names after a dot are not uses). */
function referencedNames(node: ts.Node, candidates: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  // Parent pointers are not set on a program's files before binding, so the parent travels with the walk.
  const visit = (child: ts.Node, parent: ts.Node): void => {
    if (ts.isIdentifier(child) && candidates.has(child.text)) {
      const isMemberName = ts.isPropertyAccessExpression(parent) && parent.name === child;
      const isOwnName =
        (ts.isClassDeclaration(parent) || ts.isFunctionDeclaration(parent)) && parent.name === child;
      if (!isMemberName && !isOwnName) found.add(child.text);
    }
    ts.forEachChild(child, (grandchild) => visit(grandchild, child));
  };
  ts.forEachChild(node, (child) => visit(child, node));
  return found;
}

const declarations = topLevelDeclarations(sourceFiles);
const declarationByName = new Map(declarations.map((declaration) => [declaration.name, declaration]));
const expectedServices = readJson<ExpectedServices>('expected-services.json');
const expectedStructure = readJson<{ symbols: Record<string, ExpectedSymbol> }>('expected-structure.json');

describe('fixtures/monolith', () => {
  it('parses every file without syntax errors', () => {
    const problems = [...sourceFiles, ...testFiles].flatMap((path) =>
      program
        .getSyntacticDiagnostics(parsed(path))
        .map(
          (diagnostic) =>
            `${relative(fixtureRoot, path)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
        ),
    );
    expect(problems).toEqual([]);
  });

  it('has at least 2,000 non-blank lines of application code', () => {
    const nonBlank = sourceFiles
      .map(
        (path) =>
          readFileSync(path, 'utf8')
            .split('\n')
            .filter((line) => line.trim() !== '').length,
      )
      .reduce((sum, count) => sum + count, 0);
    expect(nonBlank).toBeGreaterThanOrEqual(2000);
  });

  it('keeps test files free of top-level classes and functions, so expected-services.json covers everything', () => {
    expect(topLevelDeclarations(testFiles).map((declaration) => declaration.id)).toEqual([]);
  });

  it('lists every top-level class and function exactly once in expected-services.json', () => {
    const listed = [...Object.values(expectedServices.services).flat(), ...expectedServices.shared];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(declarations.map((declaration) => declaration.id).sort());
    expect(declarationByName.size).toBe(declarations.length);
    expect(Object.keys(expectedServices.services).length).toBeGreaterThanOrEqual(4);
  });

  it('defeats a clustering that only reads folder names (below 85% even with the best folder-to-service mapping)', () => {
    const members = Object.entries(expectedServices.services).flatMap(([service, ids]) =>
      ids.map((id) => ({ service, folder: id.split('/').slice(0, 2).join('/') })),
    );
    const byFolder = new Map<string, Map<string, number>>();
    for (const member of members) {
      const counts = byFolder.get(member.folder) ?? new Map<string, number>();
      counts.set(member.service, (counts.get(member.service) ?? 0) + 1);
      byFolder.set(member.folder, counts);
    }
    const correct = [...byFolder.values()].reduce((sum, counts) => sum + Math.max(...counts.values()), 0);
    expect(correct / members.length).toBeLessThan(0.85);
  });

  it('uses every table listed as owned by a service in some SQL string', () => {
    const allText = sourceFiles.map((path) => readFileSync(path, 'utf8')).join('\n');
    const missing = Object.values(expectedServices.tables)
      .flat()
      .filter((table) => !new RegExp(`\\b(FROM|JOIN|INTO|UPDATE)\\s+${table}\\b`).test(allText));
    expect(missing).toEqual([]);
  });

  describe.each(Object.entries(expectedStructure.symbols))(
    'expected-structure.json: %s',
    (name, expected) => {
      const declaration = declarationByName.get(name);
      const names = new Set(declarationByName.keys());

      it('points at the declaration', () => {
        expect(declaration?.id).toBe(expected.id);
        expect(declaration?.line).toBe(expected.line);
      });

      it('lists exactly the top-level symbols it uses as dependencies', () => {
        if (!declaration) throw new Error(`${name} is not declared`);
        // Calls of its own static methods (ShipmentPlanner.groupByWarehouse) are not dependencies.
        const used = [...referencedNames(declaration.node, names)]
          .filter((used) => used !== name)
          .map((used) => declarationByName.get(used)?.id);
        expect([...expected.dependencies].sort()).toEqual(used.sort());
        const service = (id: string): string | undefined =>
          Object.entries(expectedServices.services).find(([, ids]) => ids.includes(id))?.[0];
        const ownService = service(expected.id);
        const crossing = expected.dependencies.filter(
          (id) => service(id) !== undefined && service(id) !== ownService,
        );
        expect([...expected.crossServiceDependencies].sort()).toEqual(crossing.sort());
      });

      it('lists exactly the top-level symbols that use it as dependents', () => {
        const users = declarations
          .filter((other) => other.name !== name && referencedNames(other.node, new Set([name])).size > 0)
          .map((other) => other.id);
        expect([...expected.dependents].sort()).toEqual(users.sort());
      });

      it('names public methods that exist', () => {
        if (!declaration || !ts.isClassDeclaration(declaration.node))
          throw new Error(`${name} is not a class`);
        const methods = declaration.node.members.flatMap((member) =>
          ts.isMethodDeclaration(member) &&
          ts.isIdentifier(member.name) &&
          !(ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Private)
            ? [member.name.text]
            : [],
        );
        expect([...expected.publicMethods].sort()).toEqual(methods.sort());
      });

      it('cites entry points at the lines that register them', () => {
        for (const entryPoint of expected.entryPoints) {
          const line =
            readFileSync(join(fixtureRoot, entryPoint.file), 'utf8').split('\n')[entryPoint.line - 1] ?? '';
          const marker =
            entryPoint.kind === 'http'
              ? `router.${entryPoint.method?.toLowerCase()}('${entryPoint.path}',`
              : entryPoint.kind === 'cli'
                ? `case '${entryPoint.command}':`
                : `daily('${entryPoint.name}'`;
          expect(line).toContain(marker);
        }
      });

      it('lists the tests that reference it', () => {
        const referencing = testFiles
          .filter((path) => referencedNames(parsed(path), new Set([name])).size > 0)
          .map((path) => relative(fixtureRoot, path));
        expect([...expected.tests, ...expected.testsReferencingOnlyAsType].sort()).toEqual(
          referencing.sort(),
        );
        for (const test of expected.testsReferencingOnlyAsType) {
          expect(readFileSync(join(fixtureRoot, test), 'utf8')).toMatch(
            new RegExp(`import \\{ type ${name} \\}`),
          );
        }
      });
    },
  );
});
