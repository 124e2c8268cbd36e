import type { Node } from 'web-tree-sitter';
import type { ImportFact } from '../file-facts.ts';
import { pythonDocstring } from './doc-comments.ts';
import type { LanguageSpec } from './language-spec.ts';

function readImports(node: Node): Omit<ImportFact, 'line'>[] {
  if (node.type === 'import_statement') {
    // `import a.b` binds `a`, but code reaches it as `a.b.x`, so the dotted path is the useful local name.
    return node.childrenForFieldName('name').flatMap((name) => {
      if (!name) return [];
      const aliased = name.type === 'aliased_import';
      const specifier = aliased ? (name.childForFieldName('name')?.text ?? '') : name.text;
      const local = aliased ? (name.childForFieldName('alias')?.text ?? specifier) : specifier;
      return [{ specifier, names: [{ imported: '*', local }], kind: 'static' as const, typeOnly: false }];
    });
  }
  const specifier = node.childForFieldName('module_name')?.text ?? '';
  const names: ImportFact['names'] = [];
  for (const name of node.childrenForFieldName('name')) {
    if (name?.type === 'aliased_import') {
      const imported = name.childForFieldName('name')?.text ?? '';
      names.push({ imported, local: name.childForFieldName('alias')?.text ?? imported });
    } else if (name) names.push({ imported: name.text, local: name.text });
  }
  if (node.namedChildren.some((child) => child?.type === 'wildcard_import'))
    names.push({ imported: '*', local: '*' });
  return [{ specifier, names, kind: 'static', typeOnly: false }];
}

function isPublicName(name: string): boolean {
  return !name.startsWith('_') || (name.startsWith('__') && name.endsWith('__'));
}

/** `pkg/orders/service.py` → `pkg.orders.service`; a leading `src/` (the src layout) is not part of it. */
function modulePath(path: string): string {
  return path
    .replace(/^src\//, '')
    .replace(/(\/__init__)?\.pyi?$/, '')
    .split('/')
    .join('.');
}

/** Python, from the official tree-sitter-python grammar. */
export const pythonSpec: LanguageSpec = {
  language: 'python',
  extensions: ['.py', '.pyi'],
  grammar: { packageName: 'tree-sitter-python', wasmFile: 'tree-sitter-python.wasm' },
  definitionsQuery: `
(class_definition name: (identifier) @name) @definition.class
(function_definition name: (identifier) @name) @definition.function
(module (expression_statement (assignment left: (identifier) @name right: (_) @body)) @definition.variable)
(class_definition body: (block (expression_statement (assignment left: (identifier) @name right: (_)? @body)) @definition.field))
`,
  referencesQuery: `
(decorator (call function: (identifier) @name)) @reference.decorator
(decorator (call function: (attribute object: (_) @receiver attribute: (identifier) @name))) @reference.decorator
(decorator (identifier) @name) @reference.decorator
(decorator (attribute object: (_) @receiver attribute: (identifier) @name)) @reference.decorator
(class_definition superclasses: (argument_list (identifier) @name)) @reference.extends
(class_definition superclasses: (argument_list (attribute object: (_) @receiver attribute: (identifier) @name))) @reference.extends
(call function: (identifier) @name) @reference.call
(call function: (attribute object: (_) @receiver attribute: (identifier) @name)) @reference.call
(type (attribute object: (_) @receiver attribute: (identifier) @name)) @reference.type
(type (identifier) @name) @reference.type
(type (generic_type (identifier) @name)) @reference.type
(type (subscript value: (identifier) @name)) @reference.type
`,
  importsQuery: '[(import_statement) (import_from_statement)] @import',
  stringsQuery: '(string) @string',
  decisionPointsQuery: `
[(if_statement) (elif_clause) (for_statement) (while_statement) (except_clause) (conditional_expression)
 (boolean_operator) (case_clause) (if_clause) (for_in_clause)] @decision
`,
  constructorNames: ['__init__'],
  readImports,
  docOf: pythonDocstring,
  decoratorsOf(node) {
    if (node.parent?.type !== 'decorated_definition') return [];
    return node.parent.namedChildren.filter((child): child is Node => child?.type === 'decorator');
  },
  isExported(_node, context) {
    if (context.parent && (context.parent.kind !== 'class' || !context.parent.exported)) return false;
    return isPublicName(context.name);
  },
  packageName: (_root, path) => modulePath(path),
  isTestFileName: (fileName) => /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(fileName),
  testFrameworks: ['pytest', 'unittest', 'nose', 'hypothesis'],
};
