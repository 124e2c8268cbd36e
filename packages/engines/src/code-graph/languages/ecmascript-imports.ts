import type { Node } from 'web-tree-sitter';
import type { ImportFact } from '../file-facts.ts';

function stringValue(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  return node.text.slice(1, -1);
}

function hasToken(node: Node, token: string): boolean {
  for (const child of node.children) if (child?.type === token) return true;
  return false;
}

/**
 * Reads one ES import-like node: `import`, `export … from`, `require()`, `import()`, `import x = require()`.
 *
 * @example
 * readEcmaScriptImports(importStatementNode); // [{ specifier: './a', names: [...], kind: 'static', typeOnly: false }]
 */
export function readEcmaScriptImports(node: Node): Omit<ImportFact, 'line'>[] {
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
