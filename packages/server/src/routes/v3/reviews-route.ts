import {
  applyFixes,
  formatSecurityReport,
  scanSource,
  toSarif,
  type SecurityFinding,
  type SecurityScanResult,
} from '@plumb/engines';
import { reviewRequestSchema } from '@plumb/protocol';
import type { FastifyInstance } from 'fastify';
import { requireScope } from '../../auth/register-authentication.ts';
import { parseRequestBody } from '../../http/parse-request-body.ts';
import type { Metering } from '../../metering/create-metering.ts';

/**
 * `POST /v3/reviews` (scope `code:read`): the security review engine over HTTP. Every file sent is scanned
 * (rules plus taint tracking, inline `plumb-ignore` suppressions, an optional baseline); the answer holds the
 * findings with CWE, OWASP category, taint path and safer alternative, a text report, and on request a SARIF
 * 2.1.0 log and the files with their safe autofixes applied (`fix: true`, scope `code:write` as well). Billed in
 * Compute Units per line analysed (`security.review`).
 *
 * @example await registerReviewsRoute(app, { metering });
 */
export async function registerReviewsRoute(app: FastifyInstance, options: { metering: Metering }) {
  app.post('/v3/reviews', async (request) => {
    const body = parseRequestBody(reviewRequestSchema, request.body ?? {});
    if (body.fix) requireScope(request, 'code:write');
    await options.metering.beforeRequest(request.principal);
    const started = performance.now();
    const findings: SecurityFinding[] = [];
    const warnings: string[] = [];
    let linesScanned = 0;
    const fixedFiles: { path: string; content: string }[] = [];
    for (const file of body.files) {
      const result = scanSource({
        code: file.content,
        file: file.path,
        ...(file.language ? { language: file.language } : {}),
        ...(body.baseline !== undefined ? { baseline: body.baseline as string } : {}),
      });
      findings.push(...result.findings);
      warnings.push(...result.warnings);
      linesScanned += result.linesScanned;
      if (body.fix) {
        const fixable = result.findings.filter((finding) => finding.fix !== undefined);
        if (fixable.length > 0)
          fixedFiles.push({ path: file.path, content: applyFixes(file.content, fixable) });
      }
    }
    const durationMs = performance.now() - started;
    const result: SecurityScanResult = {
      findings,
      filesScanned: body.files.length,
      linesScanned,
      durationMs,
      warnings,
    };
    const usage = await options.metering.recordComputeUnits({
      principal: request.principal,
      requestId: request.id,
      operation: 'security.review',
      measurement: { workUnits: linesScanned, durationSeconds: durationMs / 1000 },
    });
    return {
      object: 'security_review',
      findings,
      files_scanned: result.filesScanned,
      lines_scanned: linesScanned,
      duration_ms: Math.round(durationMs * 10) / 10,
      warnings,
      report_text: formatSecurityReport(result),
      ...(body.sarif ? { sarif: toSarif(result) } : {}),
      ...(body.fix ? { fixed_files: fixedFiles } : {}),
      compute_units: usage.compute_units,
    };
  });
}
