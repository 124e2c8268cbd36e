import type { CodeFenceSegment } from './code-fence-splitter.ts';
import { formatBlockedNotice } from './format-blocked-notice.ts';
import type { Guard, GuardContext } from './guard.ts';
import type { GuardReportCollector } from './guard-report-collector.ts';

type CodeSegment = Extract<CodeFenceSegment, { type: 'code' }>;

/**
 * Runs the `checkCodeBlock` guards, in order, over one fenced code block and returns the text to put in
 * its place: the block exactly as written when every guard passes or annotates; the block with new content
 * after a rewrite (the next guard sees the rewritten content); a replacement or notice when a guard blocks
 * it (later guards do not see a blocked block).
 *
 * @example
 * const text = await checkCodeBlockSegment({ segment, guards, context, collector });
 */
export async function checkCodeBlockSegment(options: {
  segment: CodeSegment;
  guards: readonly Guard[];
  context: GuardContext;
  collector: GuardReportCollector;
}): Promise<string> {
  const { segment, guards, context, collector } = options;
  let block = segment.block;
  let rewritten = false;
  for (const guard of guards) {
    if (!guard.checkCodeBlock) continue;
    const current = block;
    const verdict = await collector.run(guard, () => guard.checkCodeBlock!(current, context));
    if (!verdict) continue;
    collector.record(guard, verdict.action, verdict.findings ?? []);
    if (verdict.action === 'rewrite') {
      block = { ...block, content: verdict.content };
      rewritten = true;
    } else if (verdict.action === 'block') {
      const replacement =
        verdict.replacement ??
        formatBlockedNotice({ guardName: guard.name, findings: verdict.findings, block });
      // Keep what follows the block on its own line, as it was.
      return segment.raw.endsWith('\n') && !replacement.endsWith('\n') ? `${replacement}\n` : replacement;
    }
  }
  return rewritten ? renderCodeBlock(segment, block.content) : segment.raw;
}

/** Writes a code block with new content under the original fence, lengthening the fence if the content needs it. */
function renderCodeBlock(segment: CodeSegment, content: string): string {
  const { character, indent, info } = segment.fence;
  const innerFences = content.match(new RegExp(`^ {0,3}\\${character}{3,}`, 'gm')) ?? [];
  const longestInner = Math.max(0, ...innerFences.map((fence) => fence.trim().length));
  const margin = ' '.repeat(indent);
  const body = content
    .split('\n')
    .map((line) => (line === '' ? line : margin + line))
    .join('\n');
  const terminatedBody = segment.closing !== null && body !== '' && !body.endsWith('\n') ? `${body}\n` : body;
  if (longestInner < segment.fence.length) return segment.opening + terminatedBody + (segment.closing ?? '');
  const fence = margin + character.repeat(longestInner + 1);
  const lineEnding = segment.opening.endsWith('\r\n') ? '\r\n' : '\n';
  const closing = segment.closing === null ? '' : fence + (segment.closing.endsWith('\n') ? lineEnding : '');
  return `${fence}${info}${lineEnding}${terminatedBody}${closing}`;
}
