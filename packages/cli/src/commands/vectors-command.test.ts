import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../testing/start-captured-program.ts';

const testdata = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../engines/src/test-vectors/testdata',
);
const buggy = path.join(testdata, 'text-tools-buggy.ts');
const correct = path.join(testdata, 'text-tools-correct.ts');
const directory = mkdtempSync(path.join(tmpdir(), 'plumb-vectors-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('plumb vectors', () => {
  it('prints a Markdown summary and exits 1 when there are findings', async () => {
    const run = await runCapturedProgram(['vectors', buggy, '--function', 'pageCount', '--seed', '2']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^# Test vectors for text-tools-buggy\.ts/);
    expect(run.stdout).toMatch(/\| example-mismatch \| high \|/);
    expect(run.stderr).toMatch(/finding/);
  });

  it('exits 0 on correct code, writes --json, --save and --emit output', async () => {
    const saved = path.join(directory, 'result.json');
    const emit = path.join(directory, 'emitted');
    const run = await runCapturedProgram([
      'vectors',
      correct,
      '-f',
      'mean',
      '--json',
      '--save',
      saved,
      '--emit',
      emit,
      '--budget',
      '20',
    ]);
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as { findings: unknown[]; seed: number };
    expect(result).toMatchObject({ findings: [], seed: 1 });
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual(result);
    expect(existsSync(path.join(emit, 'text-tools-correct.vectors.test.ts'))).toBe(true);
  });

  it('compares against another implementation with --against', async () => {
    const run = await runCapturedProgram([
      'vectors',
      buggy,
      '-f',
      'truncate',
      '--against',
      correct,
      '--json',
      '--property-runs',
      '0',
    ]);
    expect(run.exitCode).toBe(1);
    const result = JSON.parse(run.stdout) as { mode: string; findings: { kind: string }[] };
    expect(result.mode).toBe('differential');
    expect(result.findings.some((finding) => finding.kind === 'divergence')).toBe(true);
  });

  it('says what is wrong with bad input', async () => {
    const missing = await runCapturedProgram(['vectors', path.join(directory, 'nope.ts')]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error source_not_found: No source file at/);
    const unknown = await runCapturedProgram(['vectors', buggy, '-f', 'nope']);
    expect(unknown.stderr).toMatch(
      /error function_not_found: .*Available: truncate, mean, sortNumbers, pageCount/,
    );
    const badSeed = await runCapturedProgram(['vectors', buggy, '--seed', 'abc']);
    expect(badSeed.exitCode).toBe(2);
  });
});
