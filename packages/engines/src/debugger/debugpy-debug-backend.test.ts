import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { pythonContractFixtures, runDebugBackendContract } from './debug-backend.contract.ts';
import type { DebugBackend } from './debug-backend.ts';
import { createDebugpyDebugBackend } from './debugpy-debug-backend.ts';

runDebugBackendContract({
  create: () => createDebugpyDebugBackend(),
  language: 'python',
  fixtures: pythonContractFixtures,
});

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../fixtures/debugger/debugpy/${name}`, import.meta.url));
const markedLine = (file: string, mark: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(`@mark:${mark}`)) + 1;

describe('debugpy debug backend', () => {
  let backend: DebugBackend | undefined;
  afterEach(async () => {
    await backend?.terminate();
    backend = undefined;
  });

  it('stops at a breakpoint inside a thread, with that thread’s frames and locals', async () => {
    backend = createDebugpyDebugBackend();
    const program = fixture('threaded.py');
    const line = markedLine(program, 'in-thread');
    const result = await backend.launch({ program, breakpoints: { [program]: [{ line }] } });
    if (result.status !== 'stopped') throw new Error(`expected a stop, got ${result.status}`);
    expect(result.snapshot).toMatchObject({
      reason: 'breakpoint',
      location: { file: program, line, function: 'work' },
    });
    expect(result.snapshot.locals.map((local) => local.name)).toEqual(
      expect.arrayContaining(['label', 'count', 'total', 'step']),
    );
    expect((await backend.evaluate({ expression: 'label' })).result).toBe("'worker'");
    await backend.setBreakpoints(program, []);
    expect((await backend.continue()).status).toBe('terminated');
    expect(backend.output().some((entry) => entry.output.includes("results [('worker', 3)]"))).toBe(true);
  });

  it('runs a program that starts a Python subprocess, which runs undebugged', async () => {
    backend = createDebugpyDebugBackend();
    const program = fixture('spawns-child.py');
    const line = markedLine(program, 'after-child');
    const result = await backend.launch({ program, breakpoints: { [program]: [{ line }] } });
    expect(result).toMatchObject({ status: 'stopped', snapshot: { location: { line } } });
    expect((await backend.evaluate({ expression: 'child.stdout' })).result).toBe("'child says 42\\n'");
    expect((await backend.continue()).status).toBe('terminated');
  });

  it('says clearly when the interpreter cannot import debugpy', async () => {
    // The fixture runs /usr/bin/python3 -S: without site directories, Debian's debugpy is not importable.
    backend = createDebugpyDebugBackend({ python: fixture('no-debugpy-python') });
    const failure = await backend
      .launch({ program: fixture('threaded.py') })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'interpreter_not_found' });
    expect((failure as Error).message).toMatch(/cannot import debugpy.*python3-debugpy/);
  });

  it('says clearly when the interpreter does not exist', async () => {
    backend = createDebugpyDebugBackend({ python: '/nonexistent/python3' });
    await expect(backend.launch({ program: fixture('threaded.py') })).rejects.toMatchObject({
      code: 'interpreter_not_found',
    });
  });
});
