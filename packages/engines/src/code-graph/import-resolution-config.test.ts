import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readImportResolutionConfig } from './import-resolution-config.ts';

let root: string;
const write = (relative: string, content: string): void => {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), content);
};
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plumb-config-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

it('reads tsconfig paths through relative extends, go.mod module paths and workspace package names', async () => {
  write(
    'tsconfig.base.json',
    '{ /* shared */ "compilerOptions": { "baseUrl": "./", "paths": { "@lib/*": ["libs/*/src"], }, }, }',
  );
  write(
    'apps/web/tsconfig.json',
    '{ "extends": "../../tsconfig.base.json", // inherits paths\n "compilerOptions": {} }',
  );
  write('apps/web/src/main.ts', '');
  write(
    'apps/api/tsconfig.json',
    '{ "extends": "../../tsconfig.base", "compilerOptions": { "paths": { "~/*": ["./src/*"] } } }',
  );
  write('apps/api/src/main.ts', '');
  write('services/billing/go.mod', 'module github.com/acme/billing // the module\n\ngo 1.22\n');
  write('services/billing/cmd/main.go', '');
  write(
    'libs/ui/package.json',
    '{ "name": "@acme/ui", "main": "./dist/index.js", "source": "src/index.ts" }',
  );
  write('libs/ui/src/index.ts', '');
  write('libs/core/package.json', '{ "name": "@acme/core", "exports": { ".": "./src/main.ts" } }');
  write('libs/core/src/main.ts', '');
  write('libs/broken/package.json', '{ nope');
  write('libs/broken/index.ts', '');
  const { config, warnings } = await readImportResolutionConfig(root, [
    'apps/web/src/main.ts',
    'apps/api/src/main.ts',
    'services/billing/cmd/main.go',
    'libs/ui/src/index.ts',
    'libs/broken/index.ts',
    'libs/core/src/main.ts',
  ]);
  expect(config.typescript).toEqual([
    // With an inherited baseUrl, paths are relative to it (the root), as TypeScript resolves them.
    { directory: 'apps/api', baseUrl: '', paths: { '~/*': ['src/*'] } },
    { directory: 'apps/web', baseUrl: '', paths: { '@lib/*': ['libs/*/src'] } },
  ]);
  expect(config.goModules).toEqual([
    { directory: 'services/billing', modulePath: 'github.com/acme/billing' },
  ]);
  expect(config.packages).toEqual([
    { directory: 'libs/core', name: '@acme/core', entry: 'libs/core/src/main.ts' },
    { directory: 'libs/ui', name: '@acme/ui', entry: 'libs/ui/src/index.ts' },
  ]);
  expect(warnings).toEqual(['libs/broken/package.json: not valid JSON; its package name is not used.']);
});
