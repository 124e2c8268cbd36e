import { describe, expect, it } from 'vitest';
import { createToolCallDeltaTracker } from './tool-call-delta-tracker.ts';

describe('createToolCallDeltaTracker', () => {
  it('turns streamed tool input into OpenAI deltas', () => {
    const tracker = createToolCallDeltaTracker();
    expect(tracker.accept({ type: 'tool-input-start', id: 'call_1', toolName: 'search' })).toEqual({
      index: 0,
      id: 'call_1',
      type: 'function',
      function: { name: 'search', arguments: '' },
    });
    expect(tracker.accept({ type: 'tool-input-delta', id: 'call_1', delta: '{"q":' })).toEqual({
      index: 0,
      function: { arguments: '{"q":' },
    });
    tracker.accept({ type: 'tool-input-delta', id: 'call_1', delta: '"x"}' });
    expect(
      tracker.accept({ type: 'tool-call', toolCallId: 'call_1', toolName: 'search', input: '{"q":"x"}' }),
    ).toBeNull();
    expect(tracker.toolCalls()).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } },
    ]);
  });

  it('sends a final tool call without streamed input as one delta, with the next index', () => {
    const tracker = createToolCallDeltaTracker();
    tracker.accept({ type: 'tool-input-start', id: 'a', toolName: 'f' });
    expect(tracker.accept({ type: 'tool-call', toolCallId: 'b', toolName: 'g', input: '{"n":1}' })).toEqual({
      index: 1,
      id: 'b',
      type: 'function',
      function: { name: 'g', arguments: '{"n":1}' },
    });
  });

  it('sends what the fragments lacked, and leaves out provider-executed calls', () => {
    const tracker = createToolCallDeltaTracker();
    tracker.accept({ type: 'tool-input-start', id: 'a', toolName: 'now' });
    expect(tracker.accept({ type: 'tool-call', toolCallId: 'a', toolName: 'now', input: '{}' })).toEqual({
      index: 0,
      function: { arguments: '{}' },
    });
    expect(
      tracker.accept({ type: 'tool-input-start', id: 'web', toolName: 'web_search', providerExecuted: true }),
    ).toBeNull();
    expect(tracker.accept({ type: 'tool-input-delta', id: 'web', delta: '{}' })).toBeNull();
    expect(tracker.toolCalls()).toHaveLength(1);
  });
});
