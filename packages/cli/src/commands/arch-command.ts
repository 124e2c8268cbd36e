import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import {
  analyzeArchitecture,
  decompose,
  decompositionGraphFromCodeGraph,
  formatArchitectureReport,
  formatDecomposition,
  loadLayerRules,
  mergeRuntimeTrace,
  parseRuntimeTrace,
  renderSvg,
  toD2,
  toDot,
  toMermaid,
  type DiagramGraph,
} from '@plumb/engines';
import { exitCodes, failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import { addAdminStorageOptions } from './admin-storage-options.ts';
import { withLocalCodeGraph } from './code-graph/with-local-code-graph.ts';

interface AnalyzeOptions {
  level: 'file' | 'folder' | 'package';
  layers?: string;
  format: 'text' | 'json' | 'mermaid' | 'd2' | 'dot' | 'svg';
  out?: string;
  churn: boolean;
  failOnCycles?: boolean;
  json?: boolean;
  dataDir?: string;
  config?: string;
}

interface DecomposeOptions {
  services: string;
  method: 'louvain' | 'hierarchical';
  seed?: string;
  resolution?: string;
  traces?: string;
  json?: boolean;
  dataDir?: string;
  config?: string;
}

/**
 * `plumb arch analyze [path]` (module dependencies, cycles, instability and abstractness, layer rules,
 * hotspots, dead-code candidates; text, JSON, Mermaid, D2, DOT or SVG) and `plumb arch decompose [path]`
 * (services proposed from the class-level graph, with interfaces, shared data, cut edges and SM/ICP/IFN/NED).
 * `analyze` exits 1 on layer violations (and on cycles with `--fail-on-cycles`), so it can gate CI.
 *
 * @example program.addCommand(createArchCommand(io)); // plumb arch analyze . --layers layers.yaml
 */
export function createArchCommand(io: ProgramIo): Command {
  const analyze = addAdminStorageOptions(
    new Command('analyze')
      .description(
        'Module dependency graph, cycles, metrics, layer violations, hotspots and dead-code candidates.',
      )
      .argument('[path]', 'the repository', '.')
      .addOption(
        new Option('--level <level>', 'module granularity')
          .choices(['file', 'folder', 'package'])
          .default('folder'),
      )
      .option('--layers <file>', 'layer rules (YAML or JSON): layers with globs, forbidden "a -> b" rules')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['text', 'json', 'mermaid', 'd2', 'dot', 'svg'])
          .default('text'),
      )
      .option('--out <file>', 'write the output to a file instead of stdout')
      .option('--no-churn', 'skip git history (hotspots need it)')
      .option('--fail-on-cycles', 'exit 1 when there are dependency cycles'),
  ).action(async (target: string, options: AnalyzeOptions, command: Command) => {
    const format = options.json ? 'json' : options.format;
    await withLocalCodeGraph(
      io,
      command,
      { ...options, repo: target, json: format !== 'text' },
      async ({ graph, root }) => {
        const report = await analyzeArchitecture({
          graph,
          root,
          level: options.level,
          gitChurn: options.churn,
          ...(options.layers ? { layers: loadLayerRules(options.layers) } : {}),
        });
        const diagram: DiagramGraph = { nodes: report.modules, edges: report.dependencies };
        let output: string;
        if (format === 'json') output = `${JSON.stringify(report, null, 2)}\n`;
        else if (format === 'text') output = `${formatArchitectureReport(report)}\n`;
        else if (format === 'svg') output = await renderSvg(toDot(diagram).text);
        else {
          const rendered = (format === 'mermaid' ? toMermaid : format === 'd2' ? toD2 : toDot)(diagram);
          for (const warning of rendered.warnings) io.stderr.write(`warning: ${warning}\n`);
          output = `${rendered.text}\n`;
        }
        if (options.out) {
          writeFileSync(options.out, output);
          io.stderr.write(`wrote ${options.out}\n`);
        } else io.stdout.write(output);
        if (report.layerViolations.length > 0)
          failCommand(command, `${report.layerViolations.length} layer violation(s) (exit code 1).`);
        if (options.failOnCycles && report.cycles.length > 0)
          failCommand(command, `${report.cycles.length} dependency cycle(s) (exit code 1).`);
      },
    );
  });

  const decomposeCommand = addAdminStorageOptions(
    new Command('decompose')
      .description(
        'Propose services for a monolith: members, interfaces, shared data, cut edges, quality metrics.',
      )
      .argument('[path]', 'the repository', '.')
      .option('--services <n|min..max>', 'how many services, or a range to search', '3..8')
      .addOption(
        new Option('--method <method>', 'clustering').choices(['louvain', 'hierarchical']).default('louvain'),
      )
      .option('--seed <n>', 'seed of the community detection (same seed, same services)')
      .option('--resolution <r>', 'Louvain resolution to start from (higher: more, smaller services)')
      .option('--traces <file>', 'runtime call traces: {"calls":[{"from":"A","to":"B","count":3}]}'),
  ).action(async (target: string, options: DecomposeOptions, command: Command) => {
    const usage = (message: string) =>
      failCommand(command, `error invalid_request: ${message}`, { exitCode: exitCodes.usage });
    const services =
      parseServices(options.services) ??
      usage(`--services takes a number (5) or a range (3..8) from 1 to 100, not "${options.services}".`);
    const seed = options.seed === undefined ? undefined : Number(options.seed);
    if (seed !== undefined && !Number.isInteger(seed)) usage('--seed must be a whole number.');
    const resolution = options.resolution === undefined ? undefined : Number(options.resolution);
    if (resolution !== undefined && !(resolution > 0)) usage('--resolution must be a number above 0.');
    let traces: unknown;
    if (options.traces) {
      try {
        traces = JSON.parse(readFileSync(options.traces, 'utf8'));
      } catch (error) {
        failCommand(
          command,
          `error invalid_request: ${options.traces} is not readable JSON: ${(error as Error).message}`,
          {
            exitCode: exitCodes.usage,
          },
        );
      }
    }
    await withLocalCodeGraph(io, command, { ...options, repo: target }, async ({ graph }) => {
      let units = decompositionGraphFromCodeGraph(graph);
      if (traces !== undefined) units = mergeRuntimeTrace(units, parseRuntimeTrace(traces, 'traces'));
      const result = decompose({ graph: units, services, method: options.method, seed, resolution });
      io.stdout.write(
        options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatDecomposition(result)}\n`,
      );
    });
  });

  return new Command('arch')
    .description('Architecture analysis and service decomposition from the code graph.')
    .addCommand(analyze)
    .addCommand(decomposeCommand);
}

function parseServices(text: string): number | { min: number; max: number } | undefined {
  const range = /^(\d+)\s*\.\.\s*(\d+)$/.exec(text.trim());
  if (range) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    if (min >= 1 && min <= max && max <= 100) return { min, max };
  } else if (/^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= 100) return Number(text);
  return undefined;
}
