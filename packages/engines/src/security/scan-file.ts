import type { SgNode } from '@ast-grep/napi';
import { buildFix } from './build-fix.ts';
import { findingFingerprint } from './finding-fingerprint.ts';
import { isRedosProne } from './is-redos-prone.ts';
import { literalContent } from './literal-content.ts';
import { checkMissingAdminAuthentication } from './missing-admin-authentication.ts';
import type { SecurityConfidence, SecurityFinding, TaintStep } from './security-finding.ts';
import { parseSecuritySource, ruleLanguageOf, type SecurityLanguage } from './security-language.ts';
import { ruleConfig, type SecurityRule } from './security-rule.ts';
import { shannonEntropy } from './shannon-entropy.ts';
import { requestTextHint, taintGrammarOf } from './taint/taint-grammar.ts';
import { runTaintAnalysis } from './taint/run-taint-analysis.ts';

/** Files or fragments larger than this are not scanned (a warning says so). */
export const maxScanBytes = 2 * 1024 * 1024;

/**
 * Scan one file's text with the given rules: parse once, run every applicable pattern rule on that tree, then
 * the taint rules. Returns findings (not yet suppressed or baselined) and warnings.
 *
 * @example scanFile({ code: 'eval(location.hash)', language: 'javascript', file: 'a.js', rules }).findings.length // => 1
 */
export function scanFile(options: {
  code: string;
  language: SecurityLanguage;
  file: string;
  rules: SecurityRule[];
  /** The text is known to parse without errors in its grammar (see `parseSecuritySource`). */
  knownWithoutErrors?: boolean;
}): {
  findings: SecurityFinding[];
  warnings: string[];
} {
  const { code, language, file } = options;
  const warnings: string[] = [];
  if (code.length > maxScanBytes) {
    warnings.push(
      `${file}: ${(code.length / 1024 / 1024).toFixed(1)} MB is larger than the ${maxScanBytes / 1024 / 1024} MB scan limit; not scanned. Split the file or scan a smaller part.`,
    );
    return { findings: [], warnings };
  }
  if (code.includes('\u0000')) {
    warnings.push(`${file}: contains NUL bytes (binary content); not scanned.`);
    return { findings: [], warnings };
  }
  if (code.trim() === '') return { findings: [], warnings };
  const ruleLanguage = ruleLanguageOf(language);
  const rules = options.rules.filter(
    (rule) => rule.languages.includes(language) || rule.languages.includes(ruleLanguage),
  );
  if (rules.length === 0) {
    warnings.push(`${file}: no security rules for ${language} yet; the file was parsed but not checked.`);
  }
  const parsed = parseSecuritySource(code, language, file, {
    knownWithoutErrors: options.knownWithoutErrors === true,
  });
  if (parsed.hasErrors)
    warnings.push(
      `${file}: syntax error near line ${parsed.firstErrorLine ?? '?'}; scanned the parts that parsed.`,
    );
  const root = parsed.root.root();
  const applicable = applicableRules(rules, language, code);
  const lines = code.split('\n');
  const findings: SecurityFinding[] = [];
  const occurrences = new Map<string, number>();
  const seen = new Set<string>();

  const report = (
    rule: SecurityRule,
    node: SgNode,
    extra: { confidence?: SecurityConfidence; taintPath?: TaintStep[]; fixNode?: SgNode },
  ): void => {
    const range = node.range();
    const line = range.start.line + 1 + parsed.lineOffset;
    const column = range.start.column + 1 + parsed.columnOffset;
    const key = `${rule.id}:${line}:${column}`;
    if (seen.has(key)) return;
    seen.add(key);
    const matchedText = node.text();
    const occurrenceKey = `${rule.id}\0${matchedText.replace(/\s+/g, ' ')}`;
    const occurrence = occurrences.get(occurrenceKey) ?? 0;
    occurrences.set(occurrenceKey, occurrence + 1);
    const endLine = range.end.line + 1 + parsed.lineOffset;
    const fix =
      parsed.lineOffset === 0 && parsed.columnOffset === 0
        ? buildFix(rule, extra.fixNode ?? node, code, 0)
        : undefined;
    const finding: SecurityFinding = {
      ruleId: rule.id,
      cwe: rule.metadata.cwe,
      owasp: `${rule.metadata.owasp2021}:2021`,
      severity: rule.severity,
      confidence: extra.confidence ?? rule.metadata.confidence,
      file,
      line,
      column,
      endLine,
      endColumn: range.end.column + 1 + parsed.columnOffset,
      message: rule.message.trim(),
      snippet: lines
        .slice(line - 1, Math.min(endLine, line + 2))
        .map((text) => text.trim())
        .join(' ')
        .slice(0, 300),
      fingerprint: findingFingerprint(rule.id, file, matchedText, occurrence),
    };
    if (extra.taintPath !== undefined) finding.taintPath = extra.taintPath;
    if (rule.safer_alternative !== undefined)
      finding.saferAlternative = {
        description: rule.safer_alternative.text.trim(),
        ...(rule.safer_alternative.code === undefined ? {} : { code: rule.safer_alternative.code.trim() }),
      };
    if (fix !== undefined) finding.fix = fix;
    findings.push(finding);
  };

  for (const rule of applicable) {
    if (rule.taint !== undefined) continue;
    // One broken rule (a kind this grammar lacks, a bad regex) must not stop the others.
    try {
      const config = ruleConfig(rule, code);
      if (config === null) continue;
      for (const match of root.findAll(config)) {
        if (!passesWhere(rule, match, root)) continue;
        const focus = rule.focus === undefined ? null : match.getMatch(rule.focus);
        report(rule, focus ?? match, { fixNode: match });
      }
    } catch (error) {
      warnings.push(ruleFailure(rule, file, error));
    }
  }

  const taintRules = applicable.filter((rule) => rule.taint !== undefined);
  const grammar = taintGrammarOf(ruleLanguage);
  if (taintRules.length > 0 && grammar !== undefined) {
    let flows: ReturnType<typeof runTaintAnalysis> = [];
    try {
      flows = runTaintAnalysis({
        root,
        grammar,
        rules: taintRules,
        file,
        lineOffset: parsed.lineOffset,
        warnings,
        parser: parsed.parser,
        code,
      });
    } catch (error) {
      warnings.push(
        `${file}: taint analysis failed (${firstLine(error)}); the rules ${taintRules.map((rule) => rule.id).join(', ')} were skipped.`,
      );
    }
    const rank = { high: 0, medium: 1, low: 2 } as const;
    for (const flow of flows) {
      const ruleConfidence = flow.rule.metadata.confidence;
      const confidence: SecurityConfidence =
        flow.kind === 'request'
          ? ruleConfidence
          : rank[ruleConfidence] < rank.medium
            ? 'medium'
            : ruleConfidence;
      report(flow.rule, flow.sink, { confidence, taintPath: flow.steps });
    }
  }
  findings.sort(
    (left, right) =>
      left.line - right.line || left.column - right.column || left.ruleId.localeCompare(right.ruleId),
  );
  return { findings, warnings };
}

