import type { TableFact } from './file-facts.ts';

// Only literals shaped like an SQL statement are scanned, so prose such as "Select from the list" is not.
const statementShape =
  /^\s*(?:SELECT\s+(?!FROM\b)\S[\s\S]*?\bFROM\s|INSERT\s+(?:OR\s+\w+\s+)?INTO\s|REPLACE\s+INTO\s|MERGE\s+INTO\s|UPDATE\s+\S+\s+SET\s|DELETE\s+FROM\s|WITH\s+(?:RECURSIVE\s+)?\w+\s+AS\s*\()/i;

/** SQL keywords are written all upper or all lower case; a capitalised first word ("Select …") is prose. */
function looksLikeSql(text: string): boolean {
  const keyword = /^\s*([A-Za-z]+)/.exec(text)?.[1] ?? '';
  const consistentCase = keyword === keyword.toUpperCase() || keyword === keyword.toLowerCase();
  return consistentCase && statementShape.test(text);
}
const tableClause =
  /\b(DELETE\s+FROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|MERGE\s+INTO|UPDATE|FROM|JOIN)\s+((?:[`"[]?[A-Za-z_][\w$]*[`"\]]?\.)?[`"[]?[A-Za-z_][\w$]*[`"\]]?)/gi;
const notTables = new Set(['select', 'where', 'set', 'values', 'lateral', 'unnest', 'dual', 'only']);

function operationOf(keyword: string): TableFact['operation'] {
  const upper = keyword.toUpperCase();
  if (upper.startsWith('DELETE')) return 'delete';
  if (upper.startsWith('INSERT') || upper.startsWith('REPLACE')) return 'insert';
  if (upper === 'UPDATE') return 'update';
  if (upper.startsWith('MERGE')) return 'other';
  return 'select';
}

/**
 * The tables an SQL string literal names (`FROM`, `JOIN`, `INTO`, `UPDATE`, `DELETE FROM`), each once per
 * literal, with the line of its keyword. Quotes around identifiers are removed; schemas are kept (`sales.orders`).
 *
 * @example
 * extractSqlTables('"SELECT * FROM orders o JOIN customers c ON ..."', 12);
 * // [{ table: 'orders', operation: 'select', line: 12 }, { table: 'customers', operation: 'select', line: 12 }]
 */
export function extractSqlTables(literal: string, line: number): Omit<TableFact, 'enclosing'>[] {
  const text = literal.replace(/^[^A-Za-z\s]*/, '');
  if (!looksLikeSql(text)) return [];
  const offset = literal.length - text.length;
  const tables: Omit<TableFact, 'enclosing'>[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(tableClause)) {
    const table = match[2]!.replace(/[`"[\]]/g, '');
    const operation = operationOf(match[1]!);
    const key = `${table.toLowerCase()}:${operation}`;
    if (notTables.has(table.toLowerCase()) || seen.has(key)) continue;
    seen.add(key);
    const before = literal.slice(0, offset + match.index);
    tables.push({ table, operation, line: line + (before.match(/\n/g)?.length ?? 0) });
  }
  return tables;
}
