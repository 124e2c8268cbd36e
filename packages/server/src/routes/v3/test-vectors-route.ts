import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emitPytest, emitVitest, formatVectorSummary, generateTestVectors } from '@plumb/engines';
import { PlumbError, testVectorsRequestSchema, type TestVectorsRequest } from '@plumb/protocol';
import type { FastifyInstance } from 'fastify';
import { requireScope } from '../../auth/register-authentication.ts';
import { parseRequestBody } from '../../http/parse-request-body.ts';
import type { Metering } from '../../metering/create-metering.ts';

const extensions = { typescript: '.ts', javascript: '.js', python: '.py' } as const;

export interface TestVectorsRouteOptions {
  metering: Metering;
  /** Engine runs allowed at once; more get 503 with Retry-After (each run holds sandboxed processes). */
  maximumConcurrentRuns?: number;
  pythonPath?: string;
}

/**
 * `POST /v3/test-vectors`: the test-vector engine over HTTP. The source is written to a private temporary
 * directory laid out like the caller's project (`filename`, `emit_directory`), the engine executes the
 * vectors in its sandbox, and the response carries the JSON result, a Markdown summary and, with
 * `emit: true` (scope `code:write` on top of `code:debug`), the test files. Billed in Compute Units per
 * vector executed (`test_vectors.execute`).
 *
 * @example await registerTestVectorsRoute(app, { metering });
 */
export async function registerTestVectorsRoute(app: FastifyInstance, options: TestVectorsRouteOptions) {
  let running = 0;
  const maximum = options.maximumConcurrentRuns ?? 2;
  app.post('/v3/test-vectors', async (request, reply) => {
    const body = parseRequestBody(testVectorsRequestSchema, request.body ?? {});
    if (body.emit) requireScope(request, 'code:write');
    await options.metering.beforeRequest(request.principal);
    if (running >= maximum) {
      throw new PlumbError(
        'service_unavailable',
        `${running} test-vector runs are in progress, the most this server runs at once. Retry shortly.`,
        {
          headers: { 'retry-after': '2' },
        },
      );
    }
    running += 1;
    const root = mkdtempSync(path.join(tmpdir(), 'plumb-vectors-'));
    const abort = new AbortController();
    const onClose = () => {
      if (!reply.sent) abort.abort();
    };
    request.raw.on('close', onClose);
    try {
      const started = performance.now();
      const { file, referenceFile } = writeSources(root, body);
      const result = await generateTestVectors({
        file,
        signal: abort.signal,
        ...(referenceFile ? { referenceFile } : {}),
        ...(body.functions ? { functions: body.functions } : {}),
        ...(body.seed !== undefined ? { seed: body.seed } : {}),
        ...(body.budget !== undefined ? { budget: body.budget } : {}),
        ...(body.property_runs !== undefined ? { propertyRuns: body.property_runs } : {}),
        ...(body.timeout_ms !== undefined ? { timeoutMs: body.timeout_ms } : {}),
        ...(options.pythonPath ? { pythonPath: options.pythonPath } : {}),
      });
      const vectors = result.functions.reduce((sum, report) => sum + report.counts.vectors, 0);
      const usage = await options.metering.recordComputeUnits({
        principal: request.principal,
        requestId: request.id,
        operation: 'test_vectors.execute',
        measurement: { workUnits: vectors, durationSeconds: (performance.now() - started) / 1000 },
      });
      const files = body.emit
        ? (result.language === 'python' ? emitPytest : emitVitest)(result, {
            emitDirectory: path.join(root, body.emit_directory ?? 'test/vectors'),
          }).map((emitted) => ({
            path: path.relative(root, emitted.path).split(path.sep).join('/'),
            contents: emitted.contents,
          }))
        : undefined;
      // Paths in the result are the caller's, not the server's temporary directory.
      const relative = JSON.parse(
        JSON.stringify(result).split(`${root}${path.sep}`).join(''),
      ) as typeof result;
      return reply.send({
        object: 'test_vector_result',
        ...relative,
        summary_markdown: formatVectorSummary(relative),
        ...(files ? { files } : {}),
        compute_units: usage.compute_units,
      });
    } finally {
      request.raw.off('close', onClose);
      running -= 1;
      rmSync(root, { recursive: true, force: true });
    }
  });
}

function writeSources(root: string, body: TestVectorsRequest): { file: string; referenceFile?: string } {
  const extension = extensions[body.language];
  let filename = body.filename ?? `module${extension}`;
  if (path.extname(filename) === '') filename += extension;
  const file = path.join(root, filename);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body.source);
  if (!body.reference_source) return { file };
  const referenceFile = path.join(root, '.reference', `reference${path.extname(filename)}`);
  mkdirSync(path.dirname(referenceFile), { recursive: true });
  writeFileSync(referenceFile, body.reference_source);
  return { file, referenceFile };
}
