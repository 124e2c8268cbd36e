import { describe, expect, it } from 'vitest';
import { createContentDeltaCoalescer, withCoalescedContentDeltas } from './coalesce-content-deltas.ts';

const content = (text: string, id = 'chatcmpl-1') =>
  JSON.stringify({
    id,
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { content: text }, finish_reason: null, logprobs: null }],
  });
const event = (data: string) => `data: ${data}\n\n`;

/** Feeds `reads` through the coalescer one by one and answers what came out of each. */
async function coalesce(reads: string[]): Promise<string[]> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const transform = createContentDeltaCoalescer();
  const writer = transform.writable.getWriter();
  const reader = transform.readable.getReader();
  const outputs: string[] = [];
  for (const read of reads) {
    void writer.write(encoder.encode(read));
    // Every read that completes an event yields exactly one output chunk, at once.
    if (read.includes('\n\n')) outputs.push(decoder.decode((await reader.read()).value));
  }
  void writer.close();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    outputs.push(decoder.decode(next.value));
  }
  return outputs;
}

const dataOf = (output: string) =>
  output
    .split('\n\n')
    .filter(Boolean)
    .map((text) => text.replace(/^data: /, ''));

const textOf = (data: string) =>
  (JSON.parse(data) as { choices: [{ delta: { content: string } }] }).choices[0].delta.content;

describe('createContentDeltaCoalescer', () => {
  it('merges the content deltas of one read into one event with the same text', async () => {
    const [output] = await coalesce([
      ['Hel', 'lo', ', wor', 'ld'].map((text) => event(content(text))).join(''),
    ]);
    const events = dataOf(output!);
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!)).toEqual(JSON.parse(content('Hello, world')));
  });

  it('never holds a delta for a later read: each read is passed on as it arrives', async () => {
    const outputs = await coalesce([event(content('a')) + event(content('b')), event(content('c'))]);
    expect(outputs.map((output) => dataOf(output).map((data) => textOf(data)))).toEqual([['ab'], ['c']]);
  });

  it('passes role, tool call, finish, usage and [DONE] events through unchanged and in order', async () => {
    const role = JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    const toolCall = JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{' } }] } }],
    });
    const finish = JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'z' }, finish_reason: 'stop' }],
    });
    const usage = JSON.stringify({ id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: 1 } });
    const read = [role, content('x'), content('y'), toolCall, content('q'), finish, usage, '[DONE]']
      .map(event)
      .join('');
    const [output] = await coalesce([read]);
    const events = dataOf(output!);
    expect(events).toEqual([
      role,
      JSON.stringify(JSON.parse(content('xy'))),
      toolCall,
      content('q'),
      finish,
      usage,
      '[DONE]',
    ]);
  });

  it('does not merge deltas of different completions, and keeps an event split across reads whole', async () => {
    const first = event(content('one', 'chatcmpl-1'));
    const second = event(content('two', 'chatcmpl-2'));
    const outputs = await coalesce([first + second.slice(0, 20), second.slice(20)]);
    expect(outputs.flatMap(dataOf)).toEqual([content('one', 'chatcmpl-1'), content('two', 'chatcmpl-2')]);
  });

  it('passes malformed data and named events through as they were', async () => {
    const read = `data: {not json\n\nevent: ping\ndata: {}\n\ndata: line one\ndata: line two\n\n${event(content('k'))}`;
    const [output] = await coalesce([read]);
    expect(output).toBe(
      `data: {not json\n\nevent: ping\ndata: {}\n\ndata: line one\ndata: line two\n\n${event(content('k'))}`,
    );
  });
});

describe('withCoalescedContentDeltas', () => {
  it('leaves responses that are not event streams alone', async () => {
    const original = new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
    const wrapped = withCoalescedContentDeltas(async () => original);
    expect(await wrapped('http://example.invalid')).toBe(original);
  });

  it('keeps status and headers of an event stream and merges its deltas', async () => {
    const body = [content('a'), content('b')].map(event).join('');
    const wrapped = withCoalescedContentDeltas(
      async () =>
        new Response(body, {
          status: 200,
          headers: { 'content-type': 'text/event-stream', 'x-request-id': 'up-1' },
        }),
    );
    const response = await wrapped('http://example.invalid');
    expect(response.headers.get('x-request-id')).toBe('up-1');
    expect(dataOf(await response.text())).toEqual([JSON.stringify(JSON.parse(content('ab')))]);
  });
});
