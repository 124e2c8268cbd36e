import { createEcmaScriptSpec } from './ecmascript-spec.ts';

/** TSX: TypeScript with JSX, a separate grammar in the tree-sitter-typescript package. */
export const tsxSpec = createEcmaScriptSpec({
  language: 'tsx',
  extensions: ['.tsx'],
  grammar: { packageName: 'tree-sitter-typescript', wasmFile: 'tree-sitter-tsx.wasm' },
  typed: true,
});
