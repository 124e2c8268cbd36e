import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthTestServer, type AuthTestServer } from './auth-test-server.ts';

const pythonProgram = [
  'def total(prices):', //                 1
  '    result = 0', //                     2
  '    for price in prices:', //           3
  '        result += price', //            4
  '    return result', //                  5
  '', //                                   6
  'cart = {"apple": 3, "pear": 5}', //     7
  'print("sum", total(cart.values()))', // 8
  '',
].join('\n');

const typescriptProgram = [
  'interface Item { name: string; price: number }', //                       1
  'function discount(items: Item[], percent: number): number {', //          2
  '  let sum = 0;', //                                                       3
  '  for (const item of items) {', //                                        4
  '    sum += item.price * (1 - percent / 100);', //                         5
  '  }', //                                                                  6
  '  return sum;', //                                                        7
  '}', //                                                                    8
  "const items: Item[] = [{ name: 'a', price: 10 }, { name: 'b', price: 20 }];", // 9
  'console.log(discount(items, 10));', //                                   10
  '',
].join('\n');

/** A loop long enough for 50 steps that stays in one frame. */
const counterProgram = (name: string) =>
  [`label = "${name}"`, 'count = 0', 'while count < 1000:', '    count += 1', 'print(label, count)', ''].join(
    '\n',
  );

/** Processes whose command line holds `marker`. */
function runningWith(marker: string): number {
  const listing = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return listing.split('\n').filter((line) => line.startsWith('sleep') && line.includes(marker)).length;
}

interface Session {
  id: string;
  status: string;
  replayed: boolean;
  warnings: string[];
  breakpoints: Record<string, { line: number; verified: boolean; message?: string }[]>;
  stop: {
    status: string;
    snapshot?: {
      reason: string;
      location: { file: string; line: number; function: string };
      locals: { name: string; value: string; variablesReference: number }[];
    };
  };
}

