import { describe, expect, it } from 'vitest';
import { scanSource } from '../scan-source.ts';

function ruleIds(code: string, language: string): string[] {
  return scanSource({ code, language }).findings.map((finding) => `${finding.ruleId}@${finding.line}`);
}

describe('taint analysis', () => {
  it('treats argparse results as local input that reaches a helper command', () => {
    const code = [
      'import os, argparse',
      'def pack(folder):',
      '    os.system("zip -r out.zip {}".format(folder))',
      'if __name__ == "__main__":',
      '    options = argparse.ArgumentParser().parse_args()',
      '    pack(options.folder)',
    ].join('\n');
    expect(ruleIds(code, 'python')).toEqual(['py-command-injection@3']);
  });

  it('clears a value when a value parsed from it is validated', () => {
    const code = [
      'import requests',
      'from flask import request',
      '@app.post("/hook")',
      'def hook():',
      '    target = request.json["target"]',
      '    pieces = urlsplit(target)',
      '    if pieces.netloc not in TRUSTED:',
      '        abort(400)',
      '    requests.post(target, json={})',
    ].join('\n');
    expect(ruleIds(code, 'python')).toEqual([]);
    const unchecked = code.replace('    if pieces.netloc not in TRUSTED:\n        abort(400)\n', '');
    expect(ruleIds(unchecked, 'python')).toEqual(['py-ssrf@7']);
  });

  it('accepts snake_case validators such as is_safe_target() in a ternary', () => {
    const code = [
      'from flask import request, redirect',
      '@app.get("/go")',
      'def go():',
      '    dest = request.args.get("to")',
      '    return redirect(dest if is_safe_target(dest) else "/")',
    ].join('\n');
    expect(ruleIds(code, 'python')).toEqual([]);
  });

  it('uses a same-file helper that returns its parameter only through a sanitizer', () => {
    const helper = (body: string): string =>
      [
        'import subprocess, shlex',
        'def make(pattern):',
        `    return ${body}`,
        '@app.get("/find")',
        'def find(pattern: str):',
        '    return subprocess.run(make(pattern), shell=True)',
      ].join('\n');
    expect(ruleIds(helper('"find . -name " + shlex.quote(pattern)'), 'python')).toEqual([]);
    expect(ruleIds(helper('"find . -name " + pattern'), 'python')).toEqual(['py-command-injection@6']);
  });

  it('does not taint framework-converted scalar parameters (int, datetime, UUID, Java Long)', () => {
    const python = [
      '@app.get("/orders/{order_id}")',
      'def order(order_id: int, placed: Optional[datetime] = None):',
      '    return db.orders.find({"$where": order_id})',
    ].join('\n');
    expect(ruleIds(python, 'python')).toEqual([]);
    expect(ruleIds(python.replace('order_id: int', 'order_id: str'), 'python')).toEqual([
      'py-nosql-injection@3',
    ]);
  });

  it('does not propagate taint out of comparisons and membership tests', () => {
    const python = [
      'def search(request):',
      '    wanted = {k: "x" for k in ("a", "b") if k in request.GET}',
      '    return list(db.items.find(wanted))',
    ].join('\n');
    expect(ruleIds(python, 'python')).toEqual([]);
    const javascript = [
      "app.get('/x', async (req, res) => {",
      "  const isAdmin = req.query.role === 'admin';",
      '  res.send(await db.query("SELECT * FROM t WHERE admin = " + isAdmin));',
      '});',
    ].join('\n');
    expect(ruleIds(javascript, 'javascript')).toEqual([]);
  });
});

describe('taint analysis: builders and attributes', () => {
  it('taints a StringBuilder through append chains (Java)', () => {
    const code = [
      'class Repo {',
      '  int rename(Statement statement, String id, String title) throws Exception {',
      '    StringBuilder sql = new StringBuilder("UPDATE t SET title = \'");',
      '    sql.append(title).append("\' WHERE id = ").append(id);',
      '    return statement.executeUpdate(sql.toString());',
      '  }',
      '}',
    ].join('\n');
    expect(ruleIds(code, 'java')).toEqual(['java-sql-injection@5']);
    const constant = code.replace(
      'sql.append(title).append("\' WHERE id = ").append(id);',
      'sql.append("x");',
    );
    expect(ruleIds(constant, 'java')).toEqual([]);
  });

  it('taints a Python list through append and join', () => {
    const code = [
      'import os',
      'from flask import request',
      '@app.get("/x")',
      'def x():',
      '    parts = ["ls"]',
      '    parts.append(request.args["dir"])',
      '    os.system(" ".join(parts))',
    ].join('\n');
    expect(ruleIds(code, 'python')).toEqual(['py-command-injection@7']);
  });
});

describe('taint analysis: attribute sanitizers', () => {
  it('lets a rule name an attribute read (.name) as a sanitizer', async () => {
    const { loadSecurityRules } = await import('../load-security-rules.ts');
    const base = loadSecurityRules().find((rule) => rule.id === 'py-path-traversal')!;
    const rule = { ...base, taint: { ...base.taint!, sanitizers: ['.name'] } };
    const code = (expression: string): string =>
      [
        'from flask import request',
        '@app.get("/f")',
        'def f():',
        `    return open("/srv/files/" + ${expression}).read()`,
      ].join('\n');
    const scan = (expression: string): number =>
      scanSource({ code: code(expression), language: 'python', rules: [rule] }).findings.length;
    expect(scan('Path(request.args["f"]).name')).toBe(0);
    expect(scan('Path(request.args["f"]).stem + Path(request.args["f"]).suffix')).toBe(1);
    expect(scan('request.args["f"]')).toBe(1);
  });
});

describe('taint analysis: constant tables', () => {
  it('treats a lookup in an ALL_CAPS table keyed by request data as the table value', () => {
    const code = [
      'from django.http import HttpResponse',
      'def view(request):',
      '    label = LABELS.get(request.GET.get("kind", ""))',
      '    return HttpResponse("<b>" + str(label) + "</b>")',
    ].join('\n');
    expect(ruleIds(code, 'python').filter((id) => id.startsWith('py-xss'))).toEqual([]);
    const direct = code.replace('LABELS.get(request.GET.get("kind", ""))', 'request.GET.get("kind", "")');
    expect(ruleIds(direct, 'python').filter((id) => id.startsWith('py-xss'))).toEqual(['py-xss@4']);
  });

  it('follows arguments into same-file sink helpers however they are called ($-names, type arguments, optional calls, chains)', () => {
    // SSRF counts request data only: the finding needs the call site's argument, not just the parameter.
    const helper = (name: string) => `function ${name}(url: string) { return axios.get(url); }`;
    const calls = [
      ['$load', '$load(req.query.url)'],
      ['loadTyped', 'loadTyped<Row>(req.query.url)'],
      ['loadMaybe', 'loadMaybe?.(req.query.url)'],
      ['loadChained', 'this.repo.loadChained (req.query.url)'],
    ] as const;
    for (const [name, call] of calls) {
      const code = [helper(name), `app.get('/t', (req, res) => { ${call}; });`].join('\n');
      expect(ruleIds(code, 'typescript'), call).toEqual(['js-ssrf@1']);
    }
  });
});
