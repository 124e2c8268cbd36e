// Peer runner: eslint-plugin-security's recommended rules through ESLint's Node API, with typescript-eslint's
// parser so the TypeScript samples are read too. Findings are mapped from rule ids to CWE ids.
import { createRequire } from 'node:module';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { parseErrorRuleId, securityCorpusDirectory, type PeerFinding } from './security-corpus.ts';

export const eslintPluginSecurityToolName = 'eslint-plugin-security';

/**
 * CWE of each eslint-plugin-security rule (`undefined`: the rule maps to no CWE). The mapping follows what the
 * rule detects: a non-literal fs filename is a path-traversal check, a non-literal require loads code.
 */
export const eslintPluginSecurityRuleCwes: Readonly<Record<string, string | undefined>> = {
  'security/detect-child-process': 'CWE-78',
  'security/detect-eval-with-expression': 'CWE-94',
  'security/detect-non-literal-require': 'CWE-94',
  'security/detect-non-literal-fs-filename': 'CWE-22',
  'security/detect-unsafe-regex': 'CWE-1333',
  'security/detect-non-literal-regexp': 'CWE-1333',
  'security/detect-object-injection': 'CWE-1321',
  'security/detect-pseudoRandomBytes': 'CWE-338',
  'security/detect-disable-mustache-escape': 'CWE-79',
  'security/detect-possible-timing-attacks': 'CWE-208',
  'security/detect-no-csrf-before-method-override': 'CWE-352',
  'security/detect-buffer-noassert': 'CWE-125',
  'security/detect-new-buffer': 'CWE-908',
  'security/detect-bidi-characters': undefined,
  'security/detect-invisible-characters': undefined,
};

/** CWE ids eslint-plugin-security has at least one rule for. */
export const eslintPluginSecurityCoveredCwes: ReadonlySet<string> = new Set(
  Object.values(eslintPluginSecurityRuleCwes).filter((cwe): cwe is string => cwe !== undefined),
);

interface SecurityPlugin {
  configs: { recommended: Linter.Config };
}

function loadSecurityPlugin(): SecurityPlugin {
  // The package ships no type declarations, so it is loaded through require and checked here.
  const loaded: unknown = createRequire(import.meta.url)('eslint-plugin-security');
  const recommended = (loaded as { configs?: { recommended?: { rules?: unknown } } }).configs?.recommended;
  if (recommended === undefined || typeof recommended.rules !== 'object') {
    throw new Error(
      'eslint-plugin-security does not export configs.recommended; is version 3 or later installed?',
    );
  }
  return loaded as SecurityPlugin;
}

/**
 * Lints the given files (absolute, or relative to the corpus directory) with eslint-plugin-security's
 * recommended config and returns one finding per rule message, file paths relative to the corpus directory.
 * A file ESLint cannot parse yields one finding with rule id `parse-error` and no CWE.
 *
 * @example
 * const findings = await runEslintPluginSecurity(['javascript/CWE-78/vulnerable-1-express-exec-ping.js']);
 * console.log(findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId} ${finding.cwe}`));
 */
export async function runEslintPluginSecurity(
  files: string[],
  corpusDirectory: string = securityCorpusDirectory,
): Promise<PeerFinding[]> {
  if (files.length === 0) return [];
  const plugin = loadSecurityPlugin();
  const eslint = new ESLint({
    cwd: corpusDirectory,
    overrideConfigFile: true,
    errorOnUnmatchedPattern: false,
    overrideConfig: [
      {
        files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
        languageOptions: {
          parser: tseslint.parser,
          ecmaVersion: 'latest',
          sourceType: 'module',
        },
      },
      {
        files: ['**/*.{jsx,tsx}'],
        languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
      },
      plugin.configs.recommended,
    ],
  });
  const results = await eslint.lintFiles(files.map((file) => path.resolve(corpusDirectory, file)));
  const findings: PeerFinding[] = [];
  for (const result of results) {
    const file = path.relative(corpusDirectory, result.filePath).split(path.sep).join('/');
    for (const message of result.messages) {
      if (message.fatal === true || message.ruleId === null) {
        findings.push({
          tool: eslintPluginSecurityToolName,
          file,
          line: message.line,
          ruleId: parseErrorRuleId,
        });
        continue;
      }
      if (!message.ruleId.startsWith('security/')) continue;
      const cwe = eslintPluginSecurityRuleCwes[message.ruleId];
      findings.push({
        tool: eslintPluginSecurityToolName,
        file,
        line: message.line,
        ruleId: message.ruleId,
        ...(cwe === undefined ? {} : { cwe }),
      });
    }
  }
  return findings;
}
