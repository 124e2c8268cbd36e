import { describe, expect, it } from 'vitest';
import type { CodeLanguage, FileFacts, ImportFact } from './file-facts.ts';
import { emptyImportResolutionConfig, type ImportResolutionConfig } from './import-resolution-config.ts';
import { createImportResolver } from './resolve-imports.ts';

function file(path: string, language: CodeLanguage, packageName?: string, types: string[] = []): FileFacts {
  return {
    path,
    language,
    hash: path,
    lines: 1,
    ...(packageName === undefined ? {} : { packageName }),
    isTest: path.includes('_test') || path.includes('.test.'),
    definitions: types.map((name) => ({
      id: `${path}#${name}`,
      name,
      qualifiedName: name,
      kind: 'class' as const,
      range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
      signature: name,
      exported: true,
      extends: [],
      implements: [],
      decorators: [],
      complexity: 1,
    })),
    imports: [],
    references: [],
    tables: [],
    parseErrors: [],
  };
}

const fact = (specifier: string, names: ImportFact['names'] = []): ImportFact => ({
  specifier,
  names,
  line: 1,
  kind: 'static',
  typeOnly: false,
});

function resolverFor(files: FileFacts[], config: Partial<ImportResolutionConfig> = {}) {
  const resolve = createImportResolver(files, { ...emptyImportResolutionConfig, ...config });
  const byPath = new Map(files.map((entry) => [entry.path, entry]));
  return (from: string, specifier: string, names?: ImportFact['names']) => {
    const importer = byPath.get(from);
    if (importer === undefined) throw new Error(`no fixture file ${from}`);
    return resolve(importer, fact(specifier, names));
  };
}

describe('createImportResolver', () => {
  it('resolves TypeScript paths with written .js extensions, index files, baseUrl and workspace packages', () => {
    const resolve = resolverFor(
      [
        file('apps/web/src/main.tsx', 'tsx'),
        file('apps/web/src/app.tsx', 'tsx'),
        file('apps/web/src/lib/format.ts', 'typescript'),
        file('apps/web/src/components/index.ts', 'typescript'),
        file('apps/web/src/legacy.js', 'javascript'),
        file('packages/ui/src/index.ts', 'typescript'),
        file('packages/ui/src/button.ts', 'typescript'),
      ],
      {
        typescript: [{ directory: 'apps/web', baseUrl: 'apps/web/src', paths: {} }],
        packages: [{ directory: 'packages/ui', name: '@acme/ui', entry: 'packages/ui/dist/index.js' }],
      },
    );
    expect(resolve('apps/web/src/main.tsx', './app.js').targets).toEqual(['apps/web/src/app.tsx']);
    expect(resolve('apps/web/src/main.tsx', './components').targets).toEqual([
      'apps/web/src/components/index.ts',
    ]);
    expect(resolve('apps/web/src/main.tsx', './legacy.js').targets).toEqual(['apps/web/src/legacy.js']);
    expect(resolve('apps/web/src/main.tsx', 'lib/format').targets).toEqual(['apps/web/src/lib/format.ts']);
    expect(resolve('apps/web/src/main.tsx', '@acme/ui').targets).toEqual(['packages/ui/src/index.ts']);
    expect(resolve('apps/web/src/main.tsx', '@acme/ui/button').targets).toEqual([
      'packages/ui/src/button.ts',
    ]);
    expect(resolve('apps/web/src/main.tsx', '@tanstack/react-query/devtools')).toEqual({
      targets: [],
      external: '@tanstack/react-query',
      packageImport: false,
    });
    expect(resolve('apps/web/src/main.tsx', 'node:fs').external).toBe('node:fs');
    expect(resolve('apps/web/src/main.tsx', './missing').targets).toEqual([]);
  });

  it('resolves Python modules in a src layout, preferring the copy nearest the importer', () => {
    const resolve = resolverFor([
      file('src/shop/__init__.py', 'python'),
      file('src/shop/models.py', 'python'),
      file('src/shop/api/views.py', 'python'),
      file('tools/shop/models.py', 'python'),
      file('tools/run.py', 'python'),
    ]);
    expect(resolve('src/shop/api/views.py', 'shop.models').targets).toEqual(['src/shop/models.py']);
    expect(resolve('tools/run.py', 'shop.models').targets).toEqual(['tools/shop/models.py']);
    expect(resolve('src/shop/api/views.py', '..models').targets).toEqual(['src/shop/models.py']);
    expect(resolve('src/shop/api/views.py', '..', [{ imported: 'models', local: 'models' }]).targets).toEqual(
      ['src/shop/__init__.py', 'src/shop/models.py'],
    );
    expect(resolve('src/shop/api/views.py', 'requests.adapters').external).toBe('requests');
  });

  it('resolves Java classes, nested and static members, and wildcards by package', () => {
    const resolve = resolverFor([
      file('src/com/acme/Money.java', 'java', 'com.acme', ['Money']),
      file('src/com/acme/Order.java', 'java', 'com.acme', ['Order']),
      file('src/com/acme/app/App.java', 'java', 'com.acme.app', ['App']),
    ]);
    expect(resolve('src/com/acme/app/App.java', 'com.acme.Money').targets).toEqual([
      'src/com/acme/Money.java',
    ]);
    expect(resolve('src/com/acme/app/App.java', 'com.acme.Money.Currency').targets).toEqual([
      'src/com/acme/Money.java',
    ]);
    const wildcard = resolve('src/com/acme/app/App.java', 'com.acme', [{ imported: '*', local: '*' }]);
    expect(wildcard).toEqual({
      targets: ['src/com/acme/Money.java', 'src/com/acme/Order.java'],
      packageImport: true,
    });
    expect(resolve('src/com/acme/app/App.java', 'java.util.Map.Entry').external).toBe('java.util');
    expect(resolve('src/com/acme/app/App.java', 'org.junit', [{ imported: '*', local: '*' }]).external).toBe(
      'org.junit',
    );
  });

  it('resolves Go packages by module path, leaving test files to tests, and by folder suffix without go.mod', () => {
    const files = [
      file('svc/cmd/main.go', 'go', 'main'),
      file('svc/cmd/main_test.go', 'go', 'main'),
      file('svc/internal/store/store.go', 'go', 'store'),
      file('svc/internal/store/store_test.go', 'go', 'store'),
    ];
    const withModule = resolverFor(files, {
      goModules: [{ directory: 'svc', modulePath: 'github.com/acme/svc' }],
    });
    expect(withModule('svc/cmd/main.go', 'github.com/acme/svc/internal/store')).toEqual({
      targets: ['svc/internal/store/store.go'],
      packageImport: true,
    });
    expect(withModule('svc/cmd/main_test.go', 'github.com/acme/svc/internal/store').targets).toHaveLength(2);
    expect(withModule('svc/cmd/main.go', 'github.com/other/lib').external).toBe('github.com/other/lib');
    const withoutModule = resolverFor(files);
    expect(withoutModule('svc/cmd/main.go', 'github.com/acme/svc/internal/store').targets).toEqual([
      'svc/internal/store/store.go',
    ]);
    expect(withoutModule('svc/cmd/main.go', 'net/http').external).toBe('net/http');
  });
});
