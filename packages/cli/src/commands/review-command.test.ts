import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../testing/start-captured-program.ts';

const directory = mkdtempSync(path.join(tmpdir(), 'plumb-review-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const vulnerable = `import express from 'express';
import { Pool } from 'pg';
const app = express();
const pool = new Pool();
app.get('/users', async (req, res) => {
  const rows = await pool.query("SELECT * FROM users WHERE name = '" + req.query.name + "'");
  res.json(rows);
});
`;

function project(name: string): string {
  const root = path.join(directory, name);
  mkdirSync(path.join(root, 'src'), { recursive: true });
  mkdirSync(path.join(root, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'users.ts'), vulnerable);
  writeFileSync(path.join(root, 'src', 'health.ts'), 'export const health = () => ({ ok: true });\n');
  // Vendored code is not the project's: never scanned.
  writeFileSync(path.join(root, 'node_modules', 'dep', 'index.js'), 'eval(process.argv[2]);\n');
  return root;
}

describe('plumb review', () => {
  it('reports a vulnerability with its CWE and safer alternative and exits 1; --sarif writes SARIF 2.1.0', async () => {
    const root = project('report');
    const sarif = path.join(directory, 'out.sarif');
    const run = await runCapturedProgram(['review', root, '--sarif', sarif]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('CWE-89');
    expect(run.stdout).toContain('src/users.ts');
    expect(run.stdout).not.toContain('node_modules');
    const log = JSON.parse(readFileSync(sarif, 'utf8')) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('src/users.ts');
  });

  it('--json prints the result; a baseline adopts existing findings and the exit code turns 0', async () => {
    const root = project('baseline');
    const baseline = path.join(directory, 'baseline.json');
    const json = await runCapturedProgram(['review', root, '--json']);
    const result = JSON.parse(json.stdout) as { findings: { cwe: string }[] };
    expect(result.findings.map((finding) => finding.cwe)).toContain('CWE-89');
    expect((await runCapturedProgram(['review', root, '--write-baseline', baseline])).exitCode).toBe(0);
    const adopted = await runCapturedProgram(['review', root, '--baseline', baseline]);
    expect(adopted.exitCode).toBe(0);
    // A new vulnerability is still reported.
    writeFileSync(
      path.join(root, 'src', 'run.ts'),
      "import { exec } from 'node:child_process';\nexport const run = (req: { query: { cmd: string } }) => exec('ls ' + req.query.cmd);\n",
    );
    expect((await runCapturedProgram(['review', root, '--baseline', baseline])).exitCode).toBe(1);
  });

  it('--fix rewrites string-built SQL into a parameterized query', async () => {
    const root = project('fix');
    const run = await runCapturedProgram(['review', root, '--fix']);
    const fixed = readFileSync(path.join(root, 'src', 'users.ts'), 'utf8');
    expect(fixed).toContain('$1');
    expect(fixed).toContain('req.query.name');
    expect(run.stderr).toContain('fixed src/users.ts');
    expect((await runCapturedProgram(['review', root])).exitCode).toBe(0);
  });

  it('is a usage error (exit 2) for a missing path or an unreadable baseline', async () => {
    expect((await runCapturedProgram(['review', path.join(directory, 'nope')])).exitCode).toBe(2);
    const root = project('bad-baseline');
    writeFileSync(path.join(directory, 'broken.json'), '{ not json');
    const run = await runCapturedProgram(['review', root, '--baseline', path.join(directory, 'broken.json')]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('baseline_invalid');
  });
});
