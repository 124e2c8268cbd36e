import type { GuardReport, ToolCall } from '@plumb/protocol';
import { checkCodeBlockSegment } from './check-code-block-segment.ts';
import { createCodeFenceSplitter, type CodeFenceSegment } from './code-fence-splitter.ts';
import { extractCodeBlocks } from './extract-code-blocks.ts';
import { formatBlockedNotice } from './format-blocked-notice.ts';
import type { Guard, GuardAnswer, GuardContext } from './guard.ts';
import { createGuardReportCollector, type GuardReportCollector } from './guard-report-collector.ts';

export interface GuardPipelineResult {
  /** The answer text after every guard (rewritten, or replaced by a notice when blocked). */
  content: string | null;
  /** One report per guard that ran. */
  reports: GuardReport[];
  /** Whether a guard blocked the whole answer. */
  blocked: boolean;
}

/** Guards one streamed answer: feed it the upstream text deltas, send what it returns. */
export interface StreamGuard {
  /** Takes one text delta; returns the text that may be sent now (possibly empty while a code block is held). */
  push(delta: string): Promise<string>;
  /** Ends the text: returns what was still held, and the reports after `checkAnswer` ran on the relayed text. */
  finish(final: { toolCalls: ToolCall[] }): Promise<{ text: string; reports: GuardReport[] }>;
}

export interface GuardPipeline {
  readonly guards: readonly Guard[];
  /** Whether streamed code blocks are held until their closing fence (some guard has `checkCodeBlock`). */
  readonly holdsCodeBlocks: boolean;
  /** Runs every guard over a complete answer. */
  check(answer: GuardAnswer, context: GuardContext): Promise<GuardPipelineResult>;
  /** Starts guarding one streamed answer. */
  createStreamGuard(context: GuardContext): StreamGuard;
}

/**
 * Combines guards into one pass over an answer. Order of work, the same with and without streaming:
 * first every fenced code block goes through the `checkCodeBlock` guards in order (a rewrite replaces that
 * block's content and feeds the next guard; a block replaces the block with `replacement` or a notice),
 * then the whole answer goes through the `checkAnswer` guards in order (a rewrite replaces the text and
 * feeds the next guard; a block replaces the text with `replacement` or a notice and stops the pipeline;
 * the finish reason and tool calls stay). A guard that throws is reported as `pass` with a warning; the
 * answer is never lost to a failing guard.
 *
 * Streaming: when no guard has `checkCodeBlock`, deltas pass through at once, unbuffered. Otherwise text
 * outside code blocks still passes at once and each code block is held until its closing fence, checked,
 * then released. `checkAnswer` runs when the stream ends, on the text actually relayed; by then the text
 * has been sent, so a `rewrite` or `block` verdict is reported as `annotate`, with a finding saying so.
 *
 * @example
 * const pipeline = createGuardPipeline([securityGuard]);
 * const { content, reports } = await pipeline.check({ content: text, toolCalls: [], codeBlocks: [] }, context);
 */
export function createGuardPipeline(guards: Guard[]): GuardPipeline {
  const ordered = [...guards];
  const holdsCodeBlocks = ordered.some((guard) => guard.checkCodeBlock !== undefined);

  async function renderSegments(
    segments: CodeFenceSegment[],
    context: GuardContext,
    collector: GuardReportCollector,
  ): Promise<string> {
    let text = '';
    for (const segment of segments) {
      text +=
        segment.type === 'text'
          ? segment.text
          : await checkCodeBlockSegment({ segment, guards: ordered, context, collector });
    }
    return text;
  }

  async function check(answer: GuardAnswer, context: GuardContext): Promise<GuardPipelineResult> {
    const collector = createGuardReportCollector(ordered);
    let content = answer.content;
    if (holdsCodeBlocks && content !== null) {
      const splitter = createCodeFenceSplitter();
      content = await renderSegments([...splitter.push(content), ...splitter.finish()], context, collector);
    }
    for (const guard of ordered) {
      if (!guard.checkAnswer) continue;
      const current: GuardAnswer = {
        content,
        toolCalls: answer.toolCalls,
        codeBlocks: content === null ? [] : extractCodeBlocks(content),
      };
      const verdict = await collector.run(guard, () => guard.checkAnswer!(current, context));
      if (!verdict) continue;
      collector.record(guard, verdict.action, verdict.findings ?? []);
      if (verdict.action === 'rewrite') content = verdict.content;
      if (verdict.action === 'block') {
        content =
          verdict.replacement ?? formatBlockedNotice({ guardName: guard.name, findings: verdict.findings });
        return { content, reports: collector.reports(), blocked: true };
      }
    }
    return { content, reports: collector.reports(), blocked: false };
  }

  function createStreamGuard(context: GuardContext): StreamGuard {
    const collector = createGuardReportCollector(ordered);
    const splitter = holdsCodeBlocks ? createCodeFenceSplitter() : null;
    let relayed = '';

    async function push(delta: string): Promise<string> {
      const text = splitter ? await renderSegments(splitter.push(delta), context, collector) : delta;
      relayed += text;
      return text;
    }

    async function finish(final: {
      toolCalls: ToolCall[];
    }): Promise<{ text: string; reports: GuardReport[] }> {
      const text = splitter ? await renderSegments(splitter.finish(), context, collector) : '';
      relayed += text;
      const answer: GuardAnswer = {
        content: relayed === '' && final.toolCalls.length > 0 ? null : relayed,
        toolCalls: final.toolCalls,
        codeBlocks: extractCodeBlocks(relayed),
      };
      for (const guard of ordered) {
        if (!guard.checkAnswer) continue;
        const verdict = await collector.run(guard, () => guard.checkAnswer!(answer, context));
        if (!verdict) continue;
        if (verdict.action === 'rewrite' || verdict.action === 'block') {
          collector.record(guard, 'annotate', [
            ...verdict.findings,
            {
              severity: 'warning',
              message: `guard ${guard.name} asked to ${verdict.action} the answer, but it had already been streamed to the client; request it without streaming to have it applied.`,
            },
          ]);
          if (verdict.action === 'block') break;
        } else {
          collector.record(guard, verdict.action, verdict.findings ?? []);
        }
      }
      return { text, reports: collector.reports() };
    }

    return { push, finish };
  }

  return { guards: ordered, holdsCodeBlocks, check, createStreamGuard };
}
