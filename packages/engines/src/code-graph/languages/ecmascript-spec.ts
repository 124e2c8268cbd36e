import type { Node } from 'web-tree-sitter';
import type { CodeLanguage } from '../file-facts.ts';
import type { GrammarLocation } from '../load-grammar.ts';
import { blockDocAbove } from './doc-comments.ts';
import { readEcmaScriptImports } from './ecmascript-imports.ts';
import type { ExportContext, LanguageSpec } from './language-spec.ts';

/**
 * TypeScript, TSX and JavaScript share one tree shape; `typed` switches on the TypeScript-only node types
 * (interfaces, type aliases, implements clauses), which the JavaScript grammar would reject in a query.
 */
export interface EcmaScriptSpecOptions {
  language: CodeLanguage;
  extensions: readonly string[];
  grammar: GrammarLocation;
  typed: boolean;
}

const functionValues =
  '[(arrow_function body: (_) @body) (function_expression body: (_) @body) (generator_function body: (_) @body)]';

function topLevelVariables(kind: 'function' | 'variable'): string {
  const value = kind === 'function' ? functionValues : '(_) @body';
  const declarator = `(variable_declarator name: (identifier) @name value: ${value}) @definition.${kind}.module`;
  return `[(lexical_declaration ${declarator}) (variable_declaration ${declarator})]`;
}

function definitionsQuery(typed: boolean): string {
  return [
    '(class_declaration name: (_) @name) @definition.class',
    typed ? '(abstract_class_declaration name: (_) @name) @definition.class' : '',
    typed ? '(interface_declaration name: (_) @name) @definition.interface' : '',
    typed ? '(enum_declaration name: (_) @name) @definition.enum' : '',
    typed ? '(type_alias_declaration name: (_) @name value: (_) @body) @definition.type' : '',
    typed ? '(internal_module name: (_) @name) @definition.module' : '',
    '(function_declaration name: (_) @name) @definition.function',
    '(generator_function_declaration name: (_) @name) @definition.function',
    typed ? '(function_signature name: (_) @name) @definition.function' : '',
    '(method_definition name: (_) @name) @definition.method',
    // Only interface members: the same nodes in inline object types (`{ start }: { start: number }`) are not API.
    typed ? '(interface_body (method_signature name: (_) @name) @definition.method)' : '',
    typed ? '(abstract_method_signature name: (_) @name) @definition.method' : '',
    typed
      ? '(public_field_definition name: (_) @name value: (_)? @body) @definition.field'
      : '(field_definition property: (_) @name value: (_)? @body) @definition.field',
    typed ? '(interface_body (property_signature name: (_) @name) @definition.field)' : '',
    topLevelVariables('function'),
    topLevelVariables('variable'),
  ].join('\n');
}

function referencesQuery(typed: boolean): string {
  const member = 'member_expression object: (_) @receiver property: (_) @name';
  return [
    '(decorator (call_expression function: (identifier) @name)) @reference.decorator',
    `(decorator (call_expression function: (${member}))) @reference.decorator`,
    '(decorator (identifier) @name) @reference.decorator',
    `(decorator (${member})) @reference.decorator`,
    typed
      ? '(extends_clause value: (identifier) @name) @reference.extends'
      : '(class_heritage (identifier) @name) @reference.extends',
    typed
      ? `(extends_clause value: (${member})) @reference.extends`
      : `(class_heritage (${member})) @reference.extends`,
    typed
      ? '(implements_clause [(type_identifier) @name (generic_type name: (type_identifier) @name)]) @reference.implements'
      : '',
    typed
      ? '(implements_clause [(nested_type_identifier module: (_) @receiver name: (_) @name) (generic_type name: (nested_type_identifier module: (_) @receiver name: (_) @name))]) @reference.implements'
      : '',
    typed
      ? '(extends_type_clause type: [(type_identifier) @name (generic_type name: (type_identifier) @name)]) @reference.extends'
      : '',
    '(new_expression constructor: (identifier) @name) @reference.new',
    `(new_expression constructor: (${member})) @reference.new`,
    '(call_expression function: (identifier) @skip (#eq? @skip "require"))',
    '(call_expression function: (identifier) @name) @reference.call',
    `(call_expression function: (${member})) @reference.call`,
    typed
      ? '(nested_type_identifier module: (_) @receiver name: (type_identifier) @name) @reference.type'
      : '',
    typed ? '(type_parameter name: (type_identifier) @typeParameter)' : '',
    typed ? '(type_identifier) @name @reference.type' : '',
  ].join('\n');
}

