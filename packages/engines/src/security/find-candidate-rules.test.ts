import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCandidateRules } from './find-candidate-rules.ts';
import { loadSecurityRules } from './load-security-rules.ts';

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plumb-candidates-'));
  const files: Record<string, string> = {
    'app.py':
      'import requests\nfrom flask import request\ndef f():\n    return requests.get(request.args["u"])\n',
    'calm.py': 'def add(a, b):\n    return a + b\n',
    'web/app.js': "app.get('/x', (req, res) => { eval(req.query.code); });\n",
    'web/types.ts': 'export const run = (code: string): unknown => eval(code);\n',
    'broken.ts': 'export const = ;\n',
    'Main.java': 'class Main { void f(String c) throws Exception { Runtime.getRuntime().exec(c); } }\n',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('findCandidateRules', () => {
  it('reports, per file, only the rules it was asked to try that match there, and parse errors', async () => {
    const rules = loadSecurityRules();
    const result = await findCandidateRules({
      root,
      rules,
      files: new Map([
        ['app.py', ['py-ssrf', 'py-code-injection']],
        ['calm.py', ['py-code-injection']],
        ['web/app.js', ['js-code-injection']],
        // eval matches, but js-code-injection was not asked for in this file
        ['web/types.ts', ['js-sql-injection']],
        ['broken.ts', []],
        ['Main.java', ['java-command-injection']],
      ]),
    });
    expect(Object.fromEntries([...result.rulesByFile].map(([file, ids]) => [file, [...ids].sort()]))).toEqual(
      {
        'app.py': ['py-ssrf'],
        'web/app.js': ['js-code-injection'],
        'Main.java': ['java-command-injection'],
      },
    );
    expect([...result.needsFullScan]).toEqual(['broken.ts']);
  });

  it('leaves names with glob characters to the exact scan instead of guessing', async () => {
    writeFileSync(path.join(root, '[id].py'), 'eval(input())\n');
    const result = await findCandidateRules({
      root,
      rules: loadSecurityRules(),
      files: new Map([['[id].py', ['py-code-injection']]]),
    });
    expect([...result.needsFullScan]).toEqual(['[id].py']);
  });
});
