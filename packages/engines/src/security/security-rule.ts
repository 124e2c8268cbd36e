import { asciiRegex } from './ascii-regex.ts';
import { z } from 'zod';

const ruleLanguage = z.enum(['javascript', 'typescript', 'python', 'java', 'go']);

/** A named structural check on a metavariable that ast-grep alone cannot express. */
const whereCondition = z.object({
  metavariable: z.string().min(1),
  /** Minimum Shannon entropy (bits per character) of the string content. */
  entropy: z.number().min(0).max(8).optional(),
  /** Minimum length of the string content. */
  minLength: z.number().int().min(0).optional(),
  /** The string/regex content must be prone to catastrophic backtracking. */
  redos: z.boolean().optional(),
  /** The text must not match this regular expression (checked after unquoting). */
  notRegex: z.string().optional(),
});

const taintSection = z.object({
  /** The metavariable (without `$`) of the sink argument that must not carry untrusted data. */
  argument: z.string().min(1),
  /** Source kinds that count: request (remote input), local (argv, env, stdin, files), parameter (function parameters). */
  sources: z.array(z.enum(['request', 'local', 'parameter'])).default(['request', 'parameter']),
  /** Whether a plain function parameter must be built into a string (concatenation, template, format) to count. */
  parameterNeedsBuilding: z.boolean().default(true),
  /** Data built behind a fixed scheme+host or absolute-path prefix is safe (SSRF, open redirect). */
  fixedPrefixSafe: z.boolean().default(false),
  /** Function names (last segment or full dotted name) whose result is clean for this rule. */
  sanitizers: z.array(z.string()).default([]),
});

const fixSection = z.union([
  z.string(),
  z.object({ builtin: z.enum(['parameterize-sql']), description: z.string().optional() }),
]);

/** One security rule as written in a YAML rule file. */
export const securityRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case id'),
    languages: z.array(ruleLanguage).min(1),
    rule: z.record(z.string(), z.unknown()),
    constraints: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    utils: z.record(z.string(), z.unknown()).optional(),
    where: z.array(whereCondition).optional(),
    /** Regular expression the file text must match for the rule to run (cheap pre-filter); derived when absent. */
    prefilter: z.string().optional(),
    /** Report this metavariable's node instead of the whole match. */
    focus: z.string().optional(),
    message: z.string().min(1),
    severity: z.enum(['high', 'medium', 'low']),
    metadata: z.object({
      cwe: z.string().regex(/^CWE-\d+$/),
      owasp2021: z.string().regex(/^A\d\d$/),
      confidence: z.enum(['high', 'medium', 'low']),
      references: z.array(z.string()).default([]),
    }),
    taint: taintSection.optional(),
    fix: fixSection.optional(),
    safer_alternative: z.object({ text: z.string().min(1), code: z.string().optional() }).optional(),
    tests: z.object({
      vulnerable: z.array(z.string()).min(1),
      safe: z.array(z.string()).min(1),
    }),
  })
  .strict();

/** The top level of a rule file: a list of rules. */
export const securityRuleFileSchema = z.object({ rules: z.array(z.unknown()).min(1) }).strict();

/** A validated security rule. */
export type SecurityRule = z.infer<typeof securityRuleSchema> & {
  /** The rule file it came from (relative to the rules folder). */
  sourceFile: string;
  /** Compiled pre-filter: the file must match it for the rule to run. */
  prefilterPattern: RegExp | undefined;
};

/** The OWASP Top 10 (2021) titles, for SARIF and reports. */
export const owaspTitles: Record<string, string> = {
  A01: 'Broken Access Control',
  A02: 'Cryptographic Failures',
  A03: 'Injection',
  A04: 'Insecure Design',
  A05: 'Security Misconfiguration',
  A06: 'Vulnerable and Outdated Components',
  A07: 'Identification and Authentication Failures',
  A08: 'Software and Data Integrity Failures',
  A09: 'Security Logging and Monitoring Failures',
  A10: 'Server-Side Request Forgery',
};

const configs = new WeakMap<SecurityRule, Record<string, unknown>>();

/**
 * The napi matcher configuration of a rule (no undefined keys: napi rejects them), built once per rule object.
 * Regexes are rewritten to fast-compiling ASCII forms (see `asciiRegex`): napi compiles them on every call.
 */
export function ruleConfig(rule: SecurityRule): never {
  let config = configs.get(rule);
  if (config === undefined) {
    config = { rule: withAsciiRegexes(rule.rule) };
    if (rule.constraints !== undefined) config.constraints = withAsciiRegexes(rule.constraints);
    if (rule.utils !== undefined) config.utils = withAsciiRegexes(rule.utils);
    configs.set(rule, config);
  }
  return config as never;
}

function withAsciiRegexes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withAsciiRegexes);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value))
    copy[key] = key === 'regex' && typeof entry === 'string' ? asciiRegex(entry) : withAsciiRegexes(entry);
  return copy;
}