const importsQuery = `
(import_statement) @import
(export_statement source: (_)) @import
(call_expression function: (identifier) @function (#eq? @function "require") arguments: (arguments . (string))) @import
(call_expression function: (import) arguments: (arguments . (string))) @import
`;

const decisionPointsQuery = `
[(if_statement) (for_statement) (for_in_statement) (while_statement) (do_statement) (switch_case) (catch_clause) (ternary_expression)] @decision
(binary_expression operator: ["&&" "||" "??"]) @decision
`;

/** The statement a declaration is written in: `export const a = ...` for the declarator `a`. */
function statementOf(node: Node): Node {
  let statement = node;
  if (statement.type === 'variable_declarator' && statement.parent) statement = statement.parent;
  if (statement.parent?.type === 'export_statement') statement = statement.parent;
  return statement;
}

function decoratorsOf(node: Node): Node[] {
  const decorators: Node[] = [];
  const statement = statementOf(node);
  for (const holder of statement === node ? [node] : [statement, node]) {
    for (const child of holder.namedChildren) if (child?.type === 'decorator') decorators.push(child);
  }
  // Member decorators are siblings before the member inside the class body.
  let sibling = node.parent?.type === 'class_body' ? node.previousNamedSibling : null;
  while (sibling && (sibling.type === 'decorator' || sibling.type === 'comment')) {
    if (sibling.type === 'decorator') decorators.unshift(sibling);
    sibling = sibling.previousNamedSibling;
  }
  return decorators;
}

function isExported(node: Node, context: ExportContext): boolean {
  if (context.parent) {
    if (
      context.parent.kind === 'function' ||
      context.parent.kind === 'method' ||
      context.parent.kind === 'constructor'
    )
      return false;
    if (!context.parent.exported) return false;
    const modifier = node.namedChildren.find((child) => child?.type === 'accessibility_modifier');
    if (modifier && modifier.text !== 'public') return false;
    return !context.name.startsWith('#');
  }
  return statementOf(node).type === 'export_statement' || context.exportedNames.has(context.name);
}

function commonJsExports(statement: Node, names: Set<string>): void {
  const assignment = statement.namedChild(0);
  if (assignment?.type !== 'assignment_expression') return;
  const target = assignment.childForFieldName('left')?.text;
  const value = assignment.childForFieldName('right');
  if (target === 'module.exports' && value?.type === 'object') {
    for (const property of value.namedChildren) {
      if (property?.type === 'shorthand_property_identifier') names.add(property.text);
      const exported = property?.type === 'pair' ? property.childForFieldName('value') : null;
      if (exported?.type === 'identifier') names.add(exported.text);
    }
  } else if (
    (target === 'module.exports' || target?.startsWith('exports.')) &&
    value?.type === 'identifier'
  ) {
    names.add(value.text);
  }
}

function exportedNames(root: Node): Set<string> {
  const names = new Set<string>();
  for (const statement of root.namedChildren) {
    if (statement?.type === 'expression_statement') commonJsExports(statement, names);
    if (statement?.type !== 'export_statement' || statement.childForFieldName('source')) continue;
    const value = statement.childForFieldName('value');
    if (value?.type === 'identifier') names.add(value.text);
    const clause = statement.namedChildren.find((child) => child?.type === 'export_clause');
    for (const specifier of clause?.namedChildren ?? []) {
      const name = specifier?.childForFieldName('name')?.text;
      if (name) names.add(name);
    }
  }
  return names;
}

/**
 * Builds the spec of one ECMAScript dialect.
 *
 * @example
 * export const typescript = createEcmaScriptSpec({ language: 'typescript', extensions: ['.ts'], grammar, typed: true });
 */
export function createEcmaScriptSpec(options: EcmaScriptSpecOptions): LanguageSpec {
  return {
    language: options.language,
    extensions: options.extensions,
    grammar: options.grammar,
    definitionsQuery: definitionsQuery(options.typed),
    referencesQuery: referencesQuery(options.typed),
    importsQuery,
    stringsQuery: '[(string) (template_string)] @string',
    decisionPointsQuery,
    constructorNames: ['constructor'],
    readImports: readEcmaScriptImports,
    docOf: (node) => blockDocAbove(statementOf(node), ['decorator']),
    decoratorsOf,
    isExported,
    exportedNames,
    isModuleLevel: (node) => statementOf(node).parent?.type === 'program',
    isTestFileName: (fileName) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(fileName),
    testFrameworks: [
      'vitest',
      'jest',
      '@jest/globals',
      'mocha',
      'node:test',
      '@playwright/test',
      'chai',
      'ava',
      'tap',
    ],
  };
}