describe('debug sessions over HTTP', () => {
  let auth: AuthTestServer;
  let alice: string;
  let bob: string;
  let codeKey: string;

  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${auth.server.plumb.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? alice}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const create = async (body: unknown, token?: string) => {
    const response = await call('POST', '/v3/debug/sessions', { token, body });
    return { status: response.status, session: response.body as unknown as Session, body: response.body };
  };
  const command = async (id: string, body: unknown, token?: string) => {
    const response = await call('POST', `/v3/debug/sessions/${id}/commands`, { token, body });
    return { status: response.status, session: response.body as unknown as Session, body: response.body };
  };

  beforeAll(async () => {
    auth = await startAuthTestServer({
      environment: { PLUMB_DEBUG_MAX_SESSIONS_PER_PRINCIPAL: '4', PLUMB_DEBUG_MEMORY_LIMIT_MB: '512' },
    });
    alice = await auth.createKey(['code:debug', 'code:read']);
    codeKey = alice;
    bob = await auth.createKey(['code:debug', 'code:read']);
  });
  afterAll(async () => auth.close());

  it('stops a Python program at a breakpoint, steps, inspects and evaluates, with the caller’s paths', async () => {
    const { status, session } = await create({
      files: [{ path: 'shop/cart.py', content: pythonProgram }],
      program: 'shop/cart.py',
      breakpoints: [{ file: 'shop/cart.py', breakpoints: [{ line: 4 }] }],
    });
    expect(status).toBe(201);
    expect(session.stop.status).toBe('stopped');
    expect(session.stop.snapshot?.location).toMatchObject({
      file: 'shop/cart.py',
      line: 4,
      function: 'total',
    });
    expect(session.stop.snapshot?.locals.map((local) => local.name)).toEqual(
      expect.arrayContaining(['prices', 'result', 'price']),
    );
    expect(JSON.stringify(session)).not.toContain('plumb-debug-');

    const stepped = await command(session.id, { command: 'step_over' });
    expect(stepped.status).toBe(200);
    expect(stepped.session.stop.snapshot?.location.line).toBe(3);

    const evaluated = await call('POST', `/v3/debug/sessions/${session.id}/evaluate`, {
      body: { expression: 'result * 10' },
    });
    expect(evaluated.body.result).toBe('30');

    const stack = await call('GET', `/v3/debug/sessions/${session.id}/stack`);
    const frames = stack.body.data as { id: number; name: string }[];
    expect(frames[0]?.name).toBe('total');
    const scopes = await call(
      'GET',
      `/v3/debug/sessions/${session.id}/scopes?frame_id=${frames[0]?.id ?? 0}`,
    );
    expect((scopes.body.data as { name: string }[]).length).toBeGreaterThan(0);

    await call('PUT', `/v3/debug/sessions/${session.id}/breakpoints`, {
      body: { file: 'shop/cart.py', breakpoints: [] },
    });
    const ended = await command(session.id, { command: 'continue' });
    expect(ended.session.stop).toMatchObject({ status: 'terminated', exitCode: 0 });
    expect(JSON.stringify(ended.session.stop)).toContain('sum 8');

    const again = await command(session.id, { command: 'step_over' });
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ error: { code: 'debug_session_terminated' } });

    const restarted = await command(session.id, { command: 'restart' });
    expect(restarted.session.stop.status).toBe('terminated');
    expect((await call('DELETE', `/v3/debug/sessions/${session.id}`)).body).toMatchObject({ deleted: true });
    const gone = await command(session.id, { command: 'continue' });
    expect(gone.status).toBe(410);
  });

  it('debugs a threaded Python program with the debugpy backend when the session asks for it', async () => {
    const threaded = [
      'import threading', //                          1
      '', //                                           2
      'def work(items, out):', //                      3
      '    total = sum(items)', //                     4
      '    out.append(total)', //                      5
      '', //                                           6
      'out = []', //                                   7
      'worker = threading.Thread(target=work, args=([2, 3], out))', // 8
      'worker.start()', //                             9
      'worker.join()', //                              10
      'print("total", out[0])', //                     11
      '',
    ].join('\n');
    const { status, session } = await create({
      files: [{ path: 'jobs/threaded.py', content: threaded }],
      program: 'jobs/threaded.py',
      python_backend: 'debugpy',
      breakpoints: [{ file: 'jobs/threaded.py', breakpoints: [{ line: 5 }] }],
    });
    expect(status).toBe(201);
    expect(session.stop.snapshot?.location).toMatchObject({
      file: 'jobs/threaded.py',
      line: 5,
      function: 'work',
    });
    expect(session.stop.snapshot?.locals.find((local) => local.name === 'total')?.value).toBe('5');
    const ended = await command(session.id, { command: 'continue' });
    expect(ended.session.stop).toMatchObject({ status: 'terminated', exitCode: 0 });
    expect(JSON.stringify(ended.session.stop)).toContain('total 5');
    await call('DELETE', `/v3/debug/sessions/${session.id}`);

    const wrongLanguage = await create({
      files: [{ path: 'a.ts', content: 'console.log(1);\n' }],
      program: 'a.ts',
      python_backend: 'debugpy',
    });
    expect(wrongLanguage.status).toBe(400);
    expect(wrongLanguage.body).toMatchObject({ error: { code: 'invalid_request', param: 'python_backend' } });
    const unknown = await create({
      files: [{ path: 'a.py', content: 'x = 1\n' }],
      program: 'a.py',
      python_backend: 'pdb',
    });
    expect(unknown.status).toBe(400);
  });

  it('binds breakpoints in TypeScript source lines and expands nested locals lazily', async () => {
    const { session } = await create({
      files: [{ path: 'src/discount.ts', content: typescriptProgram }],
      program: 'src/discount.ts',
      breakpoints: [{ file: 'src/discount.ts', breakpoints: [{ line: 5, condition: 'item.price > 15' }] }],
    });
    expect(session.stop.snapshot?.location).toMatchObject({ file: 'src/discount.ts', line: 5 });
    const item = session.stop.snapshot?.locals.find((local) => local.name === 'item');
    expect(item?.value).toContain('20');
    expect(item?.variablesReference).toBeGreaterThan(0);
    const children = await call(
      'GET',
      `/v3/debug/sessions/${session.id}/variables?reference=${item?.variablesReference ?? 0}`,
    );
    expect((children.body.data as { name: string; value: string }[]).map((child) => child.name)).toEqual(
      expect.arrayContaining(['name', 'price']),
    );
    await call('DELETE', `/v3/debug/sessions/${session.id}`);
  });

  it('keeps two principals’ sessions apart while they step alternately for 50 steps', async () => {
    const first = await create(
      { files: [{ path: 'a.py', content: counterProgram('alice') }], program: 'a.py', stop_on_entry: true },
      alice,
    );
    const second = await create(
      { files: [{ path: 'b.py', content: counterProgram('bob') }], program: 'b.py', stop_on_entry: true },
      bob,
    );
    expect(first.session.stop.status).toBe('stopped');
    expect(second.session.stop.status).toBe('stopped');
    for (let step = 0; step < 50; step += 1) {
      const [mine, theirs] = await Promise.all([
        command(first.session.id, { command: 'step_over' }, alice),
        command(second.session.id, { command: 'step_over' }, bob),
      ]);
      expect(mine.session.stop.snapshot?.location.file).toBe('a.py');
      expect(theirs.session.stop.snapshot?.location.file).toBe('b.py');
    }
    const alicesLabel = await call('POST', `/v3/debug/sessions/${first.session.id}/evaluate`, {
      token: alice,
      body: { expression: 'label' },
    });
    expect(alicesLabel.body.result).toContain('alice');
    // Neither sees the other's session: same 404 as an id that never existed.
    for (const [id, token] of [
      [first.session.id, bob],
      [second.session.id, alice],
    ] as const) {
      expect((await call('GET', `/v3/debug/sessions/${id}`, { token })).status).toBe(404);
      expect((await command(id, { command: 'continue' }, token)).status).toBe(404);
    }
    const listed = await call('GET', '/v3/debug/sessions', { token: bob });
    expect((listed.body.data as { id: string }[]).map((entry) => entry.id)).toEqual([second.session.id]);
    await call('DELETE', `/v3/debug/sessions/${first.session.id}`, { token: alice });
    await call('DELETE', `/v3/debug/sessions/${second.session.id}`, { token: bob });
  });

  it('streams debug events as server-sent events, resumable with Last-Event-ID', async () => {
    const { session } = await create({
      files: [{ path: 'main.py', content: pythonProgram }],
      program: 'main.py',
      breakpoints: [{ file: 'main.py', breakpoints: [{ line: 5 }] }],
    });
    const response = await fetch(`${auth.server.plumb.url}/v3/debug/sessions/${session.id}/events`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const continued = command(session.id, { command: 'continue' });
    while (!text.includes('event: terminated')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    await continued;
    await reader.cancel();
    expect(text).toMatch(/id: \d+\nevent: stopped\n/);
    expect(text).toContain('event: output');
    const lastId = Number([...text.matchAll(/id: (\d+)/g)].at(-2)?.[1]);
    const resumed = await fetch(`${auth.server.plumb.url}/v3/debug/sessions/${session.id}/events`, {
      headers: { authorization: `Bearer ${alice}`, 'last-event-id': String(lastId) },
    });
    const resumedReader = (resumed.body as ReadableStream<Uint8Array>).getReader();
    const first = decoder.decode((await resumedReader.read()).value);
    await resumedReader.cancel();
    expect(first).toContain(`id: ${lastId + 1}\n`);
    expect(first).not.toContain(`id: ${lastId}\n`);
    await call('DELETE', `/v3/debug/sessions/${session.id}`);
  });

  it('rebuilds a session after a server restart by replaying to the recorded stop', async () => {
    const { session } = await create({
      files: [{ path: 'cart.py', content: pythonProgram }],
      program: 'cart.py',
      breakpoints: [{ file: 'cart.py', breakpoints: [{ line: 4 }] }],
    });
    await command(session.id, { command: 'continue' });
    const before = await command(session.id, { command: 'step_over' });
    expect(before.session.stop.snapshot?.location.line).toBe(3);
    const resultBefore = await call('POST', `/v3/debug/sessions/${session.id}/evaluate`, {
      body: { expression: 'result' },
    });
    expect(resultBefore.body.result).toBe('8');

    await auth.server.restart();

    const after = await call('GET', `/v3/debug/sessions/${session.id}`);
    expect(after.status).toBe(200);
    const evaluated = await call('POST', `/v3/debug/sessions/${session.id}/evaluate`, {
      body: { expression: 'result' },
    });
    expect(evaluated.body.result).toBe('8');
    const replayed = (await call('GET', `/v3/debug/sessions/${session.id}`)).body as unknown as Session;
    expect(replayed.replayed).toBe(true);
    expect(replayed.warnings).toEqual([]);
    expect(replayed.stop.snapshot?.location).toMatchObject({ file: 'cart.py', line: 3 });
    const next = await command(session.id, { command: 'step_over' });
    expect(next.session.stop.snapshot?.location.line).toBe(5);
    await call('DELETE', `/v3/debug/sessions/${session.id}`);
  });

  it('replays variable changes after a restart: a local set through its scope, a nested field through the snapshot', async () => {
    const { session } = await create({
      files: [{ path: 'discount.ts', content: typescriptProgram }],
      program: 'discount.ts',
      breakpoints: [{ file: 'discount.ts', breakpoints: [{ line: 5 }] }],
    });
    expect(session.stop.snapshot?.location.line).toBe(5);
    const frameId = (session.stop.snapshot as unknown as { callStack: { id: number }[] }).callStack[0]!.id;
    const scopes = (await call('GET', `/v3/debug/sessions/${session.id}/scopes?frame_id=${frameId}`)).body
      .data as { name: string; variablesReference: number }[];
    const locals = scopes.find((scope) => scope.name === 'Locals')!;
    const setPercent = await call('POST', `/v3/debug/sessions/${session.id}/variables`, {
      body: { variables_reference: locals.variablesReference, name: 'percent', value: '50' },
    });
    expect(setPercent.status).toBe(200);
    // The snapshot's `item` is items[0]; `items2` is esbuild's name for the parameter `items`.
    const snapshotLocals = session.stop.snapshot!.locals;
    const item = snapshotLocals.find((local) => local.name === 'item')!;
    const setPrice = await call('POST', `/v3/debug/sessions/${session.id}/variables`, {
      body: { variables_reference: item.variablesReference, name: 'price', value: '99' },
    });
    expect(setPrice.status).toBe(200);
    const parameter = snapshotLocals.find((local) => local.name.startsWith('items'))!;
    const elements = (
      await call(
        'GET',
        `/v3/debug/sessions/${session.id}/variables?reference=${parameter.variablesReference}`,
      )
    ).body.data as { name: string; variablesReference: number }[];
    const second = elements.find((element) => element.name === '1')!;
    const setSecond = await call('POST', `/v3/debug/sessions/${session.id}/variables`, {
      body: { variables_reference: second.variablesReference, name: 'price', value: '1' },
    });
    expect(setSecond.status).toBe(200);
    const evaluate = async (expression: string) =>
      (await call('POST', `/v3/debug/sessions/${session.id}/evaluate`, { body: { expression } })).body.result;
    const changed = `percent + ${parameter.name}[0].price + ${parameter.name}[1].price`;
    expect(await evaluate(changed)).toBe('150');

    await auth.server.restart();

    expect(await evaluate(changed)).toBe('150');
    const replayed = (await call('GET', `/v3/debug/sessions/${session.id}`)).body as unknown as Session;
    expect(replayed.replayed).toBe(true);
    expect(replayed.warnings).toEqual([]);
    await call('DELETE', `/v3/debug/sessions/${session.id}`);
  });

  it('lets a model drive the session through debugger tools in a chat completion, recorded in the session', async () => {
    const { session } = await create({
      files: [{ path: 'cart.py', content: pythonProgram }],
      program: 'cart.py',
      breakpoints: [{ file: 'cart.py', breakpoints: [{ line: 4 }] }],
    });
    auth.server.scripted.reset();
    auth.server.scripted.enqueue(
      { toolCalls: [{ id: 'call_1', name: 'debug_step', arguments: '{"kind":"over"}' }] },
      { toolCalls: [{ id: 'call_2', name: 'debug_evaluate', arguments: '{"expression":"result + 100"}' }] },
      { text: 'After one step `result` is 3, so the loop adds each price.' },
    );
    const chat = await call('POST', '/v3/chat/completions', {
      token: codeKey,
      body: {
        model: auth.model,
        mode: 'chat',
        debug_session: session.id,
        messages: [{ role: 'user', content: 'Why is the total 8?' }],
      },
    });
    expect(chat.status).toBe(200);
    const plumb = chat.body.plumb as {
      debug_session: { id: string; tool_calls: { name: string; result: unknown }[] };
    };
    expect(plumb.debug_session.id).toBe(session.id);
    expect(plumb.debug_session.tool_calls.map((entry) => entry.name)).toEqual([
      'debug_step',
      'debug_evaluate',
    ]);
    expect(JSON.stringify(plumb.debug_session.tool_calls[0]?.result)).toContain('"line":3');
    expect(plumb.debug_session.tool_calls[1]?.result).toMatchObject({ result: '103' });
    // The model saw the snapshot first and each tool's answer after its call.
    const upstream = auth.server.scripted.requests.filter((request) =>
      request.path.endsWith('/chat/completions'),
    );
    expect(upstream).toHaveLength(3);
    expect(JSON.stringify(upstream[0]?.body)).toContain('cart.py');
    expect(JSON.stringify(upstream[2]?.body)).toContain('103');
    // The session moved (one step) and recorded the model's calls.
    const after = (await call('GET', `/v3/debug/sessions/${session.id}`)).body as unknown as Session;
    expect(after.stop.snapshot?.location.line).toBe(3);
    const events = await fetch(`${auth.server.plumb.url}/v3/debug/sessions/${session.id}/events`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    const text = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toContain('event: plumb.model_tool_call');
    // Another caller cannot hand someone else's session to a model.
    const stranger = await call('POST', '/v3/chat/completions', {
      token: bob,
      body: {
        model: auth.model,
        mode: 'chat',
        debug_session: session.id,
        messages: [{ role: 'user', content: 'hi' }],
      },
    });
    expect(stranger.status).toBe(404);
    await call('DELETE', `/v3/debug/sessions/${session.id}`);
  });

  describe('bad input', () => {
    it('refuses a program that is not among the files, unknown languages, paths that escape and wrong types', async () => {
      const missing = await create({ files: [{ path: 'a.py', content: 'x = 1\n' }], program: 'b.py' });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ error: { code: 'invalid_request', param: 'program' } });
      const ruby = await create({ files: [{ path: 'a.rb', content: 'puts 1' }], program: 'a.rb' });
      expect(ruby.status).toBe(422);
      expect(ruby.body).toMatchObject({ error: { code: 'unsupported_language' } });
      const escape = await create({
        files: [{ path: '../../etc/x.py', content: 'x=1' }],
        program: '../../etc/x.py',
      });
      expect(escape.status).toBe(400);
      const empty = await create({ files: [], program: 'a.py' });
      expect(empty.status).toBe(400);
      const wrongType = await create({ files: 'main.py', program: 42 });
      expect(wrongType.status).toBe(400);
      const badCommand = await command('dbg_unknown', { command: 'teleport' });
      expect(badCommand.status).toBe(400);
    });

    it('reports a syntax error in the program clearly', async () => {
      const broken = await create({
        files: [{ path: 'broken.py', content: 'def f(:\n  pass\n' }],
        program: 'broken.py',
      });
      expect(broken.status).toBe(422);
      expect(broken.body).toMatchObject({ error: { code: 'source_syntax_error' } });
    });

    it('moves a breakpoint on a blank line to the next executable one and reports it; refuses one past the end', async () => {
      const { session } = await create({
        files: [{ path: 'main.py', content: pythonProgram }],
        program: 'main.py',
        stop_on_entry: true,
        breakpoints: [{ file: 'main.py', breakpoints: [{ line: 6 }] }],
      });
      const bound = session.breakpoints['main.py'] ?? [];
      expect(bound[0]).toMatchObject({ verified: true, line: 7 });
      expect(bound[0]?.message).toMatch(/moved to line 7/);
      const pastEnd = await call('PUT', `/v3/debug/sessions/${session.id}/breakpoints`, {
        body: { file: 'main.py', breakpoints: [{ line: 500 }] },
      });
      expect(pastEnd.status).toBe(422);
      expect(pastEnd.body).toMatchObject({ error: { code: 'breakpoint_invalid' } });
      expect(JSON.stringify(pastEnd.body)).toContain('main.py, which has 8 lines');
      expect(JSON.stringify(pastEnd.body)).not.toContain('plumb-debug-');
      const unknownFile = await call('PUT', `/v3/debug/sessions/${session.id}/breakpoints`, {
        body: { file: 'other.py', breakpoints: [{ line: 1 }] },
      });
      expect(unknownFile.status).toBe(422);
      await call('DELETE', `/v3/debug/sessions/${session.id}`);
    });

    it('answers 404 for unknown ids and 410 for deleted sessions; enforces the per-principal limit', async () => {
      expect((await call('GET', '/v3/debug/sessions/dbg_nope')).status).toBe(404);
      expect((await call('GET', "/v3/debug/sessions/' OR 1=1 --")).status).toBe(404);
      const sessions: string[] = [];
      for (let index = 0; index < 4; index += 1) {
        const created = await create({
          files: [{ path: 'a.py', content: 'x = 1\n' }],
          program: 'a.py',
          stop_on_entry: true,
        });
        expect(created.status).toBe(201);
        sessions.push(created.session.id);
      }
      const fifth = await create({
        files: [{ path: 'a.py', content: 'x = 1\n' }],
        program: 'a.py',
        stop_on_entry: true,
      });
      expect(fifth.status).toBe(429);
      expect(fifth.body).toMatchObject({ error: { code: 'debug_session_limit_reached' } });
      for (const id of sessions) await call('DELETE', `/v3/debug/sessions/${id}`);
    });

    it('pauses a program that runs forever', async () => {
      const { session } = await create({
        files: [{ path: 'spin.py', content: 'n = 0\nwhile True:\n    n += 1\n' }],
        program: 'spin.py',
        wait_ms: 100,
      });
      expect(session.stop.status).toBe('running');
      const paused = await command(session.id, { command: 'pause' });
      expect(paused.session.stop.status).toBe('stopped');
      expect(paused.session.stop.snapshot?.location.file).toBe('spin.py');
      await call('DELETE', `/v3/debug/sessions/${session.id}`);
      expect((await call('GET', '/healthz')).status).toBe(200);
    });

    it('ends a program that allocates without end with an out-of-memory error, and kills what a program forked', async () => {
      const hog = await create({
        files: [
          {
            path: 'hog.py',
            content: 'chunks = []\nwhile True:\n    chunks.append(bytearray(50_000_000))\n',
          },
        ],
        program: 'hog.py',
        wait_ms: 20_000,
      });
      expect(hog.session.stop.status).toBe('terminated');
      expect(JSON.stringify(hog.session.stop)).toContain('MemoryError');
      await call('DELETE', `/v3/debug/sessions/${hog.session.id}`);

      const marker = String(900_000 + Math.floor(Math.random() * 99_999));
      const forker = await create({
        files: [
          {
            path: 'forker.py',
            content: `import subprocess\nchildren = [subprocess.Popen(["sleep", "${marker}"]) for _ in range(5)]\nprint("forked")\n`,
          },
        ],
        program: 'forker.py',
        breakpoints: [{ file: 'forker.py', breakpoints: [{ line: 3 }] }],
      });
      expect(forker.session.stop.status).toBe('stopped');
      expect(runningWith(marker)).toBeGreaterThanOrEqual(5);
      await call('DELETE', `/v3/debug/sessions/${forker.session.id}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(runningWith(marker)).toBe(0);
      expect((await call('GET', '/healthz')).status).toBe(200);
    });
  });
});
