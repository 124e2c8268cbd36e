import { describe, expect, it } from 'vitest';
import { applyFixes } from './apply-fixes.ts';
import { loadSecurityRules } from './load-security-rules.ts';
import { scanSource } from './scan-source.ts';
import { parseSecuritySource, type SecurityLanguage } from './security-language.ts';
import type { SecurityRule } from './security-rule.ts';

const fixable = loadSecurityRules().filter((rule) => rule.fix !== undefined);

function languageOf(rule: SecurityRule): SecurityLanguage {
  if (rule.languages.includes('python')) return 'python';
  if (rule.languages.includes('java')) return 'java';
  return 'typescript';
}

/** Scan, apply every fix, and check the result parses cleanly and no longer triggers the rule. */
function expectFixRemovesFinding(rule: SecurityRule, code: string, language: SecurityLanguage): string {
  const before = scanSource({ code, language, rules: [rule] }).findings;
  expect(before.length).toBeGreaterThan(0);
  const withFix = before.filter((finding) => finding.fix !== undefined);
  expect(withFix.length).toBeGreaterThan(0);
  const fixed = applyFixes(code, before);
  expect(fixed).not.toBe(code);
  const parsed = parseSecuritySource(fixed, language, language === 'python' ? 'fixed.py' : 'fixed.ts');
  expect(parsed.hasErrors).toBe(false);
  const after = scanSource({ code: fixed, language, rules: [rule] }).findings;
  expect(after.filter((finding) => withFix.some((old) => old.line === finding.line))).toEqual([]);
  return fixed;
}

describe('autofix builders', () => {
  it('has at least one fixable rule per fix kind', () => {
    expect(fixable.some((rule) => typeof rule.fix === 'string')).toBe(true);
    expect(fixable.some((rule) => typeof rule.fix === 'object')).toBe(true);
  });

  for (const rule of fixable) {
    describe(rule.id, () => {
      rule.tests.vulnerable.forEach((code, index) => {
        it(`vulnerable #${index + 1}: the fix parses and removes the finding (when the match is fixable)`, () => {
          const language = languageOf(rule);
          const findings = scanSource({ code, language, rules: [rule] }).findings;
          if (findings.every((finding) => finding.fix === undefined)) return;
          expectFixRemovesFinding(rule, code, language);
        });
      });
    });
  }

  it('parameterizes concatenated and template-literal SQL for node-postgres', () => {
    const rule = fixable.find((candidate) => candidate.id === 'js-sql-injection')!;
    const concatenated = [
      "const { Pool } = require('pg');",
      'const db = new Pool();',
      "app.get('/orders', async (req, res) => {",
      '  const rows = await db.query("SELECT * FROM orders WHERE owner = \'" + req.query.owner + "\' AND state = \'" + req.query.state + "\'");',
      '  res.json(rows);',
      '});',
    ].join('\n');
    const fixed = expectFixRemovesFinding(rule, concatenated, 'javascript');
    expect(fixed).toMatch(/\$1[\s\S]*\$2/);
    expect(fixed).toContain('req.query.owner');
    const template = [
      "import mysql from 'mysql2/promise';",
      "app.get('/orders', async (req, res) => {",
      '  res.json(await db.query(`DELETE FROM carts WHERE id = ${req.params.id}`));',
      '});',
    ].join('\n');
    const fixedTemplate = expectFixRemovesFinding(rule, template, 'typescript');
    expect(fixedTemplate).toContain('db.query("DELETE FROM carts WHERE id = ?", [req.params.id])');
  });

  it('parameterizes Python f-string SQL', () => {
    const rule = fixable.find((candidate) => candidate.id === 'py-sql-injection')!;
    const code = [
      'import sqlite3',
      'from flask import request',
      '@app.get("/u")',
      'def u():',
      "    cursor.execute(f\"SELECT * FROM users WHERE name = '{request.args['n']}'\")",
    ].join('\n');
    expect(expectFixRemovesFinding(rule, code, 'python')).toContain(
      `cursor.execute("SELECT * FROM users WHERE name = ?", (request.args['n'],))`,
    );
  });

  it('leaves code without fixable findings unchanged', () => {
    expect(applyFixes('const a = 1;', [])).toBe('const a = 1;');
  });
});
