import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlumbError } from '@plumb/protocol';
import { parse as parseYaml } from 'yaml';
import { derivePrefilter } from './derive-prefilter.ts';
import { securityRuleFileSchema, securityRuleSchema, type SecurityRule } from './security-rule.ts';

/** The folder of the built-in rule files. */
export const builtInRulesDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rules');

const cache = new Map<string, SecurityRule[]>();

/**
 * Load and validate every `rules/<language>/*.yaml` file (cached per folder). A bad file throws PlumbError
 * `security_rule_invalid` naming the file, the rule id and the field.
 *
 * @example loadSecurityRules().some((rule) => rule.metadata.cwe === 'CWE-89') // => true
 */
export function loadSecurityRules(directory: string = builtInRulesDirectory): SecurityRule[] {
  const cached = cache.get(directory);
  if (cached !== undefined) return cached;
  const rules: SecurityRule[] = [];
  const seen = new Set<string>();
  for (const languageFolder of readdirSync(directory, { withFileTypes: true })) {
    if (!languageFolder.isDirectory()) continue;
    const folder = path.join(directory, languageFolder.name);
    for (const fileName of readdirSync(folder).sort()) {
      if (!/\.ya?ml$/.test(fileName)) continue;
      const relative = `${languageFolder.name}/${fileName}`;
      for (const rule of parseSecurityRuleFile(readFileSync(path.join(folder, fileName), 'utf8'), relative)) {
        if (seen.has(rule.id))
          throw invalid(relative, rule.id, 'id', 'the id is used by another rule; ids must be unique');
        seen.add(rule.id);
        rules.push(rule);
      }
    }
  }
  cache.set(directory, rules);
  return rules;
}

/**
 * Validate the text of one rule file.
 *
 * @example parseSecurityRuleFile('rules: []', 'x.yaml') // throws PlumbError security_rule_invalid
 */
export function parseSecurityRuleFile(text: string, file: string): SecurityRule[] {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw invalid(file, '(file)', '(yaml)', `it is not valid YAML: ${(error as Error).message}`);
  }
  const top = securityRuleFileSchema.safeParse(document);
  if (!top.success)
    throw invalid(file, '(file)', 'rules', 'the file must be an object with a non-empty `rules` list');
  return top.data.rules.map((raw, index) => {
    const id =
      typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : `#${index}`;
    const parsed = securityRuleSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue === undefined ? '(unknown)' : issue.path.join('.') || '(rule)';
      throw invalid(file, id, field, issue?.message ?? 'invalid');
    }
    const rule = parsed.data;
    if (rule.taint !== undefined && !JSON.stringify(rule.rule).includes(`$${rule.taint.argument}`))
      throw invalid(
        file,
        id,
        'taint.argument',
        `metavariable $${rule.taint.argument} does not occur in rule`,
      );
    let prefilterPattern: RegExp | undefined;
    try {
      // `(?i)` at the start of a prefilter makes it case-insensitive (JavaScript has no inline flags).
      prefilterPattern =
        rule.prefilter === undefined
          ? derivePrefilter(rule.rule, rule.constraints)
          : rule.prefilter.startsWith('(?i)')
            ? new RegExp(rule.prefilter.slice(4), 'i')
            : new RegExp(rule.prefilter);
    } catch (error) {
      throw invalid(file, id, 'prefilter', (error as Error).message);
    }
    return { ...rule, sourceFile: file, prefilterPattern };
  });
}

function invalid(file: string, id: string, field: string, problem: string): PlumbError {
  return new PlumbError(
    'security_rule_invalid',
    `Security rule file ${file}, rule ${id}, field ${field}: ${problem}. Fix the rule file (see packages/engines/src/security/rules for examples).`,
    { param: field },
  );
}
