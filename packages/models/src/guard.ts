import type { ChatCompletionRequest, ChatMessage, CodeBlock, GuardReport, ToolCall } from '@plumb/protocol';

/** One thing a guard noticed, as reported to the client in `plumb.guards[].findings`. */
export type GuardFinding = GuardReport['findings'][number];

/** The answer a guard inspects: its text, its tool calls, and the code blocks found in the text. */
export interface GuardAnswer {
  content: string | null;
  toolCalls: ToolCall[];
  codeBlocks: CodeBlock[];
}

export interface GuardContext {
  request: ChatCompletionRequest;
  /** The full history sent upstream (session history, mode prompt and the new messages). */
  messages: ChatMessage[];
  /**
   * Asks the model once more, with the answer so far and `instructions` (what to fix), and returns the new
   * answer text. Only for answers not streamed yet (a streamed answer has been sent); its tokens count in the
   * request's usage.
   */
  repair?: (answer: string, instructions: string) => Promise<string>;
}

/**
 * What a guard decided:
 * - `pass`: nothing to do (findings, if any, are informational);
 * - `annotate`: keep the answer, report the findings;
 * - `rewrite`: replace the inspected code block's content (or the whole answer text) with `content`;
 * - `block`: withhold the code block (or the whole answer); `replacement` is put in its place, otherwise
 *   Plumb writes a notice saying what was blocked and why.
 */
export type GuardVerdict =
  | { action: 'pass'; findings?: GuardFinding[] }
  | { action: 'annotate'; findings: GuardFinding[] }
  | { action: 'rewrite'; content: string; findings: GuardFinding[] }
  | { action: 'block'; findings: GuardFinding[]; replacement?: string };

/**
 * A check on answers in `mode: "code"` (security, dependency stability, constraints ...). Guards run in
 * order; see `createGuardPipeline` for how verdicts combine and what streaming changes.
 */
export interface Guard {
  readonly name: string;
  /**
   * Inspect (and possibly rewrite/block) one completed fenced code block while it streams; only guards that
   * set this cause streamed code blocks to be held back until their closing fence.
   */
  checkCodeBlock?(block: CodeBlock, context: GuardContext): Promise<GuardVerdict> | GuardVerdict;
  /** Inspect the complete answer. */
  checkAnswer?(answer: GuardAnswer, context: GuardContext): Promise<GuardVerdict> | GuardVerdict;
}
