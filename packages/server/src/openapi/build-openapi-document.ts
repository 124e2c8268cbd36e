import {
  chatCompletionChunkSchema,
  chatCompletionRequestSchema,
  chatCompletionSchema,
  createSessionRequestSchema,
  deletedSessionSchema,
  errorCatalogue,
  modelListSchema,
  sessionSchema,
} from '@plumb/protocol';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

const errorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.enum(Object.keys(errorCatalogue) as [string, ...string[]]),
  }),
});

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the same zod schemas that validate requests, so
 * the docs cannot drift from the code.
 *
 * @example
 * const document = buildOpenApiDocument({ version: '0.1.0' });
 */
export function buildOpenApiDocument(options: { version: string }) {
  const schemas: Record<string, JsonSchema> = {
    ChatCompletionRequest: toJsonSchema(chatCompletionRequestSchema, 'input'),
    ChatCompletion: toJsonSchema(chatCompletionSchema, 'output'),
    ChatCompletionChunk: toJsonSchema(chatCompletionChunkSchema, 'output'),
    CreateSessionRequest: toJsonSchema(createSessionRequestSchema, 'input'),
    Session: toJsonSchema(sessionSchema, 'output'),
    DeletedSession: toJsonSchema(deletedSessionSchema, 'output'),
    ModelList: toJsonSchema(modelListSchema, 'output'),
    Error: toJsonSchema(errorBodySchema, 'output'),
  };
  const reference = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (name: string) => ({ 'application/json': { schema: reference(name) } });
  const errors = {
    default: {
      description: 'Error (OpenAI error shape; `code` is machine-readable)',
      content: json('Error'),
    },
  };
  const sessionId = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];

  return {
    openapi: '3.1.0',
    info: {
      title: 'Plumb API',
      version: options.version,
      description:
        'One consolidated endpoint, POST /v3/chat/completions with mode "code", OpenAI-compatible. Old code endpoints answer 410 endpoint_deprecated with the equivalent body.',
    },
    paths: {
      '/v3/chat/completions': {
        post: {
          summary: 'Create a chat completion (JSON, or server-sent events with "stream": true)',
          requestBody: { required: true, content: json('ChatCompletionRequest') },
          responses: {
            200: {
              description: 'A completion, or a stream of chunks ending with `data: [DONE]`',
              content: {
                ...json('ChatCompletion'),
                'text/event-stream': { schema: reference('ChatCompletionChunk') },
              },
            },
            ...errors,
          },
        },
      },
      '/v3/models': {
        get: {
          summary: 'List configured models',
          responses: { 200: { description: 'Models', content: json('ModelList') }, ...errors },
        },
      },
      '/v3/sessions': {
        post: {
          summary: 'Create a stateful chat session',
          requestBody: { required: false, content: json('CreateSessionRequest') },
          responses: { 201: { description: 'The session', content: json('Session') }, ...errors },
        },
      },
      '/v3/sessions/{id}': {
        get: {
          summary: 'Read a session and its messages',
          parameters: sessionId,
          responses: { 200: { description: 'The session', content: json('Session') }, ...errors },
        },
        delete: {
          summary: 'Delete a session',
          parameters: sessionId,
          responses: { 200: { description: 'Deleted', content: json('DeletedSession') }, ...errors },
        },
      },
      '/v3/usage': {
        get: {
          summary:
            'Usage and spend in OpenAI usage API shape, with Compute Units and cost (scope usage:read)',
          parameters: [
            { name: 'start', in: 'query', schema: { type: 'integer' }, description: 'unix seconds' },
            { name: 'end', in: 'query', schema: { type: 'integer' }, description: 'unix seconds' },
            { name: 'bucket', in: 'query', schema: { type: 'string', enum: ['1h', '1d'] } },
            {
              name: 'group_by',
              in: 'query',
              schema: { type: 'string' },
              description: 'model,operation,client',
            },
          ],
          responses: { 200: { description: 'A page of time buckets' }, ...errors },
        },
      },
      '/v3/usage/estimate': {
        post: {
          summary: 'Price a chat completion request before it runs (scope usage:read)',
          requestBody: { required: true, content: json('ChatCompletionRequest') },
          responses: { 200: { description: 'Estimated tokens and cost' }, ...errors },
        },
      },
      '/healthz': {
        get: { summary: 'Liveness', responses: { 200: { description: 'The process answers' } } },
      },
      '/readyz': {
        get: {
          summary: 'Readiness: storage and at least one model reachable',
          responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready, with reasons' } },
        },
      },
    },
    security: [{ bearer: [] }],
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT (OAuth 2.0 access token) or plb_ API key',
          description:
            'OAuth 2.0 access tokens from /oauth/token (scopes code:read, code:write, code:debug, usage:read, admin), or API keys (discouraged for production).',
        },
      },
    },
  };
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}
