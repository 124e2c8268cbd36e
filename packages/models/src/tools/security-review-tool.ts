import { tool } from 'ai';
import { z } from 'zod';
import { scanSource } from '@plumb/engines';

/** What the model gets back: bounded findings with the safer alternative, so it can fix its own code. */
export interface SecurityReviewToolOutput {
  findings: {
    ruleId: string;
    cwe: string;
    owasp: string;
    severity: string;
    line: number;
    message: string;
    saferAlternative?: string;
  }[];
  linesScanned: number;
  warnings: string[];
}

/**
 * The security review engine as a tool a model can call (Vercel AI SDK `tool`): the model sends code it wrote
 * or was shown, the engine answers with OWASP Top 10 / CWE findings and safer alternatives.
 *
 * @example const tools = { security_review: createSecurityReviewTool() };
 */
export function createSecurityReviewTool() {
  return tool({
    description:
      'Review code for security vulnerabilities (SQL/NoSQL/command/code injection, XSS, path traversal, SSRF, open redirect, ' +
      'insecure deserialization, XXE, weak crypto and hashing, insecure randomness, hard-coded secrets, disabled TLS or JWT ' +
      'verification, permissive CORS, prototype pollution, ReDoS, logged secrets, debug mode). Returns findings with CWE, ' +
      'line and a safer alternative. Use it on code before presenting it.',
    inputSchema: z.object({
      code: z.string().min(1).max(500_000).describe('the source file or snippet'),
      language: z.enum(['javascript', 'typescript', 'python', 'java']),
      path: z
        .string()
        .max(300)
        .optional()
        .describe('the file path, if known (helps rules that look at names)'),
    }),
    execute: ({ code, language, path }): SecurityReviewToolOutput => {
      const result = scanSource({ code, language, ...(path ? { file: path } : {}) });
      return {
        findings: result.findings.slice(0, 40).map((finding) => ({
          ruleId: finding.ruleId,
          cwe: finding.cwe,
          owasp: finding.owasp,
          severity: finding.severity,
          line: finding.line,
          message: finding.message,
          ...(finding.saferAlternative
            ? {
                saferAlternative: [finding.saferAlternative.description, finding.saferAlternative.code]
                  .filter(Boolean)
                  .join(' '),
              }
            : {}),
        })),
        linesScanned: result.linesScanned,
        warnings: result.warnings,
      };
    },
  });
}
