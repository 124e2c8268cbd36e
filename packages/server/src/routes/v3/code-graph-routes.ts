import { formatExplanation, renderSvg, toD2, toDot, toMermaid, type DiagramGraph } from '@plumb/engines';
import { writeExplanationNarrative, type ProviderRegistry } from '@plumb/models';
import {
  PlumbError,
  architectureAnalysisRequestSchema,
  decompositionRequestSchema,
  explainRequestSchema,
  maximumRepositoryUpload,
  repositoryNameSchema,
  repositoryUploadSchema,
} from '@plumb/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sessionOwner } from '../../auth/session-owner.ts';
import { parseRequestBody } from '../../http/parse-request-body.ts';
import type { Metering } from '../../metering/create-metering.ts';
import type { CodeGraphService } from '../../services/code-graph/create-code-graph-service.ts';

/**
 * The code graph over HTTP (scope `code:read`):
 *
 * - `PUT /v3/code-graph/repositories/{name}` uploads files (a change set, or a snapshot with `replace: true`)
 *   into the caller's copy of a repository and re-indexes only what changed; `GET` describes it, `DELETE`
 *   forgets it.
 * - `POST /v3/explain` answers "explain X" for a symbol, file or folder: facts with `file:line` citations, a
 *   Markdown report, a Mermaid diagram, and with `model` a narrative written by that model from those facts.
 * - `POST /v3/architecture/analyses` reports module dependencies, cycles, metrics, layer violations and dead-code
 *   candidates, with diagrams on request.
 *
 * - `POST /v3/architecture/decompositions` proposes services for a monolith (Louvain or hierarchical clustering
 *   of the class-level graph, optional runtime traces) with members, public interfaces, shared data, cut edges
 *   and the SM, ICP, IFN, NED (and BCP) metrics.
 *
 * Indexing is billed per line (`code_graph.index`), explain per graph node visited, analyses per line.
 *
 * @example await registerCodeGraphRoutes(app, { metering, codeGraph, registry });
 */
