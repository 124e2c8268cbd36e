import { compileGlob } from './compile-glob.ts';
import type { LayerViolation, ModuleImport } from './architecture-report.ts';
import { parseForbiddenRule, type LayerRules } from './load-layer-rules.ts';

/**
 * The imports that cross a forbidden layer boundary, each with file:line. A file belongs to the first layer
 * whose globs match it; files in no layer are unconstrained. Warns about layers that match no file (usually a
 * mistyped glob, which would silently disable every rule naming that layer).
 *
 * @example checkLayerRules(imports, files, { layers: { ui: ['src/ui/**'], db: ['src/db/**'] }, forbidden: ['ui -> db'] }).violations[0].line // => 3
 */
export function checkLayerRules(
  imports: readonly ModuleImport[],
  files: Iterable<string>,
  rules: LayerRules,
): { violations: LayerViolation[]; warnings: string[] } {
  const matchers = Object.entries(rules.layers).map(([layer, globs]) => {
    const tests = globs.map(compileGlob);
    return { layer, matches: (file: string) => tests.some((test) => test(file)) };
  });
  const layerCache = new Map<string, string | null>();
  const layerOf = (file: string): string | null => {
    let layer = layerCache.get(file);
    if (layer === undefined) {
      layer = matchers.find((matcher) => matcher.matches(file))?.layer ?? null;
      layerCache.set(file, layer);
    }
    return layer;
  };
  const usedLayers = new Set<string>();
  for (const file of files) {
    const layer = layerOf(file);
    if (layer !== null) usedLayers.add(layer);
  }
  const warnings = Object.keys(rules.layers)
    .filter((layer) => !usedLayers.has(layer))
    .map(
      (layer) =>
        `Layer "${layer}" matches no file (globs: ${rules.layers[layer]!.join(', ')}); rules naming it check nothing.`,
    );

  const forbidden = new Map<string, string>();
  for (const rule of rules.forbidden) {
    const [fromLayer, toLayer] = parseForbiddenRule(rule);
    forbidden.set(`${fromLayer}\0${toLayer}`, rule);
  }
  const violations: LayerViolation[] = [];
  for (const moduleImport of imports) {
    const fromLayer = layerOf(moduleImport.from);
    const toLayer = layerOf(moduleImport.to);
    if (fromLayer === null || toLayer === null) continue;
    const rule = forbidden.get(`${fromLayer}\0${toLayer}`);
    if (rule === undefined) continue;
    violations.push({
      rule,
      fromLayer,
      toLayer,
      file: moduleImport.from,
      line: moduleImport.line,
      target: moduleImport.to,
      specifier: moduleImport.specifier,
      typeOnly: moduleImport.typeOnly,
    });
  }
  violations.sort(
    (left, right) => left.file.localeCompare(right.file) || (left.line ?? 0) - (right.line ?? 0),
  );
  return { violations, warnings };
}
