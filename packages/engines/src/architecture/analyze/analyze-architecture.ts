import type { CodeGraph } from '../../code-graph/code-graph.ts';
import type { ArchitectureModule, ArchitectureReport, ModuleLevel } from './architecture-report.ts';
import { buildModuleGraph } from './build-module-graph.ts';
import { checkLayerRules } from './check-layer-rules.ts';
import { computeModuleMetrics } from './compute-module-metrics.ts';
import { createModuleResolver } from './create-module-resolver.ts';
import { findCycles } from './find-cycles.ts';
import { findDeadCodeCandidates } from './find-dead-code-candidates.ts';
import { findHotspots } from './find-hotspots.ts';
import type { LayerRules } from './load-layer-rules.ts';
import { measureGitChurn } from './measure-git-churn.ts';

export interface AnalyzeArchitectureOptions {
  graph: CodeGraph;
  /** The repository folder the graph's paths are relative to: needed for package manifests and git churn. */
  root?: string | undefined;
  /** Layer rules (see `loadLayerRules`); without them no violations are reported. */
  layers?: LayerRules | undefined;
  /** Module granularity for the dependency graph, metrics and cycles. Default `folder`. */
  level?: ModuleLevel | undefined;
  /** Read `git log` in `root` for hotspots. Default true when `root` is given. */
  gitChurn?: boolean | undefined;
  /** The end of the one-year churn window (default: the current time); fixed in tests. */
  now?: Date | undefined;
}

const deadCodeCandidatesNote =
  'Candidates only: exported definitions with no reference or importer in the indexed code. Reflection, dynamic ' +
  'imports, configuration-wired code and consumers outside the repository are invisible here; confirm before deleting.';

/**
 * Architecture analysis over a code graph: the module dependency graph at file, folder or package level with
 * fan-in, fan-out, instability, abstractness and distance from the main sequence; dependency cycles with the
 * edges that close them; layer-rule violations with file:line; hotspots (complexity × git churn) when `root`
 * is a git repository; and dead-code candidates.
 *
 * @example
 * const report = await analyzeArchitecture({ graph, root: '/repo', layers: loadLayerRules('/repo/layers.yaml') });
 * report.cycles[0]?.closingEdges[0] // => { from: 'src/c', to: 'src/a', weight: 1, imports: [...] }
 */
export async function analyzeArchitecture(options: AnalyzeArchitectureOptions): Promise<ArchitectureReport> {
  const { graph, root, layers } = options;
  const level = options.level ?? 'folder';
  const warnings: string[] = [];
  const moduleOf = createModuleResolver({ level, files: graph.files, root, warnings });
  const moduleGraph = buildModuleGraph(graph, moduleOf);
  const cycles = findCycles(moduleGraph.modules.keys(), moduleGraph.dependencies);
  const metrics = computeModuleMetrics(moduleGraph.modules, moduleGraph.dependencies, graph.files);
  const modules: ArchitectureModule[] = [...moduleGraph.modules]
    .map(([id, files]) => ({ id, files, ...metrics.get(id)! }))
    .sort((left, right) => left.id.localeCompare(right.id));

  let layerViolations: ArchitectureReport['layerViolations'] = [];
  if (layers !== undefined) {
    const checked = checkLayerRules(moduleGraph.imports, graph.files.keys(), layers);
    layerViolations = checked.violations;
    warnings.push(...checked.warnings);
  }

  let hotspots: ArchitectureReport['hotspots'] = null;
  const wantChurn = options.gitChurn ?? root !== undefined;
  if (wantChurn && root === undefined)
    warnings.push('Hotspots need git churn, which needs a root folder: skipped.');
  else if (wantChurn && root !== undefined) {
    const measured = await measureGitChurn(root, options.now ?? new Date(), warnings);
    if (measured !== null) hotspots = findHotspots(graph.files, measured.churn);
  }

  const deadCodeCandidates = findDeadCodeCandidates(graph);
  return {
    level,
    summary: {
      files: graph.files.size,
      modules: modules.length,
      dependencies: moduleGraph.dependencies.length,
      cycles: cycles.length,
      layerViolations: layerViolations.length,
      hotspots: hotspots?.length ?? 0,
      deadCodeCandidates: deadCodeCandidates.length,
    },
    modules,
    dependencies: moduleGraph.dependencies,
    cycles,
    layerViolations,
    hotspots,
    deadCodeCandidatesNote,
    deadCodeCandidates,
    warnings,
  };
}
