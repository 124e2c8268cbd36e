import type { Node } from 'web-tree-sitter';
import type { ImportFact } from '../file-facts.ts';
import { lineCommentsAbove } from './doc-comments.ts';
import type { LanguageSpec } from './language-spec.ts';

function readImports(node: Node): Omit<ImportFact, 'line'>[] {
  const specifier = node.childForFieldName('path')?.text.slice(1, -1);
  if (!specifier) return [];
  // Without an alias the package name is, by convention, the last path element.
  const local = node.childForFieldName('name')?.text ?? specifier.split('/').pop() ?? specifier;
  return [{ specifier, names: [{ imported: '*', local }], kind: 'static', typeOnly: false }];
}

/** Comments document the whole `type X struct` / `var X` declaration, which wraps the spec node we capture. */
function declarationOf(node: Node): Node {
  const wrapped =
    node.type === 'type_spec' ||
    node.type === 'type_alias' ||
    node.type === 'var_spec' ||
    node.type === 'const_spec';
  return wrapped && node.parent && node.parent.namedChildCount === 1 ? node.parent : node;
}

/** `func (s *Server) Handle()` → `Server`; generic receivers `*List[T]` → `List`. */
function receiverType(node: Node): string | undefined {
  const receiver = node.childForFieldName('receiver')?.namedChild(0)?.childForFieldName('type');
  const text = receiver?.text.replace(/^\*/, '').replace(/\[.*$/, '');
  return text || undefined;
}

/** Go, from the official tree-sitter-go grammar. */
export const goSpec: LanguageSpec = {
  language: 'go',
  extensions: ['.go'],
  grammar: { packageName: 'tree-sitter-go', wasmFile: 'tree-sitter-go.wasm' },
  definitionsQuery: `
(function_declaration name: (identifier) @name) @definition.function
(method_declaration name: (field_identifier) @name) @definition.method
(type_spec name: (type_identifier) @name type: (struct_type (field_declaration_list) @body)) @definition.class
(type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface
(type_spec name: (type_identifier) @name) @definition.type
(type_alias name: (type_identifier) @name) @definition.type
(method_elem name: (field_identifier) @name) @definition.method
(field_declaration name: (field_identifier) @name) @definition.field
(var_spec name: (identifier) @name value: (_)? @body) @definition.variable.module
(const_spec name: (identifier) @name value: (_)? @body) @definition.variable.module
`,
  referencesQuery: `
(call_expression function: (identifier) @name) @reference.call
(call_expression function: (selector_expression operand: (_) @receiver field: (field_identifier) @name)) @reference.call
(composite_literal type: (type_identifier) @name) @reference.new
(composite_literal type: (qualified_type package: (_) @receiver name: (type_identifier) @name)) @reference.new
(qualified_type package: (_) @receiver name: (type_identifier) @name) @reference.type
(type_parameter_declaration name: (identifier) @typeParameter)
((type_identifier) @skip (#match? @skip "^(bool|byte|complex64|complex128|error|float32|float64|int|int8|int16|int32|int64|rune|string|uint|uint8|uint16|uint32|uint64|uintptr|any|comparable)$"))
(type_identifier) @name @reference.type
`,
  importsQuery: '(import_spec) @import',
  stringsQuery: '[(interpreted_string_literal) (raw_string_literal)] @string',
  decisionPointsQuery: `
[(if_statement) (for_statement) (expression_case) (type_case) (communication_case)] @decision
(binary_expression operator: ["&&" "||"]) @decision
`,
  readImports,
  docOf: (node) => lineCommentsAbove(declarationOf(node)),
  decoratorsOf: () => [],
  isExported(_node, context) {
    if (context.parent && context.parent.kind !== 'class' && context.parent.kind !== 'interface')
      return false;
    return /^\p{Lu}/u.test(context.name);
  },
  isModuleLevel(node) {
    const declaration = node.parent?.type === 'var_spec_list' ? node.parent.parent : node.parent;
    return declaration?.parent?.type === 'source_file';
  },
  qualifierOf: (node) => (node.type === 'method_declaration' ? receiverType(node) : undefined),
  packageName(root) {
    const clause = root.namedChildren.find((child) => child?.type === 'package_clause');
    return clause?.namedChild(0)?.text;
  },
  isTestFileName: (fileName) => fileName.endsWith('_test.go'),
  testFrameworks: ['testing', 'github.com/stretchr/testify'],
};
