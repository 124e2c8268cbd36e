import { loadSecurityRules } from './load-security-rules.ts';

/** One line of the rule catalogue. */
export interface SecurityRuleSummary {
  id: string;
  cwe: string;
  owasp: string;
  severity: 'high' | 'medium' | 'low';
  confidence: 'high' | 'medium' | 'low';
  languages: string[];
  message: string;
}

/**
 * Every built-in rule: id, CWE, OWASP 2021 category, severity, languages and message.
 *
 * @example securityRuleCatalogue().find((rule) => rule.id === 'js-sql-injection')?.cwe // => 'CWE-89'
 */
export function securityRuleCatalogue(): SecurityRuleSummary[] {
  return loadSecurityRules().map((rule) => ({
    id: rule.id,
    cwe: rule.metadata.cwe,
    owasp: `${rule.metadata.owasp2021}:2021`,
    severity: rule.severity,
    confidence: rule.metadata.confidence,
    languages: [...rule.languages],
    message: rule.message.trim(),
  }));
}
