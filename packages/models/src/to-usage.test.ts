import { describe, expect, it } from 'vitest';
import { estimateTokenCount, toUsage } from './to-usage.ts';

describe('toUsage', () => {
  it('uses the provider counts, with cached prompt tokens', () => {
    const { usage, warning } = toUsage(
      {
        inputTokens: { total: 10, noCache: 6, cacheRead: 4, cacheWrite: undefined },
        outputTokens: { total: 5, text: 5, reasoning: undefined },
      },
      { messages: [], completionText: '' },
    );
    expect(usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    expect(warning).toBeNull();
  });

  it('counts with the o200k tokenizer when the provider sent none, and warns', () => {
    const { usage, warning, source } = toUsage(undefined, {
      messages: [{ role: 'user', content: 'Hello world' }],
      completionText: 'function add(a, b) { return a + b; }',
    });
    // "Hello world" is 2 tokens, plus 4 per message; the code line is 13 tokens in o200k.
    expect(usage).toEqual({ prompt_tokens: 4 + 2, completion_tokens: 13, total_tokens: 19 });
    expect(source).toBe('tokenizer');
    expect(warning).toContain('tokenizer');
    expect(estimateTokenCount('')).toBe(0);
  });
});