/**
 * The rules of `language` that can match `code`: its pre-filter passes, and for a taint rule that only counts
 * request data, the text has a request source somewhere (see `requestTextHint`).
 *
 * @example applicableRules(loadSecurityRules(), 'python', 'print(1)') // => []
 */
export function applicableRules(
  rules: SecurityRule[],
  language: SecurityLanguage,
  code: string,
): SecurityRule[] {
  const ruleLanguage = ruleLanguageOf(language);
  const grammar = taintGrammarOf(ruleLanguage);
  let requestPossible: boolean | undefined;
  return rules.filter((rule) => {
    if (!rule.languages.includes(language) && !rule.languages.includes(ruleLanguage)) return false;
    if (rule.prefilterPattern !== undefined && !rule.prefilterPattern.test(code)) return false;
    if (rule.taint === undefined || grammar === undefined) return true;
    if (!rule.taint.sources.every((source) => source === 'request')) return true;
    requestPossible ??= requestTextHint(grammar).test(code);
    return requestPossible;
  });
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function ruleFailure(rule: SecurityRule, file: string, error: unknown): string {
  return `Rule ${rule.id} (${rule.sourceFile}) could not run on ${file}: ${firstLine(error)}; skipped it, the other rules ran. Fix the rule file.`;
}

function passesWhere(rule: SecurityRule, match: SgNode, root: SgNode): boolean {
  for (const condition of rule.where ?? []) {
    if (condition.metavariable === '$ROUTE_AUTH') {
      if (!checkMissingAdminAuthentication(match, root)) return false;
      continue;
    }
    const name = condition.metavariable.replace(/^\$/, '');
    const node = name === 'MATCH' ? match : match.getMatch(name);
    if (node === null) return false;
    const content = literalContent(node.text());
    if (condition.minLength !== undefined && content.length < condition.minLength) return false;
    if (condition.entropy !== undefined && shannonEntropy(content) < condition.entropy) return false;
    if (condition.notRegex !== undefined && new RegExp(condition.notRegex, 'i').test(content)) return false;
    // In a non-raw string literal `'\\d+'` is the regex `\d+`: undo the string escaping first.
    const pattern = /^["'`]/.test(node.text()) ? content.replace(/\\\\/g, '\\') : content;
    if (condition.redos === true && !isRedosProne(pattern)) return false;
  }
  return true;
}