export async function registerCodeGraphRoutes(
  app: FastifyInstance,
  options: { metering: Metering; codeGraph: CodeGraphService; registry: ProviderRegistry },
) {
  const { metering, codeGraph } = options;
  const owner = (request: FastifyRequest) => sessionOwner(request.principal);
  const nameOf = (request: FastifyRequest) => {
    const name = (request.params as { name?: string }).name ?? '';
    const parsed = repositoryNameSchema.safeParse(name);
    if (parsed.success) return parsed.data;
    throw new PlumbError(
      'invalid_request',
      `Repository name "${name.slice(0, 100)}" is not valid: ${parsed.error.issues[0]?.message ?? 'bad name'}.`,
      { param: 'name' },
    );
  };

  app.put(
    '/v3/code-graph/repositories/:name',
    // Uploads are bigger than chat bodies: allow the documented maximum plus JSON overhead.
    { bodyLimit: maximumRepositoryUpload * 2 },
    async (request) => {
      const name = nameOf(request);
      const body = parseRequestBody(repositoryUploadSchema, request.body ?? {});
      await metering.beforeRequest(request.principal);
      const result = await codeGraph.upload(owner(request), name, body);
      const lines = body.files.reduce((sum, file) => sum + file.content.split('\n').length, 0);
      const usage = await metering.recordComputeUnits({
        principal: request.principal,
        requestId: request.id,
        operation: 'code_graph.index',
        measurement: { workUnits: lines, durationSeconds: result.durationMs / 1000 },
      });
      return {
        object: 'code_graph.repository',
        name,
        revision: result.revision,
        files: result.files,
        parsed: result.parsed,
        removed: result.removed,
        skipped: result.skipped,
        unsupported: result.unsupported,
        warnings: result.warnings,
        duration_ms: Math.round(result.durationMs),
        compute_units: usage.compute_units,
      };
    },
  );

  app.get('/v3/code-graph/repositories/:name', async (request) => {
    const summary = await codeGraph.describe(owner(request), nameOf(request));
    return { object: 'code_graph.repository', ...summary };
  });

  app.delete('/v3/code-graph/repositories/:name', async (request, reply) => {
    const name = nameOf(request);
    const deleted = await codeGraph.remove(owner(request), name);
    return reply.status(deleted ? 200 : 404).send(
      deleted
        ? { object: 'code_graph.repository', name, deleted: true }
        : {
            error: {
              message: `No repository "${name}" to delete.`,
              type: 'not_found_error',
              param: 'name',
              code: 'repository_not_found',
            },
          },
    );
  });

  app.post('/v3/explain', async (request) => {
    const body = parseRequestBody(explainRequestSchema, request.body ?? {});
    const resolvedModel = body.model === undefined ? undefined : options.registry.resolveModel(body.model);
    await metering.beforeRequest(request.principal);
    const started = performance.now();
    const explanation = await codeGraph.explain(owner(request), body.repository, body.target, body.limit);
    const markdown = formatExplanation(explanation);
    const visited =
      explanation.dependencies.length +
      explanation.dependents.length +
      explanation.entryPoints.reduce((sum, entry) => sum + entry.via.length, 0);
    const usage = await metering.recordComputeUnits({
      principal: request.principal,
      requestId: request.id,
      operation: 'explain',
      measurement: { workUnits: visited, durationSeconds: (performance.now() - started) / 1000 },
    });
    let narrative: Awaited<ReturnType<typeof writeExplanationNarrative>> | undefined;
    if (resolvedModel && body.model) {
      narrative = await writeExplanationNarrative({
        model: resolvedModel.model,
        modelName: body.model,
        explanation,
      });
      await metering.recordChat({
        principal: request.principal,
        requestId: request.id,
        model: body.model,
        usage: narrative.usage,
        usageSource: 'provider',
        streamed: false,
      });
    }
    return {
      object: 'explanation',
      ...explanation,
      markdown,
      ...(narrative
        ? {
            narrative: narrative.text,
            narrative_model: body.model,
            narrative_prompt_version: narrative.promptVersion,
            usage: narrative.usage,
            warnings: [...explanation.warnings, ...narrative.warnings],
          }
        : {}),
      compute_units: usage.compute_units,
    };
  });

  app.post('/v3/architecture/analyses', async (request) => {
    const body = parseRequestBody(architectureAnalysisRequestSchema, request.body ?? {});
    await metering.beforeRequest(request.principal);
    const started = performance.now();
    const { graph } = await codeGraph.graph(owner(request), body.repository);
    const report = await codeGraph.analyze(owner(request), body.repository, {
      ...(body.level ? { level: body.level } : {}),
      ...(body.layers ? { layers: body.layers } : {}),
    });
    const diagramGraph: DiagramGraph = { nodes: report.modules, edges: report.dependencies };
    const diagrams: Record<string, string> = {};
    const warnings = [...report.warnings];
    for (const format of body.diagrams ?? []) {
      if (format === 'mermaid' || format === 'd2' || format === 'dot') {
        const rendered = (format === 'mermaid' ? toMermaid : format === 'd2' ? toD2 : toDot)(diagramGraph);
        diagrams[format] = rendered.text;
        warnings.push(...rendered.warnings);
      } else {
        diagrams.svg = await renderSvg(toDot(diagramGraph).text);
      }
    }
    const lines = [...graph.files.values()].reduce((sum, file) => sum + file.lines, 0);
    const usage = await metering.recordComputeUnits({
      principal: request.principal,
      requestId: request.id,
      operation: 'architecture.analyze',
      measurement: { workUnits: lines, durationSeconds: (performance.now() - started) / 1000 },
    });
    return {
      object: 'architecture.analysis',
      ...report,
      warnings: [...new Set(warnings)],
      ...(body.diagrams ? { diagrams } : {}),
      compute_units: usage.compute_units,
    };
  });

  app.post('/v3/architecture/decompositions', async (request) => {
    const body = parseRequestBody(decompositionRequestSchema, request.body ?? {});
    await metering.beforeRequest(request.principal);
    const started = performance.now();
    const { graph } = await codeGraph.graph(owner(request), body.repository);
    const result = await codeGraph.decompose(owner(request), body.repository, {
      ...(body.services !== undefined ? { services: body.services } : {}),
      ...(body.method ? { method: body.method } : {}),
      ...(body.resolution !== undefined ? { resolution: body.resolution } : {}),
      ...(body.seed !== undefined ? { seed: body.seed } : {}),
      ...(body.traces !== undefined ? { traces: body.traces } : {}),
      ...(body.business_contexts ? { businessContexts: body.business_contexts } : {}),
    });
    const lines = [...graph.files.values()].reduce((sum, file) => sum + file.lines, 0);
    const usage = await metering.recordComputeUnits({
      principal: request.principal,
      requestId: request.id,
      operation: 'architecture.analyze',
      measurement: { workUnits: lines, durationSeconds: (performance.now() - started) / 1000 },
    });
    return { object: 'architecture.decomposition', ...result, compute_units: usage.compute_units };
  });
}
