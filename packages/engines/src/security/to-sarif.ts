import type { Log, ReportingDescriptor, Result } from 'sarif';
import { loadSecurityRules } from './load-security-rules.ts';
import type { SecurityScanResult } from './security-finding.ts';
import { owaspTitles } from './security-rule.ts';

const securitySeverity = { high: '8.0', medium: '5.5', low: '3.0' } as const;
const level = { high: 'error', medium: 'warning', low: 'note' } as const;

/**
 * A SARIF 2.1.0 log of a scan (GitHub code scanning compatible): rules with CWE tags and security-severity,
 * results with relative artifact URIs under %SRCROOT%, partial fingerprints, code flows and fixes.
 *
 * @example toSarif(result).version // => '2.1.0'
 */
export function toSarif(result: SecurityScanResult, options: { root?: string } = {}): Log {
  const catalogue = new Map(loadSecurityRules().map((rule) => [rule.id, rule]));
  const ruleIds = [...new Set(result.findings.map((finding) => finding.ruleId))].sort();
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const rule = catalogue.get(id);
    const cwe = rule?.metadata.cwe ?? 'CWE-0';
    const message = rule?.message.trim() ?? id;
    return {
      id,
      name: id.replace(/(^|-)(\w)/g, (_whole, _dash: string, letter: string) => letter.toUpperCase()),
      shortDescription: { text: message.split('. ')[0] ?? message },
      fullDescription: { text: message },
      help: {
        text: `${message}${rule?.safer_alternative ? ` ${rule.safer_alternative.text}` : ''}`,
        markdown: `${message}\n\n${rule?.safer_alternative?.text ?? ''}`,
      },
      helpUri: rule?.metadata.references[0] ?? `https://cwe.mitre.org/data/definitions/${cwe.slice(4)}.html`,
      properties: {
        tags: [
          'security',
          `external/cwe/${cwe.toLowerCase()}`,
          `owasp-${rule?.metadata.owasp2021 ?? ''}:2021 ${owaspTitles[rule?.metadata.owasp2021 ?? ''] ?? ''}`.trim(),
        ],
        'security-severity': securitySeverity[rule?.severity ?? 'medium'],
        precision:
          rule?.metadata.confidence === 'high'
            ? 'high'
            : rule?.metadata.confidence === 'low'
              ? 'low'
              : 'medium',
      },
    };
  });
  const uri = (file: string): string => {
    let relative = file.replace(/\\/g, '/');
    if (options.root !== undefined) {
      const root = options.root.replace(/\\/g, '/').replace(/\/$/, '');
      if (relative.startsWith(`${root}/`)) relative = relative.slice(root.length + 1);
    }
    return relative.replace(/^\.\//, '').replace(/^\//, '').split('/').map(encodeURIComponent).join('/');
  };
  const results: Result[] = result.findings.map((finding) => {
    const sarifResult: Result = {
      ruleId: finding.ruleId,
      ruleIndex: ruleIds.indexOf(finding.ruleId),
      level: level[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uri(finding.file), uriBaseId: '%SRCROOT%' },
            region: {
              startLine: finding.line,
              startColumn: finding.column,
              endLine: finding.endLine,
              endColumn: finding.endColumn,
              snippet: { text: finding.snippet },
            },
          },
        },
      ],
      partialFingerprints: { 'plumbFingerprint/v1': finding.fingerprint },
    };
    if (finding.taintPath !== undefined && finding.taintPath.length > 0)
      sarifResult.codeFlows = [
        {
          threadFlows: [
            {
              locations: finding.taintPath.map((step) => ({
                location: {
                  physicalLocation: {
                    artifactLocation: { uri: uri(step.file), uriBaseId: '%SRCROOT%' },
                    region: { startLine: step.line, startColumn: step.column },
                  },
                  message: { text: step.label },
                },
              })),
            },
          ],
        },
      ];
    if (finding.fix !== undefined)
      sarifResult.fixes = [
        {
          description: { text: finding.fix.description },
          artifactChanges: [
            {
              artifactLocation: { uri: uri(finding.file), uriBaseId: '%SRCROOT%' },
              replacements: [
                {
                  deletedRegion: {
                    startLine: finding.fix.range.startLine,
                    startColumn: finding.fix.range.startColumn,
                    endLine: finding.fix.range.endLine,
                    endColumn: finding.fix.range.endColumn,
                  },
                  insertedContent: { text: finding.fix.replacement },
                },
              ],
            },
          ],
        },
      ];
    return sarifResult;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Plumb',
            version: '0.1.0',
            informationUri: 'https://github.com/plumb-dev/plumb',
            rules,
          },
        },
        originalUriBaseIds:
          options.root === undefined
            ? undefined
            : { '%SRCROOT%': { uri: `file://${options.root.replace(/\\/g, '/').replace(/\/?$/, '/')}` } },
        results,
      },
    ],
  };
}
