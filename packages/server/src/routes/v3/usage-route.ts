import { applyModePrompt, estimatePromptTokenCount } from '@plumb/models';
import { chatCompletionRequestSchema, PlumbError } from '@plumb/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { billingSubject } from '../../auth/billing-subject.ts';
import { parseRequestBody } from '../../http/parse-request-body.ts';
import type { Metering } from '../../metering/create-metering.ts';
import { costNanos, pricesFor, type PriceList } from '../../metering/price-usage.ts';
import { rateCard } from '../../metering/rate-card.ts';
import { toUsageReport } from '../../metering/to-usage-report.ts';

const bucketMs = { '1h': 3_600_000, '1d': 86_400_000 } as const;
const maxBuckets = { '1h': 168, '1d': 31 } as const;
/** Output tokens assumed by the estimate when the request sets no max_tokens. */
export const defaultEstimatedOutputTokens = 1024;

const usageQuerySchema = z.object({
  start: z.coerce.number().int().nonnegative().optional(),
  end: z.coerce.number().int().positive().optional(),
  bucket: z.enum(['1h', '1d']).default('1d'),
  group_by: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(',').map((item) => item.trim()) : []))
    .pipe(z.array(z.enum(['model', 'operation', 'client']))),
  subject: z.string().optional(),
});

const limitsBodySchema = z.object({
  requests_per_minute: z.number().int().positive().nullable().optional(),
  tokens_per_minute: z.number().int().positive().nullable().optional(),
  tokens_per_month: z.number().int().nonnegative().nullable().optional(),
  compute_units_per_day: z.number().nonnegative().nullable().optional(),
  spend_usd_per_month: z.number().nonnegative().nullable().optional(),
});

/**
 * `GET /v3/usage` (OpenAI usage API shape, plus Compute Units and cost), `POST /v3/usage/estimate` (prices a
 * chat request before it runs), and `GET|PUT /v3/admin/limits[/:subject]`.
 *
 * @example
 * await registerUsageRoutes(app, { metering, prices: config.metering.prices });
 */
export async function registerUsageRoutes(
  app: FastifyInstance,
  options: { metering: Metering; prices: PriceList },
) {
  app.get('/v3/usage', async (request) => {
    const query = parseRequestBody(usageQuerySchema, request.query ?? {});
    // Default end: the start of the next second, so events of the current second are included.
    const end = (query.end ?? Math.floor(Date.now() / 1000) + 1) * 1000;
    const start = query.start === undefined ? end - 7 * 86_400_000 : query.start * 1000;
    if (start >= end) {
      throw new PlumbError('invalid_request', '"start" must be before "end" (unix seconds).', {
        param: 'start',
      });
    }
    const buckets = Math.ceil((end - start) / bucketMs[query.bucket]);
    if (buckets > maxBuckets[query.bucket]) {
      throw new PlumbError(
        'invalid_request',
        `At most ${maxBuckets[query.bucket]} buckets of ${query.bucket} per request (asked for ${buckets}). Narrow start..end or use a larger bucket.`,
        { param: 'bucket' },
      );
    }
    await options.metering.flush();
    const rows = await options.metering.store.report({
      start,
      end,
      bucketMs: bucketMs[query.bucket],
      groupBy: query.group_by,
      billingSubject: reportSubject(request, query.subject),
    });
    return toUsageReport(rows, { start, end, bucketMs: bucketMs[query.bucket], groupBy: query.group_by });
  });

  app.post('/v3/usage/estimate', async (request) => {
    const body = parseRequestBody(chatCompletionRequestSchema, request.body);
    const { messages } = applyModePrompt(body.messages, body.mode);
    // Counted exactly as a request is metered when its provider reports no usage (session history, which
    // the real request would add, is not included).
    const promptTokens = estimatePromptTokenCount(messages);
    const completionTokens = body.max_completion_tokens ?? body.max_tokens ?? defaultEstimatedOutputTokens;
    const priced = pricesFor(options.prices, body.model);
    const nanos = costNanos({ promptTokens, completionTokens, cachedTokens: 0, computeUnits: 0 }, priced);
    return {
      object: 'usage.estimate',
      model: body.model,
      prompt_tokens: promptTokens,
      max_completion_tokens: completionTokens,
      prices: {
        input_per_million: priced.priceInputPerMillion,
        output_per_million: priced.priceOutputPerMillion,
      },
      estimated_cost_usd: nanos / 1e9,
      note:
        (body.max_completion_tokens ?? body.max_tokens)
          ? 'Upper bound: the answer may use fewer output tokens than max_tokens.'
          : `No max_tokens given: assumed ${defaultEstimatedOutputTokens} output tokens.`,
    };
  });

  app.get('/v3/usage/rate-card', async () => ({ object: 'rate_card', ...rateCard }));

  app.get('/v3/admin/limits', async () => ({
    object: 'list',
    data: await options.metering.store.listLimits(),
  }));

  app.put<{ Params: { subject: string } }>('/v3/admin/limits/:subject', async (request) => {
    const body = parseRequestBody(limitsBodySchema, request.body);
    const limits = {
      billing_subject: request.params.subject,
      requests_per_minute: body.requests_per_minute ?? null,
      tokens_per_minute: body.tokens_per_minute ?? null,
      tokens_per_month: body.tokens_per_month ?? null,
      compute_units_per_day: body.compute_units_per_day ?? null,
      spend_nanos_per_month:
        body.spend_usd_per_month == null ? null : Math.round(body.spend_usd_per_month * 1e9),
    };
    await options.metering.store.setLimits(limits);
    return { object: 'limits', ...limits };
  });
}

/** Callers see their own usage; admins may ask for any subject (`subject=`) or everyone (no subject). */
function reportSubject(request: FastifyRequest, asked: string | undefined): string | null {
  const isAdmin = request.principal === null || request.principal.scopes.includes('admin');
  if (isAdmin) return asked ?? null;
  const own = billingSubject(request.principal);
  if (asked !== undefined && asked !== own) {
    throw new PlumbError(
      'insufficient_scope',
      'Only admins may read another subject\'s usage. Leave out "subject".',
      {
        param: 'subject',
        headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="admin"' },
      },
    );
  }
  return own;
}
