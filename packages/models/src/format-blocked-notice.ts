import type { CodeBlock } from '@plumb/protocol';
import type { GuardFinding } from './guard.ts';

/**
 * The text Plumb puts in place of a code block or an answer that a guard blocked without giving a
 * replacement: what was withheld, by which guard, and why (the guard's findings). A Markdown quote, so it
 * reads as a note rather than as the model's words.
 *
 * @example
 * formatBlockedNotice({ guardName: 'security', findings: [{ severity: 'error', message: 'eval of user input' }], block });
 * // '> **Blocked by Plumb:** the guard "security" withheld this ts code block for `src/app.ts`: eval of user input (error).\n'
 */
export function formatBlockedNotice(options: {
  guardName: string;
  findings: GuardFinding[];
  block?: CodeBlock;
}): string {
  const { guardName, findings, block } = options;
  const what = block
    ? `this ${block.language ? `${block.language} ` : ''}code block${block.path ? ` for \`${block.path}\`` : ''}`
    : 'this answer';
  const reasons = findings.length
    ? findings.map((finding) => `${finding.message} (${finding.severity})`).join('; ')
    : 'it gave no reason';
  return `> **Blocked by Plumb:** the guard "${guardName}" withheld ${what}: ${reasons}.\n`;
}
