import type { Node } from 'web-tree-sitter';
import type { CodeLanguage, ImportFact } from '../file-facts.ts';
import type { GrammarLocation } from '../load-grammar.ts';
import { blockDocAbove } from './doc-comments.ts';
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

function stringValue(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  return node.text.slice(1, -1);
}

function hasToken(node: Node, token: string): boolean {
  for (const child of node.children) if (child?.type === token) return true;
  return false;
}

function readImports(node: Node): Omit<ImportFact, 'line'>[] {
  if (node.type === 'call_expression') {
    const specifier = stringValue(node.childForFieldName('arguments')?.namedChild(0));
    if (specifier === undefined) return [];
    if (node.childForFieldName('function')?.type === 'import') {
      return [{ specifier, names: [], kind: 'dynamic', typeOnly: false }];
    }
    const names: ImportFact['names'] = [];
    const target = node.parent?.type === 'variable_declarator' ? node.parent.childForFieldName('name') : null;
    if (target?.type === 'identifier') names.push({ imported: '*', local: target.text });
    if (target?.type === 'object_pattern') {
      for (const property of target.namedChildren) {
        if (property?.type === 'shorthand_property_identifier_pattern')
          names.push({ imported: property.text, local: property.text });
        if (property?.type === 'pair_pattern') {
          const key = property.childForFieldName('key')?.text;
          const value = property.childForFieldName('value')?.text;
          if (key && value) names.push({ imported: key, local: value });
        }
      }
    }
    return [{ specifier, names, kind: 'require', typeOnly: false }];
  }
  const requireClause = node.namedChildren.find((child) => child?.type === 'import_require_clause');
  if (requireClause) {
    // TypeScript's `import fs = require('fs')`.
    const specifier = stringValue(requireClause.childForFieldName('source'));
    const local = requireClause.namedChild(0)?.text;
    if (specifier === undefined || !local) return [];
    return [{ specifier, names: [{ imported: '*', local }], kind: 'require', typeOnly: false }];
  }
  const specifier = stringValue(node.childForFieldName('source'));
  if (specifier === undefined) return [];
  const names: ImportFact['names'] = [];
  let typeOnly = hasToken(node, 'type');
  if (node.type === 'export_statement') {
    const clause = node.namedChildren.find((child) => child?.type === 'export_clause');
    for (const exported of clause?.namedChildren ?? []) {
      const imported = exported?.childForFieldName('name')?.text;
      if (imported) names.push({ imported, local: exported?.childForFieldName('alias')?.text ?? imported });
    }
    const namespace = node.namedChildren.find((child) => child?.type === 'namespace_export');
    if (namespace) names.push({ imported: '*', local: namespace.namedChild(0)?.text ?? '*' });
    else if (!clause) names.push({ imported: '*', local: '*' });
    return [{ specifier, names, kind: 'reexport', typeOnly }];
  }
  const clause = node.namedChildren.find((child) => child?.type === 'import_clause');
  let inlineTypes = 0;
  for (const part of clause?.namedChildren ?? []) {
    if (part?.type === 'identifier') names.push({ imported: 'default', local: part.text });
    if (part?.type === 'namespace_import')
      names.push({ imported: '*', local: part.namedChild(0)?.text ?? '*' });
    if (part?.type === 'named_imports') {
      for (const specifierNode of part.namedChildren) {
        if (specifierNode?.type !== 'import_specifier') continue;
        const imported = specifierNode.childForFieldName('name')?.text;
        if (!imported) continue;
        names.push({ imported, local: specifierNode.childForFieldName('alias')?.text ?? imported });
        if (hasToken(specifierNode, 'type')) inlineTypes += 1;
      }
    }
  }
  // `import { type A, type B } from` erases entirely, like `import type`.
  if (names.length > 0 && inlineTypes === names.length) typeOnly = true;
  return [{ specifier, names, kind: 'static', typeOnly }];
}

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
    readImports,
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
