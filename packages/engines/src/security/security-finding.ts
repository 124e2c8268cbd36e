/** Severity of a security finding. */
export type SecuritySeverity = 'high' | 'medium' | 'low';

/** How sure the engine is that a finding is a real vulnerability. */
export type SecurityConfidence = 'high' | 'medium' | 'low';

/** One step of a taint path: where untrusted data came from, went through, and ended up. */
export interface TaintStep {
  file: string;
  line: number;
  column: number;
  label: string;
}

/** A 1-based, end-exclusive source range. */
export interface SourceRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** An automatic fix: replace the text of `range` (also given as character offsets) with `replacement`. */
export interface SecurityFix {
  range: SourceRange;
  startOffset: number;
  endOffset: number;
  replacement: string;
  description: string;
}

/** A vulnerability found by a rule. Lines and columns are 1-based. */
export interface SecurityFinding {
  ruleId: string;
  cwe: string;
  owasp: string;
  severity: SecuritySeverity;
  confidence: SecurityConfidence;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  snippet: string;
  /** Stable identity for baselines and SARIF partialFingerprints (rule id + file + normalized snippet). */
  fingerprint: string;
  taintPath?: TaintStep[];
  saferAlternative?: { description: string; code?: string };
  fix?: SecurityFix;
}

/** What `scanSource` and `scanProject` return. */
export interface SecurityScanResult {
  findings: SecurityFinding[];
  filesScanned: number;
  linesScanned: number;
  durationMs: number;
  warnings: string[];
}
