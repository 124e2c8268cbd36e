import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSecurityRules } from './load-security-rules.ts';
import { applicableRules, scanFile } from './scan-file.ts';
import { resolveSecurityLanguage, type SecurityLanguage } from './security-language.ts';
import type { SecurityRule } from './security-rule.ts';

const rules = loadSecurityRules();

const samples: Record<SecurityLanguage, string> = {
  javascript: [
    "const { a, b: [c] } = require('x');",
    'function merge(target, { key, ...rest }) { for (const k in rest) target[k] = rest[k]; return target; }',
    "app.get('/admin/users', (req, res) => { const { id } = req.query; res.send(`<b>${id}</b>`); });",
    'class A { #secret = 1; async *gen() { yield* other(); } }',
    'const el = <div dangerouslySetInnerHTML={{ __html: html }} />;',
  ].join('\n'),
  typescript: [
    "import { Controller, Get, Query } from '@nestjs/common';",
    '@Controller() export class C { @Get() find(@Query("q") q: string): string { return eval(q) as string; } }',
    'const { user, token }: { user: string; token: string } = body as any;',
    'enum Color { Red } type T<K extends keyof Q> = Q[K];',
  ].join('\n'),
  python: [
    'import os, subprocess',
    'from flask import request',
    '@app.route("/admin")',
    'def admin(a, *args, b=1, **kwargs):',
    '    (x, [y, z]) = request.args["q"], [1, 2]',
    '    subprocess.check_output(f"ls {x}", shell=True)',
    '    return {k: v for k, v in kwargs.items()}',
    'lambda q: eval(q)',
  ].join('\n'),
  java: [
    'import java.io.*;',
    'public class A {',
    '  void run(HttpServletRequest request, String... rest) throws Exception {',
    '    String q = request.getParameter("q");',
    '    var list = java.util.List.of(1, 2).stream().map(x -> x + 1).toList();',
    '    Runtime.getRuntime().exec("sh -c " + q);',
    '    new java.io.File(q).delete();',
    '  }',
    '}',
  ].join('\n'),
  go: 'package main\nimport "os/exec"\nfunc main() { exec.Command("sh", "-c", os.Args[1]).Run() }\n',
};

const fileNames: Record<SecurityLanguage, string> = {
  javascript: 'sample.jsx',
  typescript: 'sample.ts',
  python: 'sample.py',
  java: 'Sample.java',
  go: 'sample.go',
};

const corpusDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/security');

function corpusFiles(): string[] {
  const files: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else if (/\.(js|jsx|ts|py|java)$/.test(entry.name)) files.push(absolute);
    }
  };
  walk(corpusDirectory);
  return files;
}

describe('scanFile never crashes', () => {
  for (const language of Object.keys(samples) as SecurityLanguage[]) {
    it(`runs every rule (all languages' rules, not only ${language}'s) over a ${language} sample without throwing`, () => {
      // Give every rule a chance to run against this grammar, even those written for another language.
      const everyRule = rules.map((rule) => ({ ...rule, languages: [language] }));
      const result = scanFile({
        code: samples[language],
        language,
        file: fileNames[language],
        rules: everyRule,
      });
      expect(Array.isArray(result.findings)).toBe(true);
    });

    it(`runs the ${language} rules over a ${language} sample with no rule failing`, () => {
      const result = scanFile({ code: samples[language], language, file: fileNames[language], rules });
      expect(result.warnings.filter((warning) => warning.includes('could not run'))).toEqual([]);
    });
  }

  it('runs the built-in rules over every corpus file with no rule failing', () => {
    const failures: string[] = [];
    for (const file of corpusFiles()) {
      const language = resolveSecurityLanguage({ file });
      const result = scanFile({ code: readFileSync(file, 'utf8'), language, file, rules });
      failures.push(...result.warnings.filter((warning) => /could not run|failed/.test(warning)));
    }
    expect(failures).toEqual([]);
  });

  it('skips a broken rule with a warning naming it and still reports the other rules', () => {
    const good = rules.find((rule) => rule.id === 'js-code-injection')!;
    const broken: SecurityRule = {
      ...good,
      id: 'broken-kind-rule',
      taint: undefined,
      rule: { kind: 'no_such_node_kind_anywhere' },
    };
    const brokenTaint: SecurityRule = {
      ...good,
      id: 'broken-taint-rule',
      rule: { all: [{ kind: 'no_such_node_kind_anywhere' }, { pattern: 'eval($CODE)' }] },
    };
    const result = scanFile({
      code: "app.get('/x', (req, res) => { eval(req.query.code); });",
      language: 'javascript',
      file: 'app.js',
      rules: [broken, brokenTaint, good],
    });
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['js-code-injection']);
    expect(result.warnings.some((warning) => warning.includes('broken-kind-rule'))).toBe(true);
    expect(result.warnings.some((warning) => warning.includes('broken-taint-rule'))).toBe(true);
  });

  it('handles empty, whitespace-only, binary and garbage input', () => {
    for (const code of [
      '',
      '   \n\t',
      'a\u0000b',
      '}}}{{{(((',
      "'unterminated",
      '\uFEFF#!/usr/bin/env node\n',
    ]) {
      for (const language of Object.keys(samples) as SecurityLanguage[])
        expect(() => scanFile({ code, language, file: fileNames[language], rules })).not.toThrow();
    }
  });

  describe('applicableRules', () => {
    const ids = (language: SecurityLanguage, code: string) =>
      applicableRules(rules, language, code).map((rule) => rule.id);

    it('skips rules that only count request data when the text has no request source at all', () => {
      const helper = 'import requests\n\ndef fetch(url):\n    return requests.get(url).text\n';
      expect(ids('python', helper)).not.toContain('py-ssrf');
      // Parameters count for command injection, so a helper still gets that rule.
      expect(ids('python', 'import os\ndef run(cmd):\n    os.system("ls " + cmd)\n')).toContain(
        'py-command-injection',
      );
    });

    it('keeps them for every way request data enters: source expressions, handler decorators, Django views, markers', () => {
      const withSource = 'import requests\nfrom flask import request\nrequests.get(request.args["u"])\n';
      expect(ids('python', withSource)).toContain('py-ssrf');
      const decorated =
        'import httpx\nclass Routes:\n    @router.get("/p")\n    async def p(self, link: str):\n        return httpx.get(link)\n';
      expect(ids('python', decorated)).toContain('py-ssrf');
      expect(
        ids('python', 'import requests\ndef view(request, url):\n    return requests.get(url)\n'),
      ).toContain('py-ssrf');
      const nest = "@Get() find(@Query('q') q: string) { return this.users.find({ name: q }); }";
      expect(ids('typescript', nest)).toContain('js-nosql-injection');
      expect(ids('typescript', 'export const find = (q: string) => users.find({ name: q });')).not.toContain(
        'js-nosql-injection',
      );
    });
  });
});
