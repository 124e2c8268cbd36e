import { createEcmaScriptSpec } from './ecmascript-spec.ts';

/** JavaScript (with JSX), from the official tree-sitter-javascript grammar. */
export const javascriptSpec = createEcmaScriptSpec({
  language: 'javascript',
  extensions: ['.js', '.mjs', '.cjs', '.jsx'],
  grammar: { packageName: 'tree-sitter-javascript', wasmFile: 'tree-sitter-javascript.wasm' },
  typed: false,
});
