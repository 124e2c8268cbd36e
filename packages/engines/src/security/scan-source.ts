import { PlumbError } from '@plumb/protocol';
import { applySuppressions } from './apply-suppressions.ts';
import { baselineFingerprints, type SecurityBaseline } from './baseline.ts';
import { loadSecurityRules } from './load-security-rules.ts';
import { scanFile } from './scan-file.ts';
import type { SecurityScanResult } from './security-finding.ts';
import { resolveSecurityLanguage } from './security-language.ts';
import type { SecurityRule } from './security-rule.ts';

/** Options of `scanSource`. */
export interface ScanSourceOptions {
  code: string;
  /** javascript, typescript, python, java (or js, ts, py); inferred from `file` when absent. */
  language?: string;
  /** File name used in findings (and to infer the language); defaults to `snippet.<ext>`. */
  file?: string;
  /** Restrict to these rule ids, or scan with these rule objects; all built-in rules by default. */
  rules?: readonly (string | SecurityRule)[];
  /** A baseline (object or JSON text from `createBaseline`): findings in it are dropped. */
  baseline?: SecurityBaseline | string;
}

/**
 * Scan one file or fragment (a bare statement list parses too) with every rule of its language: pattern rules
 * and taint tracking, inline `plumb-ignore` suppressions and an optional baseline.
 *
 * @example scanSource({ code: 'eval(req.query.code)', language: 'javascript' }).findings[0]?.cwe // => 'CWE-94'
 */
export function scanSource(options: ScanSourceOptions): SecurityScanResult {
  const started = performance.now();
  if (typeof options?.code !== 'string')
    throw new PlumbError(
      'invalid_request',
      'scanSource needs `code` as a string (the source text to scan).',
      { param: 'code' },
    );
  const language = resolveSecurityLanguage({ language: options.language, file: options.file });
  const file = options.file ?? `snippet.${defaultExtension[language]}`;
  const rules = selectRules(options.rules);
  const known = options.baseline === undefined ? undefined : baselineFingerprints(options.baseline);
  const { findings, warnings } = scanFile({ code: options.code, language, file, rules });
  let kept = applySuppressions(findings, options.code, warnings);
  if (known !== undefined) kept = kept.filter((finding) => !known.has(finding.fingerprint));
  return {
    findings: kept,
    filesScanned: 1,
    linesScanned: options.code === '' ? 0 : options.code.split('\n').length,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    warnings,
  };
}

const defaultExtension = {
  javascript: 'js',
  typescript: 'ts',
  python: 'py',
  java: 'java',
  go: 'go',
} as const;

/** All built-in rules, or the given subset (ids) / custom rule objects. */
export function selectRules(selection: readonly (string | SecurityRule)[] | undefined): SecurityRule[] {
  if (selection === undefined) return loadSecurityRules();
  // Custom rule objects alone do not need (or depend on) the built-in rule files.
  const all = selection.some((entry) => typeof entry === 'string') ? loadSecurityRules() : [];
  return selection.map((entry) => {
    if (typeof entry !== 'string') return entry;
    const rule = all.find((candidate) => candidate.id === entry);
    if (rule === undefined)
      throw new PlumbError(
        'invalid_request',
        `Unknown security rule "${entry}". List the rules with securityRuleCatalogue().`,
        { param: 'rules' },
      );
    return rule;
  });
}
