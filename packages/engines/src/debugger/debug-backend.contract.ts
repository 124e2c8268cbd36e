import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DebugBackend, DebugLanguage, StateSnapshot, StopResult } from './debug-backend.ts';

/** Processes whose command line mentions `file` (the debuggee, its sandbox wrapper). */
function runningProcesses(file: string): number {
  const table = execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' });
  return table.split('\n').filter((line) => line.includes(file) && !line.trimStart().startsWith('Z')).length;
}

export interface DebugBackendContractOptions {
  create: () => DebugBackend;
  language: DebugLanguage;
  fixtures: {
    /**
     * Holds basic, exception, caught, busy and syntax-error programs with `@mark:<name>` comments on marked
     * lines.
     */
    directory: string;
    /** `.ts`, `.py`, ... */
    extension: string;
    /** An expression in the backend's language that never finishes. */
    infiniteExpression: string;
    /** An expression in the backend's language whose value is a string of 1000 `x`. */
    longStringExpression: string;
  };
}

/** The Python contract fixtures, shared by every Python backend's test. */
export const pythonContractFixtures: DebugBackendContractOptions['fixtures'] = {
  directory: fileURLToPath(new URL('../../fixtures/debugger/contract/python', import.meta.url)),
  extension: '.py',
  infiniteExpression: '[0 for _ in iter(int, 1)]',
  longStringExpression: "'x' * 1000",
};

/**
 * The behaviour every `DebugBackend` owes its users, as one Vitest suite. Each backend's test file calls it with
 * its own fixtures (the same programs written in its language).
 *
 * @example runDebugBackendContract({ create: createPythonDebugBackend, language: 'python', fixtures })
 */
