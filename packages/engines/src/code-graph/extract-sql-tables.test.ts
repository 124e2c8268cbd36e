import { describe, expect, it } from 'vitest';
import { extractSqlTables } from './extract-sql-tables.ts';

describe('extractSqlTables', () => {
  it('names the tables of each statement kind with their operation', () => {
    expect(extractSqlTables("'INSERT INTO audit_log (id) SELECT id FROM orders'", 3)).toEqual([
      { table: 'audit_log', operation: 'insert', line: 3 },
      { table: 'orders', operation: 'select', line: 3 },
    ]);
    expect(extractSqlTables('"delete from `sessions` where expires < now()"', 1)).toEqual([
      { table: 'sessions', operation: 'delete', line: 1 },
    ]);
    expect(extractSqlTables('"UPDATE billing.invoices SET paid = 1"', 7)).toEqual([
      { table: 'billing.invoices', operation: 'update', line: 7 },
    ]);
  });

  it('counts lines inside multi-line literals and reports each table once per operation', () => {
    const literal =
      '`\n  SELECT o.id\n  FROM orders o\n  JOIN customers c ON c.id = o.customer_id\n  JOIN orders p ON p.id = o.parent_id`';
    expect(extractSqlTables(literal, 10)).toEqual([
      { table: 'orders', operation: 'select', line: 12 },
      { table: 'customers', operation: 'select', line: 13 },
    ]);
  });

  it('ignores prose and interpolated table names', () => {
    expect(extractSqlTables("'Select from the list below'", 1)).toEqual([]);
    expect(extractSqlTables("'Select all from the list below'", 1)).toEqual([]);
    expect(extractSqlTables("'update your profile'", 1)).toEqual([]);
    expect(extractSqlTables("'delete the draft'", 1)).toEqual([]);
    expect(extractSqlTables('`SELECT * FROM ${table}`', 1)).toEqual([]);
  });
});
