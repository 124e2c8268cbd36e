import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DebugBackend, StopResult } from './debug-backend.ts';
import { createJavaScriptDebugBackend } from './javascript-debug-backend.ts';
import { createPythonDebugBackend } from './python-debug-backend.ts';
import { startInspectedProgram } from './start-inspected-program.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/debugger/contract/javascript', import.meta.url));
const directory = mkdtempSync(path.join(tmpdir(), 'plumb-attach-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A program that runs until killed, calling `tick` every 20 ms; line 3 is inside `tick`. */
const tickerLines = (typed: boolean) => [
  'let ticks = 0;',
  `function tick(step${typed ? ': number' : ''}) {`,
  '  const next = ticks + step;',
  '  ticks = next;',
  "  console.log('tick', ticks);",
  '  return next;',
  '}',
  'setInterval(() => tick(2), 20);',
  '',
];
const tickerJs = path.join(directory, 'ticker.js');
writeFileSync(tickerJs, tickerLines(false).join('\n'));
const tickerTs = path.join(directory, 'ticker.ts');
writeFileSync(tickerTs, ['// A TypeScript ticker.', ...tickerLines(true)].join('\n'));
const shortLived = path.join(directory, 'short-lived.js');
writeFileSync(shortLived, "setTimeout(() => console.log('bye from the program'), 400);\n");

const children: ChildProcess[] = [];
let backend: DebugBackend | undefined;
afterEach(async () => {
  await backend?.terminate();
  backend = undefined;
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

const startInspected = async (program: string, options: { holdAtStart?: boolean; host?: string } = {}) => {
  const target = await startInspectedProgram(program, options);
  children.push(target.child);
  return target;
};

const stopped = (result: StopResult) => {
  if (result.status !== 'stopped') throw new Error(`expected a stop, got ${JSON.stringify(result)}`);
  return result.snapshot;
};
const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: 'resolved', message: '' }),
    (error: unknown) => ({ code: (error as { code?: string }).code ?? 'none', message: String(error) }),
  );
const waitUntil = async (condition: () => boolean, what: string) => {
  for (const started = Date.now(); !condition(); await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (Date.now() - started > 5_000) throw new Error(`timed out waiting for ${what}`);
  }
};

/** A loopback HTTP server answering every request with `body`; resolves with its `host:port`. */
async function serveHttp(body: (port: number) => string): Promise<{ address: string; close(): void }> {
  const server = http.createServer((_request, response) => {
    const port = (server.address() as net.AddressInfo).port;
    response.writeHead(200, { 'content-type': 'application/json' }).end(body(port));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { address: `127.0.0.1:${port}`, close: () => server.close() };
}

const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;

/** Attaches to a loopback HTTP server that answers `body`; resolves with the error. */
async function attachErrorFrom(body: string) {
  const server = await serveHttp(() => body);
  try {
    return await errorOf(createJavaScriptDebugBackend().attach({ address: server.address }));
  } finally {
    server.close();
  }
}

describe('attaching to a running node --inspect program', () => {
  it('stops at a breakpoint with its locals, steps, evaluates, and detaches leaving the program running', async () => {
    const target = await startInspected(tickerJs);
    backend = createJavaScriptDebugBackend();
    const snapshot = stopped(
      await backend.attach({ address: target.address, breakpoints: { [tickerJs]: [{ line: 3 }] } }),
    );
    expect(snapshot).toMatchObject({
      reason: 'breakpoint',
      location: { file: tickerJs, line: 3, function: 'tick' },
    });
    expect(snapshot.locals).toContainEqual(expect.objectContaining({ name: 'step', value: '2' }));
    const next = stopped(await backend.stepOver());
    expect(next).toMatchObject({ reason: 'step', location: { line: 4 } });
    expect((await backend.evaluate({ expression: 'next - ticks' })).result).toBe('2');
    const ticksAtDetach = Number((await backend.evaluate({ expression: 'ticks' })).result);
    await backend.terminate();
    expect(await errorOf(backend.stepOver())).toMatchObject({ code: 'debug_session_terminated' });
    // Not killed, not left paused, no breakpoint left behind: the program goes on ticking past where it was.
    await waitUntil(() => target.stdout().includes(`tick ${ticksAtDetach + 10}\n`), 'ticks after detaching');
    expect(target.child.exitCode).toBeNull();
    expect(target.child.signalCode).toBeNull();
  });

  it('runs logpoints and hit counts in a program it did not start', async () => {
    const target = await startInspected(tickerJs);
    backend = createJavaScriptDebugBackend();
    const first = await backend.attach({
      address: target.address,
      breakpoints: {
        [tickerJs]: [
          { line: 3, logMessage: 'step {step}, ticks {ticks}' },
          { line: 4, hitCondition: '3' },
        ],
      },
    });
    const snapshot = stopped(first);
    expect(snapshot.location.line).toBe(4);
    const logged = backend
      .output()
      .filter((entry) => entry.category === 'console')
      .map((entry) => entry.output);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatch(/^step 2, ticks \d+\n$/);
  });

  it('steps an attached program many times in a row', async () => {
    const program = path.join(fixtures, 'stepping.ts');
    const target = await startInspected(program, { holdAtStart: true });
    backend = createJavaScriptDebugBackend();
    stopped(await backend.attach({ address: target.address, stopOnEntry: true }));
    const timings: number[] = [];
    for (let step = 0; step < 21; step++) {
      const started = performance.now();
      stopped(await backend.stepOver());
      timings.push(performance.now() - started);
    }
    // How fast they are is measured in `measure-step-latency.ts` and `npm run bench`, not asserted here; the
    // nudges that keep them fast are tested in connect-inspector-web-socket.test.ts.
    expect(timings).toHaveLength(21);
  });

  it('takes a ws:// URL, answers running without a stop, and pauses a busy loop', async () => {
    const target = await startInspected(path.join(fixtures, 'busy.ts'));
    await waitUntil(() => target.stdout().includes('spinning'), 'the busy loop to start');
    backend = createJavaScriptDebugBackend();
    expect(await backend.attach({ address: target.webSocketUrl, waitMilliseconds: 200 })).toEqual({
      status: 'running',
    });
    const snapshot = stopped(await backend.pause());
    expect(snapshot.reason).toBe('pause');
    expect(snapshot.location.file).toBe(path.join(fixtures, 'busy.ts'));
    expect(Math.abs(snapshot.location.line - 4)).toBeLessThanOrEqual(1);
    expect(Number((await backend.evaluate({ expression: 'spins' })).result)).toBeGreaterThan(0);
  });

  it('binds breakpoints in .ts lines of a program run with node --import tsx --inspect', async () => {
    const target = await startInspected(tickerTs);
    await waitUntil(() => target.stdout().includes('tick'), 'the program to start ticking');
    backend = createJavaScriptDebugBackend();
    const snapshot = stopped(
      await backend.attach({ address: target.address, breakpoints: { [tickerTs]: [{ line: 4 }] } }),
    );
    expect(snapshot.location).toMatchObject({ file: tickerTs, line: 4, function: 'tick' });
    expect(snapshot.source.lines.join('\n')).toContain('const next = ticks + step;');
    expect(stopped(await backend.stepOver()).location.line).toBe(5);
  });

  it('runs a program held by --inspect-brk to a breakpoint, and to its end', async () => {
    const program = path.join(fixtures, 'plain.mjs');
    const target = await startInspected(program, { holdAtStart: true });
    backend = createJavaScriptDebugBackend();
    const snapshot = stopped(
      await backend.attach({
        address: `http://${target.address}`,
        breakpoints: { [program]: [{ line: 3 }] },
      }),
    );
    expect(snapshot.location).toMatchObject({ file: program, line: 3, function: 'greet' });
    expect(snapshot.locals).toContainEqual(
      expect.objectContaining({ name: 'greeting', value: '"hello world"' }),
    );
    const end = await backend.continue();
    expect(end).toMatchObject({ status: 'terminated', exitCode: null });
    expect(backend.output()).toContainEqual({ category: 'stdout', output: 'hello world\n' });
    await new Promise<void>((resolve) =>
      target.child.exitCode === null ? target.child.once('exit', () => resolve()) : resolve(),
    );
    expect(target.child.exitCode).toBe(0);
  });

  it('stops on entry of a program held by --inspect-brk where a launch would (CommonJS, ES module, TypeScript)', async () => {
    for (const name of ['common.cjs', 'plain.mjs', 'basic.ts']) {
      const program = path.join(fixtures, name);
      const launched = createJavaScriptDebugBackend();
      const launchEntry = stopped(await launched.launch({ program, stopOnEntry: true }));
      await launched.terminate();
      const target = await startInspected(program, { holdAtStart: true });
      backend = createJavaScriptDebugBackend();
      const entry = stopped(await backend.attach({ address: target.address, stopOnEntry: true }));
      expect(entry.reason, name).toBe('entry');
      expect(entry.location, name).toEqual(launchEntry.location);
      await backend.terminate();
    }
  });

  it('reports the end of a program it did not start as terminated, with what it logged', async () => {
    const target = await startInspected(shortLived);
    backend = createJavaScriptDebugBackend();
    expect((await backend.attach({ address: target.address, waitMilliseconds: 50 })).status).toBe('running');
    const end = await backend.waitForStop({ waitMilliseconds: 5_000 });
    expect(end).toMatchObject({ status: 'terminated', recentOutput: ['bye from the program'] });
    // Node holds an ended program until its debugger lets go; the backend lets go.
    await new Promise<void>((resolve) =>
      target.child.exitCode === null ? target.child.once('exit', () => resolve()) : resolve(),
    );
  });

  it('refuses launch after attach and attach after launch', async () => {
    const target = await startInspected(tickerJs);
    backend = createJavaScriptDebugBackend();
    await backend.attach({ address: target.address, waitMilliseconds: 50 });
    expect(await errorOf(backend.launch({ program: tickerJs }))).toMatchObject({ code: 'conflict' });
    await backend.terminate();
    backend = createJavaScriptDebugBackend();
    stopped(await backend.launch({ program: path.join(fixtures, 'plain.mjs'), stopOnEntry: true }));
    expect(await errorOf(backend.attach({ address: target.address }))).toMatchObject({
      code: 'conflict',
    });
  });

  it('attaches to the first of several listed targets and says so in the output', async () => {
    const target = await startInspected(tickerJs);
    const list = (await (await fetch(`http://${target.address}/json/list`)).json()) as object[];
    const twice = await serveHttp(() => JSON.stringify([...list, { ...list[0], id: 'x' }]));
    try {
      backend = createJavaScriptDebugBackend();
      stopped(await backend.attach({ address: twice.address, breakpoints: { [tickerJs]: [{ line: 3 }] } }));
      expect(
        backend
          .output()
          .map((entry) => entry.output)
          .join(''),
      ).toMatch(/lists 2 targets; attached to the first/);
    } finally {
      twice.close();
    }
  });
});

describe('attach: bad addresses', () => {
  it('says so when nothing listens on the port', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await errorOf(createJavaScriptDebugBackend().attach({ address: `127.0.0.1:${port}` }));
    expect(error).toMatchObject({ code: 'debug_attach_failed' });
    expect(error.message).toContain('nothing is listening there');
  });

  it('refuses hosts other than loopback, also when an inspector list points elsewhere', async () => {
    const remote = await errorOf(createJavaScriptDebugBackend().attach({ address: '10.20.30.40:9229' }));
    expect(remote).toMatchObject({ code: 'invalid_request' });
    expect(remote.message).toMatch(/only loopback addresses/);
    const listed = await attachErrorFrom(
      JSON.stringify([{ id: 'a', webSocketDebuggerUrl: 'ws://10.20.30.40:9229/a' }]),
    );
    expect(listed).toMatchObject({ code: 'invalid_request' });
    expect(listed.message).toContain('10.20.30.40:9229');
  });

  it.skipIf(externalAddress === undefined)(
    'attaches to a host that is not loopback only with allowRemoteHosts',
    async () => {
      // This machine's own non-loopback address: remote as far as the check can tell, reachable from here.
      const target = await startInspected(tickerJs, { host: externalAddress });
      const address = target.address;
      expect(await errorOf(createJavaScriptDebugBackend().attach({ address }))).toMatchObject({
        code: 'invalid_request',
      });
      backend = createJavaScriptDebugBackend();
      const snapshot = stopped(
        await backend.attach({ address, allowRemoteHosts: true, breakpoints: { [tickerJs]: [{ line: 3 }] } }),
      );
      expect(snapshot.location).toMatchObject({ file: tickerJs, line: 3 });
    },
  );

  it('refuses a garbage address', async () => {
    for (const address of [
      'not an address',
      'http://127.0.0.1',
      'ftp://127.0.0.1:21',
      'ws://127.0.0.1:9229',
      '',
    ]) {
      const error = await errorOf(createJavaScriptDebugBackend().attach({ address }));
      expect(error, address).toMatchObject({ code: 'invalid_request' });
      expect(error.message).toContain('host:port');
    }
  });

  it('tells an HTTP server that is not an inspector apart', async () => {
    const error = await attachErrorFrom('<html>hello</html>');
    expect(error).toMatchObject({ code: 'debug_attach_failed' });
    expect(error.message).toContain('not a Node inspector');
  });

  it('is refused by the Python backend', async () => {
    expect(await errorOf(createPythonDebugBackend().attach({ address: '127.0.0.1:5678' }))).toMatchObject({
      code: 'unsupported_language',
    });
  });
});