export function runDebugBackendContract({ create, language, fixtures }: DebugBackendContractOptions): void {
  const program = (name: string) => path.join(fixtures.directory, `${name}${fixtures.extension}`);
  const markedLine = (name: string, mark: string) => {
    const index = readFileSync(program(name), 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(`@mark:${mark}`));
    if (index < 0) throw new Error(`fixture ${name} has no @mark:${mark}`);
    return index + 1;
  };
  const stopped = (result: StopResult): StateSnapshot => {
    if (result.status !== 'stopped') throw new Error(`expected a stop, got ${JSON.stringify(result)}`);
    return result.snapshot;
  };
  const errorCode = async (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: unknown) => (error as { code?: string }).code ?? String(error),
    );

  let backend: DebugBackend | undefined;
  const start = () => (backend = create());
  afterEach(async () => {
    await backend?.terminate();
    backend = undefined;
  });

  describe(`DebugBackend contract (${language})`, () => {
    it('stops at a breakpoint on the right line, with the locals of that frame', async () => {
      const debug = start();
      const line = markedLine('basic', 'loop-body');
      const snapshot = stopped(
        await debug.launch({ program: program('basic'), breakpoints: { [program('basic')]: [{ line }] } }),
      );
      expect(snapshot.reason).toBe('breakpoint');
      expect(snapshot.location).toMatchObject({ file: program('basic'), line });
      expect(snapshot.locals.map((local) => local.name)).toEqual(
        expect.arrayContaining(['order', 'sum', 'count']),
      );
      expect(snapshot.source.lines.join('\n')).toContain('@mark:loop-body');
      expect(snapshot.callStack.length).toBeGreaterThanOrEqual(2);
    });

    it('expands nested locals lazily, with paging', async () => {
      const debug = start();
      const line = markedLine('basic', 'loop-body');
      const snapshot = stopped(
        await debug.launch({ program: program('basic'), breakpoints: { [program('basic')]: [{ line }] } }),
      );
      const order = snapshot.locals.find((local) => local.name === 'order');
      expect(order?.variablesReference).toBeGreaterThan(0);
      const orderFields = await debug.variables({ variablesReference: order?.variablesReference ?? 0 });
      const items = orderFields.find((field) => field.name.replace(/['"]/g, '') === 'items');
      expect(items?.variablesReference).toBeGreaterThan(0);
      const page = await debug.variables({
        variablesReference: items?.variablesReference ?? 0,
        start: 1,
        count: 2,
      });
      expect(page.map((entry) => entry.name)).toEqual(['1', '2']);
      const book = await debug.variables({ variablesReference: page[0]?.variablesReference ?? 0 });
      expect(book.find((field) => field.name === 'price')?.value).toBe('12');
    });

    it('stops on entry, steps in and out', async () => {
      const debug = start();
      const entry = stopped(await debug.launch({ program: program('basic'), stopOnEntry: true }));
      expect(entry.reason).toBe('entry');
      expect(entry.location.file).toBe(program('basic'));
      const call = markedLine('basic', 'call');
      await debug.setBreakpoints(program('basic'), [{ line: call }]);
      expect(stopped(await debug.continue()).location.line).toBe(call);
      const inside = stopped(await debug.stepIn());
      expect(inside).toMatchObject({ reason: 'step', location: { function: 'total' } });
      expect(inside.callStack[1]?.line).toBe(call);
      const next = stopped(await debug.stepOver());
      expect(next.location.line).toBe(inside.location.line + 1);
      const back = stopped(await debug.stepOut());
      expect(back.location.function).not.toBe('total');
      expect(back.location.line).toBe(call);
      expect((await debug.stackTrace())[0]).toMatchObject({ line: call });
    });

    it('moves a breakpoint on a blank line to the next executable line and says so', async () => {
      const debug = start();
      stopped(await debug.launch({ program: program('basic'), stopOnEntry: true }));
      const target = markedLine('basic', 'after-blank');
      const [breakpoint] = await debug.setBreakpoints(program('basic'), [{ line: target - 1 }]);
      expect(breakpoint).toMatchObject({ line: target });
      expect(breakpoint?.message).toMatch(/moved/);
      const snapshot = stopped(await debug.continue());
      expect(snapshot.location.line).toBe(target);
    });

    it('rejects a breakpoint past the end of the file', async () => {
      const debug = start();
      stopped(await debug.launch({ program: program('basic'), stopOnEntry: true }));
      expect(await errorCode(debug.setBreakpoints(program('basic'), [{ line: 10_000 }]))).toBe(
        'breakpoint_invalid',
      );
    });

    it('honours conditions and hit counts', async () => {
      const debug = start();
      const line = markedLine('basic', 'loop-body');
      const file = program('basic');
      stopped(
        await debug.launch({ program: file, breakpoints: { [file]: [{ line, condition: 'sum > 10' }] } }),
      );
      expect((await debug.evaluate({ expression: 'sum' })).result).toBe('15');
      await debug.setBreakpoints(file, [{ line, hitCondition: '3' }]);
      await debug.terminate();
      const again = start();
      stopped(await again.launch({ program: file, breakpoints: { [file]: [{ line, hitCondition: '3' }] } }));
      expect((await again.evaluate({ expression: 'count' })).result).toBe('2');
    });

    it('logs at logpoints without stopping', async () => {
      const debug = start();
      const line = markedLine('basic', 'loop-body');
      const file = program('basic');
      const result = await debug.launch({
        program: file,
        breakpoints: { [file]: [{ line, logMessage: 'sum is {sum}' }] },
      });
      expect(result.status).toBe('terminated');
      const logged = debug
        .output()
        .filter((entry) => entry.category === 'console')
        .map((entry) => entry.output);
      expect(logged).toEqual(['sum is 0\n', 'sum is 3\n', 'sum is 15\n', 'sum is 45\n']);
      expect(
        debug.output().some((entry) => entry.category === 'stdout' && entry.output.includes('total 50')),
      ).toBe(true);
    });

    it('stops in the faulting frame on an uncaught exception', async () => {
      const debug = start();
      const snapshot = stopped(
        await debug.launch({ program: program('exception'), exceptionFilters: ['uncaught'] }),
      );
      expect(snapshot.reason).toBe('exception');
      expect(snapshot.location.line).toBe(markedLine('exception', 'throw'));
      expect(snapshot.locals.map((local) => local.name)).toEqual(expect.arrayContaining(['user', 'label']));
      expect(snapshot.exception?.type).toMatch(/TypeError|KeyError/);
    });

    it('stops at a caught exception only when asked for all exceptions', async () => {
      const uncaughtOnly = start();
      const result = await uncaughtOnly.launch({
        program: program('caught'),
        exceptionFilters: ['uncaught'],
      });
      expect(result.status).toBe('terminated');
      expect(uncaughtOnly.output().some((entry) => entry.output.includes('fallbacks 1'))).toBe(true);
      await uncaughtOnly.terminate();
      const all = start();
      const snapshot = stopped(await all.launch({ program: program('caught'), exceptionFilters: ['all'] }));
      expect(snapshot).toMatchObject({
        reason: 'exception',
        location: { line: markedLine('caught', 'throw') },
      });
      expect((await all.continue()).status).toBe('terminated');
    });

    it('pauses a busy loop, and survives an evaluation that never ends', async () => {
      const debug = start();
      expect((await debug.launch({ program: program('busy'), waitMilliseconds: 300 })).status).toBe(
        'running',
      );
      const snapshot = stopped(await debug.pause());
      expect(snapshot.reason).toBe('pause');
      expect(Math.abs(snapshot.location.line - markedLine('busy', 'busy'))).toBeLessThanOrEqual(1);
      const started = Date.now();
      expect(
        await errorCode(
          debug.evaluate({ expression: fixtures.infiniteExpression, timeoutMilliseconds: 300 }),
        ),
      ).toBe('evaluation_timeout');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await debug.evaluate({ expression: '1 + 1' })).result).toBe('2');
      expect(stopped(await debug.stepOver()).reason).toBe('step');
    });

    it('evaluates in any frame and bounds the size of values', async () => {
      const debug = start();
      const line = markedLine('basic', 'loop-body');
      const file = program('basic');
      const snapshot = stopped(await debug.launch({ program: file, breakpoints: { [file]: [{ line }] } }));
      const caller = snapshot.callStack[1];
      expect((await debug.evaluate({ expression: 'total', frameId: caller?.id })).result).toContain('total');
      expect(await errorCode(debug.evaluate({ expression: 'count', frameId: caller?.id }))).toBe(
        'invalid_request',
      );
      const long = await debug.evaluate({ expression: fixtures.longStringExpression });
      expect(long.result.length).toBeLessThanOrEqual(200);
      expect(long.result).toMatch(/^.xxxx/);
    });

    it('sets a variable in a frame', async () => {
      const debug = start();
      const line = markedLine('basic', 'loop-body');
      const file = program('basic');
      stopped(await debug.launch({ program: file, breakpoints: { [file]: [{ line }] } }));
      const [locals] = await debug.scopes(0);
      await debug.setVariable({
        variablesReference: locals?.variablesReference ?? 0,
        name: 'sum',
        value: '100',
      });
      await debug.setBreakpoints(file, []);
      expect((await debug.continue()).status).toBe('terminated');
      expect(debug.output().some((entry) => entry.output.includes('total 150'))).toBe(true);
    });

    it('refuses to step a terminated session, and leaves no process behind', async () => {
      const debug = start();
      stopped(await debug.launch({ program: program('busy'), stopOnEntry: true }));
      expect(runningProcesses(program('busy'))).toBeGreaterThan(0);
      await debug.terminate();
      expect(await errorCode(debug.stepOver())).toBe('debug_session_terminated');
      expect(await errorCode(debug.evaluate({ expression: '1' }))).toBe('debug_session_terminated');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(runningProcesses(program('busy'))).toBe(0);
    });

    it('reports a missing program and a syntax error clearly', async () => {
      expect(await errorCode(start().launch({ program: program('does-not-exist') }))).toBe(
        'program_not_found',
      );
      expect(await errorCode(start().launch({ program: program('syntax-error') }))).toBe(
        'source_syntax_error',
      );
    });
  });
}
