import { scanSource, type SecurityFinding } from '@plumb/engines';
import { PlumbError, type CodeBlock, type SecurityPolicy } from '@plumb/protocol';
import { extractCodeBlocks } from './extract-code-blocks.ts';
import type { Guard, GuardContext, GuardFinding, GuardVerdict } from './guard.ts';

export interface SecurityGuardOptions {
  /** The policy when a request names none (`guards.security`); default `block`. */
  defaultPolicy?: SecurityPolicy;
  /** Rounds of `repair` before the answer is blocked (default 2; a request may set `guards.repair_rounds`). */
  repairRounds?: number;
}

interface ScannedBlock {
  block: CodeBlock;
  findings: SecurityFinding[];
}

/**
 * The generation guard of the security engine: every fenced code block of an answer in `mode: "code"` is
 * scanned (rules and taint tracking, as `plumb review` does) before it is returned. Policies:
 * - `block` (default): a block with a high-severity finding is withheld and replaced by the finding and its
 *   safer alternative; lower severities are reported;
 * - `repair`: the model is asked to fix the listed findings, at most `repairRounds` times; still vulnerable
 *   code is then blocked. Streamed answers cannot be taken back, so there `repair` acts as `block`;
 * - `warn`: findings are reported in `plumb.guards`, the code is left as it is.
 *
 * @example
 * const guards = [createSecurityGuard({ defaultPolicy: 'block' })];
 */
export function createSecurityGuard(options: SecurityGuardOptions = {}): Guard {
  const defaultPolicy = options.defaultPolicy ?? 'block';
  const policyOf = (context: GuardContext) => context.request.guards?.security ?? defaultPolicy;

  return {
    name: 'security',
    checkCodeBlock(block, context) {
      const findings = scanBlock(block);
      if (findings.length === 0) return { action: 'pass' };
      const policy = policyOf(context);
      const reported = findings.map(toGuardFinding);
      // Repair happens on the whole answer once every block is known (checkAnswer).
      if (policy === 'warn' || (policy === 'repair' && context.repair)) {
        return { action: 'annotate', findings: reported };
      }
      if (!findings.some(isBlocking)) return { action: 'annotate', findings: reported };
      return {
        action: 'block',
        findings: reported,
        replacement: formatSecurityNotice([{ block, findings }], {
          policy,
          streamed: policy === 'repair',
        }),
      };
    },
    async checkAnswer(answer, context): Promise<GuardVerdict> {
      if (policyOf(context) !== 'repair' || !context.repair || answer.content === null)
        return { action: 'pass' };
      let text = answer.content;
      let scanned = scanAnswer(text);
      if (!scanned.some(({ findings }) => findings.some(needsRepair))) return { action: 'pass' };
      const rounds = context.request.guards?.repair_rounds ?? options.repairRounds ?? 2;
      const fixedFindings = scanned.flatMap(({ findings }) => findings);
      for (let round = 1; round <= rounds; round += 1) {
        text = await context.repair(text, formatRepairInstructions(scanned));
        scanned = scanAnswer(text);
        if (!scanned.some(({ findings }) => findings.some(needsRepair))) {
          return {
            action: 'rewrite',
            content: text,
            findings: [
              {
                severity: 'info',
                message: `Repaired ${fixedFindings.length} security finding(s) in ${round} round(s): ${describeList(fixedFindings)}.`,
                detail: { repaired: fixedFindings, rounds: round },
              },
              ...scanned.flatMap(({ findings }) => findings.map(toGuardFinding)),
            ],
          };
        }
      }
      const remaining = scanned.filter(({ findings }) => findings.some(needsRepair));
      return {
        action: 'block',
        findings: remaining.flatMap(({ findings }) => findings.map(toGuardFinding)),
        replacement: formatSecurityNotice(remaining, { policy: 'repair', streamed: false, rounds }),
      };
    },
  };
}

function scanBlock(block: CodeBlock): SecurityFinding[] {
  try {
    return scanSource({
      code: block.content,
      ...(block.path ? { file: block.path } : {}),
      ...(block.language && !block.path ? { language: block.language } : {}),
    }).findings;
  } catch (error) {
    // Shell, SQL, YAML ... blocks: no rules for them, nothing to say.
    if (error instanceof PlumbError && error.code === 'unsupported_language') return [];
    throw error;
  }
}

function scanAnswer(text: string): ScannedBlock[] {
  return extractCodeBlocks(text).map((block) => ({ block, findings: scanBlock(block) }));
}

function isBlocking(finding: SecurityFinding): boolean {
  return finding.severity === 'high';
}

function needsRepair(finding: SecurityFinding): boolean {
  return finding.severity !== 'low';
}

function toGuardFinding(finding: SecurityFinding): GuardFinding {
  return {
    severity: finding.severity === 'high' ? 'error' : finding.severity === 'medium' ? 'warning' : 'info',
    message: `${finding.cwe} ${finding.message} (line ${finding.line}, rule ${finding.ruleId})`,
    detail: {
      rule_id: finding.ruleId,
      cwe: finding.cwe,
      owasp: finding.owasp,
      severity: finding.severity,
      confidence: finding.confidence,
      file: finding.file,
      line: finding.line,
      column: finding.column,
      snippet: finding.snippet,
      ...(finding.taintPath ? { taint_path: finding.taintPath } : {}),
      ...(finding.saferAlternative ? { safer_alternative: finding.saferAlternative } : {}),
    },
  };
}

function describeList(findings: SecurityFinding[]): string {
  return [...new Set(findings.map((finding) => `${finding.cwe} (${finding.ruleId})`))].join(', ');
}

function formatRepairInstructions(scanned: ScannedBlock[]): string {
  const lines = [
    'Your answer contains code with security vulnerabilities. Rewrite the whole answer with these fixed, keeping everything else the same:',
  ];
  for (const { block, findings } of scanned) {
    for (const finding of findings.filter(needsRepair)) {
      lines.push(
        `- ${block.path ?? block.language ?? 'code block'} line ${finding.line}: ${finding.cwe} ${finding.message}` +
          (finding.saferAlternative ? ` Safer: ${finding.saferAlternative.description}` : ''),
      );
    }
  }
  return lines.join('\n');
}

/** The Markdown that takes the place of vulnerable code: what was found, where, and what to do instead. */
function formatSecurityNotice(
  scanned: ScannedBlock[],
  options: { policy: SecurityPolicy; streamed: boolean; rounds?: number },
): string {
  const why =
    options.policy === 'repair' && options.rounds !== undefined
      ? `it was still vulnerable after ${options.rounds} repair round(s)`
      : options.streamed
        ? 'it is vulnerable (a streamed answer cannot be repaired; ask without streaming for `repair`)'
        : 'it is vulnerable';
  const lines = [`> **Blocked by Plumb's security guard:** the code below was withheld because ${why}.`, '>'];
  for (const { block, findings } of scanned) {
    for (const finding of findings) {
      lines.push(
        `> - **${finding.cwe}** (${finding.owasp}, ${finding.severity}) in ${block.path ?? block.language ?? 'the code'} line ${finding.line}: ${finding.message}`,
      );
      if (finding.saferAlternative) {
        lines.push(`>   Safer alternative: ${finding.saferAlternative.description}`);
        if (finding.saferAlternative.code)
          lines.push(`>   \`${finding.saferAlternative.code.replace(/\n/g, ' ')}\``);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
