import {
  applyDependencyEdits,
  checkDependencies,
  formatDependencyReport,
  type AdvisoryClient,
  type RegistryClient,
} from '@plumb/engines';
import { dependencyCheckRequestSchema } from '@plumb/protocol';
import type { FastifyInstance } from 'fastify';
import { parseRequestBody } from '../../http/parse-request-body.ts';
import type { Metering } from '../../metering/create-metering.ts';

/**
 * `POST /v3/dependencies/check` (scope `code:read`): the dependency stability guard over HTTP. Manifests and
 * lockfiles (and/or generated code) in; per dependency the verdicts (exists, typosquat, pre-release, release
 * age, deprecated/yanked, advisories, runtime, peers, majors behind, license), the recommended version and the
 * exact manifest edits out; `fix: true` also returns the edited manifests. Registry failures make a partial
 * result (`partial: true`), never an error. Billed per dependency checked (`dependencies.check`).
 *
 * @example await registerDependenciesRoute(app, { metering, registry, advisories, minimumReleaseAgeDays: 7 });
 */
export async function registerDependenciesRoute(
  app: FastifyInstance,
  options: {
    metering: Metering;
    registry: RegistryClient[];
    advisories: AdvisoryClient[];
    minimumReleaseAgeDays: number;
  },
) {
  app.post('/v3/dependencies/check', async (request) => {
    const body = parseRequestBody(dependencyCheckRequestSchema, request.body ?? {});
    await options.metering.beforeRequest(request.principal);
    const result = await checkDependencies({
      ...(body.manifests ? { manifests: body.manifests } : {}),
      ...(body.code ? { code: body.code } : {}),
      registry: options.registry,
      advisories: options.advisories,
      options: {
        minimumReleaseAgeDays: body.min_age_days ?? options.minimumReleaseAgeDays,
        ...(body.runtime ? { runtime: body.runtime } : {}),
        ...(body.license_allow_list !== undefined ? { licenseAllowList: body.license_allow_list } : {}),
        ...(body.offline ? { offline: true } : {}),
      },
    });
    const usage = await options.metering.recordComputeUnits({
      principal: request.principal,
      requestId: request.id,
      operation: 'dependencies.check',
      measurement: { workUnits: result.dependencies.length, durationSeconds: result.stats.durationMs / 1000 },
    });
    const fixed = body.fix
      ? (body.manifests ?? []).flatMap((manifest) => {
          const edits = result.edits.filter((edit) => edit.file === manifest.path);
          return edits.length === 0
            ? []
            : [{ path: manifest.path, content: applyDependencyEdits(manifest.content, edits).content }];
        })
      : undefined;
    return {
      object: 'dependency_check',
      ...result,
      report_text: formatDependencyReport(result),
      ...(fixed ? { fixed_manifests: fixed } : {}),
      compute_units: usage.compute_units,
    };
  });
}
