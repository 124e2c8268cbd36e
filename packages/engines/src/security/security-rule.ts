import { asciiRegex } from './ascii-regex.ts';
import { derivePrefilter } from './derive-prefilter.ts';
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

const configs = new WeakMap<SecurityRule, Map<string, Record<string, unknown> | null>>();
const alternativeFilters = new WeakMap<SecurityRule, AlternativeFilters>();

/** Per-alternative pre-filters of a rule's `any` lists (top level and inside a top-level `all`). */
interface AlternativeFilters {
  /** Path of each pruned `any`: -1 for `rule.any`, i for `rule.all[i].any`. */
  lists: { position: number; filters: (RegExp | undefined)[] }[];
}

/**
 * The napi matcher configuration of a rule (no undefined keys: napi rejects them), built once per rule object
 * and file shape. napi compiles every pattern (a tree-sitter parse) and regex of a config on every call, so
 * regexes are rewritten to fast-compiling ASCII forms (see `asciiRegex`) and, when `code` is given, `any`
 * alternatives whose required words do not occur in the code are left out (they cannot match). Returns null
 * when no alternative can match.
 */
export function ruleConfig(rule: SecurityRule, code?: string): never {
  let cache = configs.get(rule);
  if (cache === undefined) {
    cache = new Map();
    configs.set(rule, cache);
  }
  const filters = code === undefined ? undefined : filtersOf(rule);
  const keep = filters?.lists.map((list) =>
    list.filters.map((filter) => filter === undefined || filter.test(code!)),
  );
  const key = keep === undefined ? '*' : keep.map((list) => list.map(Number).join('')).join('/');
  let config = cache.get(key);
  if (config === undefined) {
    let body: Record<string, unknown> | null = rule.rule;
    if (keep !== undefined && filters !== undefined) body = pruned(rule.rule, filters, keep);
    if (body === null) {
      config = null;
    } else {
      config = { rule: withAsciiRegexes(body) };
      if (rule.constraints !== undefined) {
        // napi rejects a constraint on a metavariable that pruning removed from the rule.
        const text = JSON.stringify(body);
        const used = Object.entries(rule.constraints).filter(([name]) =>
          new RegExp(`\\$${name}\\b`).test(text),
        );
        if (used.length > 0) config.constraints = withAsciiRegexes(Object.fromEntries(used));
      }
      if (rule.utils !== undefined) config.utils = withAsciiRegexes(rule.utils);
    }
    cache.set(key, config);
  }
  return config as never;
}

function filtersOf(rule: SecurityRule): AlternativeFilters {
  let filters = alternativeFilters.get(rule);
  if (filters === undefined) {
    filters = { lists: [] };
    const compile = (alternatives: unknown[]): (RegExp | undefined)[] =>
      alternatives.map((alternative) => derivePrefilter(alternative, rule.constraints));
    const body = rule.rule as { any?: unknown; all?: unknown };
    if (Array.isArray(body.any)) filters.lists.push({ position: -1, filters: compile(body.any) });
    if (Array.isArray(body.all))
      body.all.forEach((part: unknown, position: number) => {
        const any = (part as { any?: unknown } | null)?.any;
        if (Array.isArray(any) && Object.keys(part as object).length === 1)
          filters!.lists.push({ position, filters: compile(any) });
      });
    alternativeFilters.set(rule, filters);
  }
  return filters;
}

function pruned(
  body: Record<string, unknown>,
  filters: AlternativeFilters,
  keep: boolean[][],
): Record<string, unknown> | null {
  const copy: Record<string, unknown> = { ...body };
  const all = Array.isArray(body.all) ? [...(body.all as unknown[])] : undefined;
  for (const [index, list] of filters.lists.entries()) {
    const flags = keep[index]!;
    if (list.position === -1) {
      const alternatives = (body.any as unknown[]).filter((_, position) => flags[position]);
      if (alternatives.length === 0) return null;
      copy.any = alternatives;
    } else if (all !== undefined) {
      const part = all[list.position] as { any: unknown[] };
      const alternatives = part.any.filter((_, position) => flags[position]);
      if (alternatives.length === 0) return null;
      all[list.position] = { any: alternatives };
    }
  }
  if (all !== undefined) copy.all = all;
  return copy;
}

function withAsciiRegexes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withAsciiRegexes);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value))
    copy[key] = key === 'regex' && typeof entry === 'string' ? asciiRegex(entry) : withAsciiRegexes(entry);
  return copy;
}
