import type { Node } from 'web-tree-sitter';
import type { ImportFact } from '../file-facts.ts';
import { blockDocAbove } from './doc-comments.ts';
import type { LanguageSpec } from './language-spec.ts';

function readImports(node: Node): Omit<ImportFact, 'line'>[] {
  const path = node.namedChildren.find(
    (child) => child?.type === 'scoped_identifier' || child?.type === 'identifier',
  );
  if (!path) return [];
  const wildcard = node.namedChildren.some((child) => child?.type === 'asterisk');
  if (wildcard)
    return [
      { specifier: path.text, names: [{ imported: '*', local: '*' }], kind: 'static', typeOnly: false },
    ];
  const isStatic = node.children.some((child) => child?.type === 'static');
  const name = path.childForFieldName('name')?.text ?? path.text;
  // `import static a.B.m;` depends on the class `a.B`; the member is the imported name.
  const specifier = isStatic ? (path.childForFieldName('scope')?.text ?? path.text) : path.text;
  return [{ specifier, names: [{ imported: name, local: name }], kind: 'static', typeOnly: false }];
}

function modifiersOf(node: Node): Node | undefined {
  return node.namedChildren.find((child) => child?.type === 'modifiers') ?? undefined;
}

const typeRef =
  '[(type_identifier) @name (generic_type (type_identifier) @name) (scoped_type_identifier (_) @receiver . (type_identifier) @name .) (generic_type (scoped_type_identifier (_) @receiver . (type_identifier) @name .))]';

/** Java, from the official tree-sitter-java grammar. */
export const javaSpec: LanguageSpec = {
  language: 'java',
  extensions: ['.java'],
  grammar: { packageName: 'tree-sitter-java', wasmFile: 'tree-sitter-java.wasm' },
  definitionsQuery: `
(class_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(annotation_type_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.constructor
(field_declaration declarator: (variable_declarator name: (identifier) @name value: (_)? @body)) @definition.field
`,
  referencesQuery: `
(marker_annotation name: (_) @name) @reference.decorator
(annotation name: (_) @name) @reference.decorator
(superclass ${typeRef}) @reference.extends
(super_interfaces (type_list ${typeRef})) @reference.implements
(extends_interfaces (type_list ${typeRef})) @reference.extends
(object_creation_expression type: ${typeRef}) @reference.new
(method_invocation object: (_) @receiver name: (identifier) @name) @reference.call
(method_invocation !object name: (identifier) @name) @reference.call
(type_parameter (type_identifier) @typeParameter)
(scoped_type_identifier (scoped_type_identifier (_) . (type_identifier) @skip .))
(scoped_type_identifier (_) @receiver . (type_identifier) @name .) @reference.type
(type_identifier) @name @reference.type
`,
  importsQuery: '(import_declaration) @import',
  stringsQuery: '[(string_literal)] @string',
  decisionPointsQuery: `
[(if_statement) (for_statement) (enhanced_for_statement) (while_statement) (do_statement) (catch_clause)
 (ternary_expression) (switch_label)] @decision
(binary_expression operator: ["&&" "||"]) @decision
`,
  readImports,
  docOf: (node) => blockDocAbove(node),
  decoratorsOf(node) {
    const modifiers = modifiersOf(node);
    if (!modifiers) return [];
    return modifiers.namedChildren.filter(
      (child): child is Node => child?.type === 'annotation' || child?.type === 'marker_annotation',
    );
  },
  isExported(node, context) {
    if (context.parent && !context.parent.exported) return false;
    const modifiers = modifiersOf(node);
    if (modifiers?.children.some((child) => child?.type === 'public')) return true;
    // Interface members are public unless declared private.
    return (
      context.parent?.kind === 'interface' && !modifiers?.children.some((child) => child?.type === 'private')
    );
  },
  packageName(root) {
    const declaration = root.namedChildren.find((child) => child?.type === 'package_declaration');
    return declaration?.namedChildren.find(
      (child) => child?.type !== 'annotation' && child?.type !== 'marker_annotation',
    )?.text;
  },
  isTestFileName: (fileName) => /(Test|Tests|IT)\.java$|^Test.*\.java$/.test(fileName),
  testFrameworks: ['org.junit', 'org.testng', 'org.mockito', 'org.assertj'],
};
