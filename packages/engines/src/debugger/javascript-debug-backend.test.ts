import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runDebugBackendContract } from './debug-backend.contract.ts';
import type { DebugBackend } from './debug-backend.ts';
import { createJavaScriptDebugBackend } from './javascript-debug-backend.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/debugger/contract/javascript', import.meta.url));

runDebugBackendContract({
  create: createJavaScriptDebugBackend,
  language: 'javascript',
  fixtures: {
    directory: fixtures,
    extension: '.ts',
    infiniteExpression: '(() => { while (true) {} })()',
    longStringExpression: "'x'.repeat(1000)",
  },
});

describe('JavaScript debug backend', () => {
  let backend: DebugBackend | undefined;
  afterEach(async () => {
    await backend?.terminate();
  });

  it('shows the awaiting callers of an async function', async () => {
    backend = createJavaScriptDebugBackend();
    const program = `${fixtures}/async.ts`;
    const result = await backend.launch({ program, breakpoints: { [program]: [{ line: 4 }] } });
    if (result.status !== 'stopped') throw new Error(result.status);
    expect(result.snapshot.location).toMatchObject({ line: 4, function: 'fetchScore' });
    expect(result.snapshot.callStack).toContainEqual(
      expect.objectContaining({ name: 'leaderboard', line: 9, isAsync: true }),
    );
  });

  it('binds breakpoints in plain JavaScript before the file loads', async () => {
    backend = createJavaScriptDebugBackend();
    const program = `${fixtures}/plain.mjs`;
    const result = await backend.launch({ program, breakpoints: { [program]: [{ line: 3 }] } });
    if (result.status !== 'stopped') throw new Error(result.status);
    expect(result.snapshot.location).toMatchObject({ line: 3, function: 'greet' });
    expect(result.snapshot.locals).toContainEqual(
      expect.objectContaining({ name: 'greeting', value: '"hello world"' }),
    );
  });

  it('stops on entry in a CommonJS module and hides its wrapper from the locals', async () => {
    backend = createJavaScriptDebugBackend();
    const program = `${fixtures}/common.cjs`;
    const entry = await backend.launch({ program, stopOnEntry: true });
    if (entry.status !== 'stopped') throw new Error(entry.status);
    expect(entry.snapshot).toMatchObject({ reason: 'entry', location: { line: 1 } });
    expect(entry.snapshot.locals.map((local) => local.name)).toEqual(['path', 'join']);
    expect(entry.snapshot.locals[1]?.value).toBe('ƒ function join(a, b)');
  });

  it('binds .ts breakpoints and stops on entry when tsx compiles the program as CommonJS', async () => {
    // Outside a "type": "module" package tsx compiles .ts as CommonJS, which V8's before-script pause never sees.
    const directory = mkdtempSync(path.join(tmpdir(), 'plumb-cjs-ts-'));
    const program = path.join(directory, 'discount.ts');
    writeFileSync(
      program,
      [
        'interface Item { name: string; price: number }',
        'function discount(items: Item[], percent: number): number {',
        '  let sum = 0;',
        '  for (const item of items) {',
        '    sum += item.price * (1 - percent / 100);',
        '  }',
        '  return sum;',
        '}',
        "const items: Item[] = [{ name: 'a', price: 10 }, { name: 'b', price: 20 }];",
        'console.log(discount(items, 10));',
        '',
      ].join('\n'),
    );
    try {
      backend = createJavaScriptDebugBackend();
      const entry = await backend.launch({ program, stopOnEntry: true });
      if (entry.status !== 'stopped') throw new Error(entry.status);
      expect(entry.snapshot.location).toMatchObject({ file: program, line: 9 });
      await backend.setBreakpoints(program, [{ line: 5, condition: 'item.price > 15' }]);
      const hit = await backend.continue();
      if (hit.status !== 'stopped') throw new Error(hit.status);
      expect(hit.snapshot.location).toMatchObject({ file: program, line: 5 });
      expect((await backend.evaluate({ expression: 'item.name' })).result).toContain('b');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
