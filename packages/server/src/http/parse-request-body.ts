import { PlumbError } from '@plumb/protocol';
import type { z } from 'zod';

/** Hints appended to validation messages for the parameters people get wrong most. */
const parameterHints: Record<string, string> = {
  mode: 'Send "mode": "code" for coding answers (code prompt and guards) or "mode": "chat" for plain chat.',
  model: 'Name a model as "provider/model-id"; GET /v3/models lists the configured ones.',
  messages: 'Send an array of chat messages, e.g. [{"role":"user","content":"..."}].',
  session_id: 'Create a session with POST /v3/sessions and send its "id".',
};

/**
 * Validates a request body against a protocol schema; the first problem becomes a 400 `invalid_request`
 * whose `param` is the dotted path of the offending field.
 *
 * @example
 * const body = parseRequestBody(chatCompletionRequestSchema, request.body);
 */
export function parseRequestBody<TSchema extends z.ZodType>(
  schema: TSchema,
  body: unknown,
): z.infer<TSchema> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PlumbError(
      'invalid_request',
      'The request body must be a JSON object. Send Content-Type: application/json with an object body.',
    );
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.map(String).join('.') ?? '';
  const topLevel = String(issue?.path[0] ?? '');
  const missing = issue !== undefined && issue.path.length > 0 && valueAt(body, issue.path) === undefined;
  const description = missing
    ? `"${param}" is required`
    : `Invalid "${param}": ${issue?.message ?? 'unknown problem'}`;
  const hint = parameterHints[topLevel] ?? 'See GET /v3/openapi.json for the request schema.';
  throw new PlumbError('invalid_request', `${description}. ${hint}`, { param: param || undefined });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
