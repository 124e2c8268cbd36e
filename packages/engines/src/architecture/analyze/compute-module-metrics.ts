import type { DefinitionFact, FileFacts } from '../../code-graph/file-facts.ts';
import type { ModuleDependency, ModuleMetrics } from './architecture-report.ts';

/** Languages with abstract types (interfaces, abstract classes, protocols); plain JavaScript has none. */
const languagesWithAbstractTypes = new Set(['typescript', 'tsx', 'java', 'go', 'python']);

/** Python bases that make a class abstract (abc.ABC, typing.Protocol). */
const abstractPythonBases = new Set(['ABC', 'abc.ABC', 'Protocol', 'typing.Protocol']);

/**
 * Whether a type definition is abstract: an interface, a class declared `abstract` (TypeScript, Java), or a
 * Python class deriving from ABC/Protocol or using the ABCMeta metaclass.
 *
 * @example isAbstractType({ kind: 'interface', ... }, 'java') // => true
 */
export function isAbstractType(definition: DefinitionFact, language: string): boolean {
  if (definition.kind === 'interface') return true;
  if (definition.kind !== 'class') return false;
  if (language === 'python')
    return (
      definition.extends.some((base) => abstractPythonBases.has(base)) ||
      /metaclass\s*=\s*(abc\.)?ABCMeta/.test(definition.signature)
    );
  return /\babstract\b/.test(definition.signature);
}

/**
 * Fan-in (Ca: distinct modules depending on it), fan-out (Ce: distinct modules it depends on), instability
 * I = Ce/(Ca+Ce), abstractness A = abstract types / types (classes and interfaces; enums and type aliases are
 * not counted, as in Martin's definition over classes), and the distance from the main sequence |A+I−1|.
 * Type-only dependencies count: they couple at compile time, which is what these metrics measure.
 *
 * @example computeModuleMetrics(modules, dependencies, files).get('src/db')?.instability // => 0
 */
export function computeModuleMetrics(
  modules: ReadonlyMap<string, string[]>,
  dependencies: readonly ModuleDependency[],
  files: ReadonlyMap<string, FileFacts>,
): Map<string, ModuleMetrics> {
  const dependents = new Map<string, Set<string>>();
  const dependees = new Map<string, Set<string>>();
  for (const { from, to } of dependencies) {
    if (from === to) continue;
    if (!dependees.has(from)) dependees.set(from, new Set());
    dependees.get(from)!.add(to);
    if (!dependents.has(to)) dependents.set(to, new Set());
    dependents.get(to)!.add(from);
  }
  const metrics = new Map<string, ModuleMetrics>();
  for (const [id, members] of modules) {
    const fanIn = dependents.get(id)?.size ?? 0;
    const fanOut = dependees.get(id)?.size ?? 0;
    const instability = fanIn + fanOut === 0 ? null : fanOut / (fanIn + fanOut);
    let types = 0;
    let abstractTypes = 0;
    let hasAbstractionLanguage = false;
    for (const file of members) {
      const facts = files.get(file);
      if (facts === undefined || !languagesWithAbstractTypes.has(facts.language)) continue;
      hasAbstractionLanguage = true;
      for (const definition of facts.definitions) {
        if (definition.kind !== 'class' && definition.kind !== 'interface') continue;
        types++;
        if (isAbstractType(definition, facts.language)) abstractTypes++;
      }
    }
    const abstractness = hasAbstractionLanguage && types > 0 ? abstractTypes / types : null;
    const distance =
      abstractness === null || instability === null ? null : Math.abs(abstractness + instability - 1);
    metrics.set(id, { fanIn, fanOut, instability, abstractness, distance, abstractTypes, types });
  }
  return metrics;
}
