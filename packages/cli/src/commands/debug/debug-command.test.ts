import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startInspectedProgram } from '@plumb/engines';
import { afterAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../../testing/start-captured-program.ts';

const corpus = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../engines/fixtures/debugger/corpus/python/median',
);
const directory = mkdtempSync(path.join(tmpdir(), 'plumb-debug-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const cart = path.join(directory, 'cart.py');
writeFileSync(
  cart,
  [
    'def total(prices):',
    '    result = 0',
    '    for price in prices:',
    '        result += price',
    '    return result',
    '',
    'print("sum", total([3, 5]))',
    '',
  ].join('\n'),
);

const clock = path.join(directory, 'clock.js');
writeFileSync(
  clock,
  [
    'let beats = 0;',
    'setInterval(() => {',
    '  beats += 1;',
    "  console.log('beat', beats);",
    '}, 20);',
    '',
  ].join('\n'),
);

describe('plumb debug', () => {
  it('stops at a --break, steps, prints, shows the stack and runs to the end from piped commands', async () => {
    const run = await runCapturedProgram(['debug', cart, '--break', `${cart}:4`], {
      stdinText: 'locals\nnext\np result * 10\nwhere\nclear 4\ncontinue\nquit\n',
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/stopped \(breakpoint\) at .*cart\.py:4 in total/);
    expect(run.stdout).toMatch(/> {4}4 \| {9}result \+= price/);
    expect(run.stdout).toContain('prices = ');
    expect(run.stdout).toMatch(/stopped \(step\) at .*cart\.py:3/);
    expect(run.stdout).toContain('30');
    expect(run.stdout).toMatch(/#0 total at .*cart\.py:3\n#1 <module> at .*cart\.py:7/);
    expect(run.stdout).toContain('program exited with code 0');
    expect(run.stdout).toContain('sum 8');
  });

  it('stops on entry without breakpoints and reports bad commands without ending the session', async () => {
    const run = await runCapturedProgram(['debug', cart], { stdinText: 'teleport\nbreak nowhere\nn\nq\n' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/stopped \(entry\) at .*cart\.py:1/);
    expect(run.stdout).toContain('unknown command "teleport"');
    expect(run.stdout).toContain('expected file:line or a line number');
  });

  it('drives the same session with --python-backend debugpy, and refuses an unknown backend', async () => {
    const run = await runCapturedProgram(
      ['debug', cart, '--break', `${cart}:4`, '--python-backend', 'debugpy'],
      {
        stdinText: 'locals\ncontinue\nclear 4\ncontinue\nquit\n',
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/stopped \(breakpoint\) at .*cart\.py:4 in total/);
    expect(run.stdout).toContain('prices = ');
    expect(run.stdout).toContain('sum 8');
    const unknown = await runCapturedProgram(['debug', cart, '--python-backend', 'pdb']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('bdb, debugpy');
  });

  it('--attach: breaks in a program running under node --inspect, and quit detaches leaving it running', async () => {
    const target = await startInspectedProgram(clock);
    try {
      const run = await runCapturedProgram(['debug', '--attach', target.address, '--break', `${clock}:3`], {
        stdinText: 'p beats * 10\nnext\nwhere\nquit\n',
      });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/stopped \(breakpoint\) at .*clock\.js:3/);
      const beats = Number(/^(\d+)$/m.exec(run.stdout)?.[1]) / 10;
      expect(run.stdout).toMatch(/stopped \(step\) at .*clock\.js:4/);
      // Detached, not killed: the program goes on beating past where it was stopped.
      for (const started = Date.now(); !target.stdout().includes(`beat ${beats + 5}\n`);) {
        if (Date.now() - started > 5_000) throw new Error(`no beats after detaching: ${target.stdout()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(target.child.exitCode).toBeNull();
    } finally {
      target.child.kill('SIGKILL');
    }
  });

  it('--attach: a usage error next to a program, a failure for a host that is not loopback', async () => {
    const both = await runCapturedProgram(['debug', cart, '--attach', '127.0.0.1:9229']);
    expect(both.exitCode).toBe(2);
    const remote = await runCapturedProgram(['debug', '--attach', '192.0.2.7:9229']);
    expect(remote.exitCode).toBe(1);
    expect(remote.stderr).toMatch(/invalid_request: Refusing to attach to 192\.0\.2\.7:9229: only loopback/);
  });

  it('is a usage error without a program, and a failure for a missing one', async () => {
    expect((await runCapturedProgram(['debug'])).exitCode).toBe(2);
    const missing = await runCapturedProgram(['debug', path.join(directory, 'nope.py')]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('program_not_found');
  });

  it('failure: runs a test file to its failing assertion and prints the frames with their locals', async () => {
    const run = await runCapturedProgram([
      'debug',
      'failure',
      path.join(corpus, 'test_median.py'),
      'test_even_count',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^failed: AssertionError/);
    expect(run.stdout).toMatch(/test_even_count at .*test_median\.py:\d+\n(.*\n)*\s+result = /);
  });

  it('localize: ranks the buggy line first from failing and passing tests', async () => {
    const test = path.join(corpus, 'test_median.py');
    const run = await runCapturedProgram([
      'debug',
      'localize',
      '--json',
      '--source',
      path.join(corpus, 'median.py'),
      ...[
        'test_odd_count',
        'test_single_value',
        'test_unsorted_odd_count',
        'test_even_count',
        'test_two_values',
      ].flatMap((name) => ['--test', `${test} ${name}`]),
    ]);
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as { lines: { file: string; line: number; rank: number }[] };
    expect(result.lines[0]).toMatchObject({ file: path.join(corpus, 'median.py'), line: 9 });
  });
});
