import { describe, expect, it } from 'vitest';
import { loadSecurityRules } from './load-security-rules.ts';
import { scanSource } from './scan-source.ts';
import type { SecurityRule } from './security-rule.ts';

const rules = loadSecurityRules();

function fileFor(rule: SecurityRule): string {
  if (rule.languages.includes('typescript')) return 'case.ts';
  if (rule.languages.includes('python')) return 'case.py';
  if (rule.languages.includes('java')) return 'Case.java';
  return 'case.js';
}

describe('rule inline tests', () => {
  for (const rule of rules) {
    describe(rule.id, () => {
      rule.tests.vulnerable.forEach((code, index) => {
        it(`vulnerable #${index + 1} produces exactly one ${rule.id} finding`, () => {
          const result = scanSource({ code, file: fileFor(rule), rules: [rule] });
          expect(result.findings.map((finding) => finding.ruleId)).toEqual([rule.id]);
          expect(result.findings[0]?.cwe).toBe(rule.metadata.cwe);
        });
      });
      rule.tests.safe.forEach((code, index) => {
        it(`safe #${index + 1} produces no finding`, () => {
          const result = scanSource({ code, file: fileFor(rule), rules: [rule] });
          expect(result.findings).toEqual([]);
        });
      });
    });
  }
});
