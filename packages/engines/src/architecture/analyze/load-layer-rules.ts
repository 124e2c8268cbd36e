import { readFileSync } from 'node:fs';
import { PlumbError } from '@plumb/protocol';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * Layers by name, each a list of path globs (repository-relative), and the forbidden directions between them.
 * A file belongs to the first layer (in declaration order) whose glob matches it.
 */
export interface LayerRules {
  layers: Record<string, string[]>;
  /** `"ui -> db"`: no file of layer `ui` may import a file of layer `db`. */
  forbidden: string[];
}

const arrowPattern = /^\s*([^\s-][^>]*?)\s*->\s*(\S.*?)\s*$/;

const layerRulesSchema = z
  .object({
    layers: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)),
    forbidden: z.array(z.string().regex(arrowPattern, 'must read "<layer> -> <layer>"')).default([]),
  })
  .superRefine((rules, context) => {
    rules.forbidden.forEach((rule, index) => {
      for (const layer of parseForbiddenRule(rule))
        if (!Object.hasOwn(rules.layers, layer))
          context.addIssue({
            code: 'custom',
            path: ['forbidden', index],
            message: `names the layer "${layer}", which is not declared under layers (${Object.keys(rules.layers).join(', ')})`,
          });
    });
  });

/**
 * The two layer names of a `"from -> to"` rule.
 *
 * @example parseForbiddenRule('ui -> db') // => ['ui', 'db']
 */
export function parseForbiddenRule(rule: string): [string, string] {
  const match = arrowPattern.exec(rule);
  return match ? [match[1]!, match[2]!] : ['', ''];
}

/**
 * Validate layer rules given as an object (already parsed JSON or YAML). Throws PlumbError `invalid_request`
 * whose `param` is the field path of the first problem (`layers.ui`, `forbidden.1`).
 *
 * @example parseLayerRules({ layers: { ui: ['src/ui/**'], db: ['src/db/**'] }, forbidden: ['ui -> db'] }).forbidden // => ['ui -> db']
 */
export function parseLayerRules(value: unknown, source = 'the layer rules'): LayerRules {
  const result = layerRulesSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(root)';
  throw new PlumbError(
    'invalid_request',
    `In ${source}, field "${field}" ${issue.message}. Expected { layers: { name: ["glob", ...] }, forbidden: ["from -> to", ...] }.`,
    { param: field },
  );
}

/**
 * Read layer rules from a YAML or JSON file (YAML is a superset of JSON, so one parser reads both).
 *
 * @example loadLayerRules('architecture.yaml').layers.ui // => ['src/ui/**']
 */
export function loadLayerRules(path: string): LayerRules {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PlumbError(
      'source_not_found',
      `Could not read the layer rules file ${path} (${(error as Error).message}). Check the path.`,
      { param: 'layers', cause: error },
    );
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new PlumbError(
      'invalid_request',
      `The layer rules file ${path} is not valid YAML or JSON: ${(error as Error).message}`,
      { param: '(file)', cause: error },
    );
  }
  return parseLayerRules(document, path);
}
