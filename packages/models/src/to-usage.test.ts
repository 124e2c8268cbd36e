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

  it('estimates at one token per four characters when the provider sent none, and warns', () => {
    const { usage, warning } = toUsage(undefined, {
      messages: [{ role: 'user', content: 'abcdefgh' }],
      completionText: 'hello',
    });
    expect(usage).toEqual({ prompt_tokens: 4 + 2, completion_tokens: 2, total_tokens: 8 });
    expect(warning).toContain('estimated');
    expect(estimateTokenCount('')).toBe(0);
  });
});
