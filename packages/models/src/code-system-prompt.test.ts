import type { ChatMessage } from '@plumb/protocol';
import { describe, expect, it } from 'vitest';
import { applyModePrompt, codeSystemPrompt } from './code-system-prompt.ts';
import { extractCodeBlocks } from './extract-code-blocks.ts';

describe('applyModePrompt', () => {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'Use Python 3.12.' },
    { role: 'developer', content: 'Answer in German.' },
    { role: 'user', content: 'Write a CLI.' },
  ];

  it('puts the code prompt first in code mode, before the user own system and developer messages', () => {
    const result = applyModePrompt(messages, 'code');
    expect(result.promptVersion).toBe(codeSystemPrompt.version);
    expect(result.messages).toEqual([{ role: 'system', content: codeSystemPrompt.text }, ...messages]);
  });

  it('does not repeat the code prompt when the history already has it', () => {
    const once = applyModePrompt(messages, 'code').messages;
    const twice = applyModePrompt([...once, { role: 'user', content: 'Again.' }], 'code');
    expect(twice.messages.filter((message) => message.content === codeSystemPrompt.text)).toHaveLength(1);
    expect(twice.messages[0]).toEqual({ role: 'system', content: codeSystemPrompt.text });
  });

  it('passes messages through unchanged in chat mode', () => {
    expect(applyModePrompt(messages, 'chat')).toEqual({ messages, promptVersion: null });
  });
});

describe('codeSystemPrompt', () => {
  it('documents the fence format that extractCodeBlocks reads', () => {
    expect(codeSystemPrompt.text).toContain('```ts path=src/app.ts');
    expect(extractCodeBlocks('```ts path=src/app.ts\nx\n```\n')).toEqual([
      { language: 'ts', path: 'src/app.ts', content: 'x\n' },
    ]);
  });

  it('has a dated version', () => {
    expect(codeSystemPrompt.version).toMatch(/^code-\d{4}-\d{2}-\d{2}$/);
  });
});
