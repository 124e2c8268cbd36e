import { tool } from 'ai';
import { z } from 'zod';
import { checkDependencies, type AdvisoryClient, type RegistryClient } from '@plumb/engines';

/** What the model gets back: per package the status, the reasons and the version to use instead. */
export interface DependencyCheckToolOutput {
  dependencies: {
    name: string;
    ecosystem: string;
    status: string;
    reasons: string[];
    recommended?: string;
  }[];
  partial: boolean;
}

/**
 * The dependency stability guard as a tool a model can call (Vercel AI SDK `tool`): before recommending
 * packages, the model checks that they exist, are not typosquats, and which stable, mature version to use.
 *
 * @example const tools = { check_dependencies: createDependencyCheckTool(createDependencyClients()) };
 */
export function createDependencyCheckTool(options: {
  registry: RegistryClient[];
  advisories?: AdvisoryClient[];
}) {
  return tool({
    description:
      'Check npm or PyPI packages before recommending them: whether they exist, look like a typosquat of a popular package, ' +
      'are pre-releases, too new, deprecated, yanked or have known advisories; returns the newest stable version to use. ' +
      'Pass install commands, import statements or a package.json / requirements.txt.',
    inputSchema: z.object({
      code: z
        .string()
        .min(1)
        .max(200_000)
        .describe('install commands, imports, or code that uses the packages'),
      manifest: z
        .object({ path: z.string().max(300), content: z.string().max(2_000_000) })
        .optional()
        .describe('a package.json, requirements.txt or pyproject.toml'),
    }),
    execute: async ({ code, manifest }): Promise<DependencyCheckToolOutput> => {
      const result = await checkDependencies({
        code,
        ...(manifest ? { manifests: [manifest] } : {}),
        registry: options.registry,
        ...(options.advisories ? { advisories: options.advisories } : {}),
      });
      return {
        dependencies: result.dependencies.slice(0, 60).map((dependency) => ({
          name: dependency.name,
          ecosystem: dependency.ecosystem,
          status: dependency.status,
          reasons: dependency.verdicts
            .filter((verdict) => verdict.status !== 'pass')
            .map((verdict) => verdict.reason),
          ...(dependency.recommendation ? { recommended: dependency.recommendation.range } : {}),
        })),
        partial: result.partial,
      };
    },
  });
}
