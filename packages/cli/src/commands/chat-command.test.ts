import { codeSystemPrompt } from '@plumb/models';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCapturedProgram, startCapturedProgram } from '../testing/start-captured-program.ts';
import { startCliTestServer, type CliTestServer } from '../testing/start-cli-test-server.ts';

describe('plumb chat', () => {
  let server: CliTestServer;

  beforeAll(async () => {
    server = await startCliTestServer();
  });
  beforeEach(() => server.scripted.reset());
  afterAll(async () => server.close());

  const chat = (args: string[], stdinText?: string) =>
    runCapturedProgram(['chat', '--model', server.model, ...args], {
      environment: server.environment,
      ...(stdinText === undefined ? {} : { stdinText }),
    });

  it('--once --json prints the reassembled answer; in code mode the code prompt goes upstream first', async () => {
    server.scripted.enqueue({
      text: 'Here:\n```ts path=src/add.ts\nexport const add = (a: number, b: number) => a + b;\n```\n',
    });
    const result = await chat(['--once', 'hi', '--mode', 'code', '--json']);
    expect(result.exitCode).toBe(0);

    const answer = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({
      session_id: expect.stringMatching(/^sess_/) as unknown,
      content: 'Here:\n```ts path=src/add.ts\nexport const add = (a: number, b: number) => a + b;\n```\n',
      code_blocks: [
        {
          language: 'ts',
          path: 'src/add.ts',
          content: 'export const add = (a: number, b: number) => a + b;\n',
        },
      ],
      usage: { total_tokens: expect.any(Number) as unknown },
    });
    expect(result.stderr).toContain(`session ${answer.session_id as string}`);

    const [upstream] = server.upstreamChats();
    expect(upstream?.messages[0]).toEqual({ role: 'system', content: codeSystemPrompt.text });
    expect(upstream?.messages.at(-1)).toEqual({ role: 'user', content: 'hi' });
  });

  it('--once in chat mode sends no code prompt; --system opens the session', async () => {
    server.scripted.enqueue({ text: 'plain answer' });
    const result = await chat(['--once', 'hi', '--mode', 'chat', '--system', 'Answer briefly.']);
    expect(result).toMatchObject({ exitCode: 0, stdout: 'plain answer\n' });
    expect(server.upstreamChats()[0]?.messages).toEqual([
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('streams each answer to stdout as the chunks arrive', async () => {
    server.scripted.enqueue({
      text: 'one two three four five six seven eight nine ten',
      tokensPerSecond: 10,
    });
    const run = startCapturedProgram(['chat', '--model', server.model, '--once', 'count'], {
      environment: server.environment,
    });
    await run.waitForOutput(/one/);
    expect(run.stdout()).not.toContain('ten');
    expect(await run.exitCode).toBe(0);
    expect(run.stdout()).toBe('one two three four five six seven eight nine ten\n');
  });

  it('keeps a two-turn conversation from stdin in one session', async () => {
    server.scripted.enqueue({ text: 'first answer' }, { text: 'second answer' });
    const result = await chat(['--mode', 'chat'], 'first question\nsecond question\n');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('first answer\nsecond answer\n');
    expect(result.stderr).toMatch(/^session sess_\S+ \(resume with --session sess_\S+\)$/m);

    const upstream = server.upstreamChats();
    expect(upstream).toHaveLength(2);
    expect(upstream[1]?.messages).toEqual([
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'second question' },
    ]);
  });

  it('resumes a session with --session', async () => {
    server.scripted.enqueue({ text: 'remembered' }, { text: 'still remembered' });
    const first = await chat(['--mode', 'chat', '--once', 'my name is Ada', '--json']);
    const sessionId = (JSON.parse(first.stdout) as { session_id: string }).session_id;
    const second = await chat(['--mode', 'chat', '--session', sessionId, '--once', 'what is my name?']);
    expect(second.exitCode).toBe(0);
    expect(server.upstreamChats()[1]?.messages).toEqual([
      { role: 'user', content: 'my name is Ada' },
      { role: 'assistant', content: 'remembered' },
      { role: 'user', content: 'what is my name?' },
    ]);
  });

  it('ends at /exit without sending later lines', async () => {
    server.scripted.enqueue({ text: 'only answer' });
    const result = await chat([], 'question\n/exit\nnever sent\n');
    expect(result).toMatchObject({ exitCode: 0, stdout: 'only answer\n' });
    expect(server.upstreamChats()).toHaveLength(1);
  });

  it('exits 1 with error model_not_found for an unknown model in --once mode', async () => {
    const result = await runCapturedProgram(['chat', '--model', 'nowhere/no-model', '--once', 'hi'], {
      environment: server.environment,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error model_not_found: /m);
    expect(result.stdout).toBe('');
  });

  it('reports an API error in the REPL and goes on', async () => {
    server.scripted.enqueue({ error: { status: 500, message: 'upstream exploded' } }, { text: 'recovered' });
    const result = await chat(['--mode', 'chat'], 'first\nsecond\n');
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/^error \S+: /m);
    expect(result.stdout).toBe('recovered\n');
  });

  it('exits 1 with session_not_found for a session that does not exist', async () => {
    const result = await chat(['--session', 'sess_doesnotexist123', '--once', 'hi']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error session_not_found: /m);
  });

  it('Ctrl-C during an answer stops that answer, not the conversation', async () => {
    server.scripted.enqueue({ text: 'slow '.repeat(100), tokensPerSecond: 20 }, { text: 'next answer' });
    const run = startCapturedProgram(['chat', '--model', server.model, '--mode', 'chat'], {
      environment: server.environment,
    });
    run.stdin.write('tell me a long story\n');
    await run.waitForOutput(/slow/);
    run.signals.emit('SIGINT');
    await run.waitForOutput(/answer stopped/, { stream: 'stderr' });
    run.stdin.end('and now?\n');
    expect(await run.exitCode).toBe(0);
    expect(run.stdout()).toMatch(/^(slow )+\nnext answer\n$/);
    expect(run.signals.listenerCount('SIGINT')).toBe(0);
    // The server keeps nothing of a stopped turn in the session.
    expect(server.upstreamChats()[1]?.messages).toEqual([{ role: 'user', content: 'and now?' }]);
    await expect.poll(() => server.scripted.abortedStreams).toBe(1);
  });
});
