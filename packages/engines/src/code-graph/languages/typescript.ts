import { createEcmaScriptSpec } from './ecmascript-spec.ts';

/** TypeScript (`.ts`, `.mts`, `.cts`), from the official tree-sitter-typescript grammar. */
export const typescriptSpec = createEcmaScriptSpec({
  language: 'typescript',
  extensions: ['.ts', '.mts', '.cts'],
  grammar: { packageName: 'tree-sitter-typescript', wasmFile: 'tree-sitter-typescript.wasm' },
  typed: true,
});
