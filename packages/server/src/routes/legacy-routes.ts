import { PlumbError } from '@plumb/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ChatService } from '../services/create-chat-service.ts';
import { createChatCompletionsHandler } from './v3/chat-completions-route.ts';

/** When the deprecated `/v1/chat/completions` alias stops being served (RFC 8594 `Sunset`). */
export const legacyChatSunset = new Date('2027-06-30T00:00:00Z');
/** When it was deprecated (RFC 9745 `Deprecation`, a structured-field date). */
export const legacyChatDeprecatedAt = new Date('2026-11-01T00:00:00Z');

/**
 * Old code endpoints: `/v1/completions`, `/v1/engines/:engine/completions`, `/v1/code/*`, `/v2/code/*` answer
 * `410 endpoint_deprecated` with the exact `/v3/chat/completions` body to send instead (also as
 * `migration`); `/v1/chat/completions` is still served, with `Deprecation`, `Sunset` and a successor `Link`.
 *
 * @example
 * await registerLegacyRoutes(app, { chat });
 */
export async function registerLegacyRoutes(app: FastifyInstance, options: { chat: ChatService }) {
  const chatAlias = createChatCompletionsHandler({ chat: options.chat, defaultMode: 'chat' });
  app.post('/v1/chat/completions', async (request, reply) => {
    reply.header('deprecation', `@${Math.floor(legacyChatDeprecatedAt.getTime() / 1000)}`);
    reply.header('sunset', legacyChatSunset.toUTCString());
    reply.header('link', '</v3/chat/completions>; rel="successor-version"');
    return chatAlias(request, reply);
  });

  app.post<{ Body: unknown }>('/v1/completions', async (request, reply) =>
    gone(reply, 'POST /v1/completions', toChatBody(request.body, undefined)),
  );
  app.post<{ Params: { engine: string }; Body: unknown }>(
    '/v1/engines/:engine/completions',
    async (request, reply) =>
      gone(
        reply,
        `POST /v1/engines/${request.params.engine}/completions`,
        toChatBody(request.body, request.params.engine),
      ),
  );
  for (const prefix of ['/v1/code', '/v2/code']) {
    app.all<{ Body: unknown }>(`${prefix}/*`, async (request, reply) =>
      gone(
        reply,
        `${request.method} ${request.url.split('?')[0] ?? ''}`,
        toChatBody(request.body, undefined),
      ),
    );
  }
}

interface MigrationBody {
  model: string;
  mode: 'code';
  messages: Array<{ role: 'user'; content: string }>;
  max_tokens?: number;
  temperature?: number;
  stop?: unknown;
  stream?: boolean;
}

function gone(reply: FastifyReply, endpoint: string, body: MigrationBody) {
  const error = new PlumbError(
    'endpoint_deprecated',
    `${endpoint} has been removed. Send POST /v3/chat/completions instead, with this body: ${JSON.stringify(body)}`,
  );
  return reply
    .status(error.status)
    .header('link', '</v3/chat/completions>; rel="successor-version"')
    .send({ ...error.toResponseBody(), migration: { method: 'POST', path: '/v3/chat/completions', body } });
}

/** Translates a legacy completion body (prompt, suffix, engine) into the equivalent /v3 body. */
function toChatBody(legacyBody: unknown, engine: string | undefined): MigrationBody {
  const legacy = (typeof legacyBody === 'object' && legacyBody !== null ? legacyBody : {}) as Record<
    string,
    unknown
  >;
  const prompt = Array.isArray(legacy.prompt) ? legacy.prompt.join('\n') : legacy.prompt;
  const instruction = typeof legacy.instruction === 'string' ? legacy.instruction : undefined;
  const input =
    typeof legacy.input === 'string'
      ? legacy.input
      : typeof legacy.code === 'string'
        ? legacy.code
        : undefined;
  const suffix =
    typeof legacy.suffix === 'string' ? `\n\n(continue so that this follows: ${legacy.suffix})` : '';
  const content =
    typeof prompt === 'string'
      ? prompt + suffix
      : [instruction, input].filter((part) => part !== undefined).join('\n\n') || '<your prompt>';
  const body: MigrationBody = {
    model:
      typeof legacy.model === 'string' ? legacy.model : (engine ?? '<provider/model-id from GET /v3/models>'),
    mode: 'code',
    messages: [{ role: 'user', content }],
  };
  if (typeof legacy.max_tokens === 'number') body.max_tokens = legacy.max_tokens;
  if (typeof legacy.temperature === 'number') body.temperature = legacy.temperature;
  if (legacy.stop !== undefined) body.stop = legacy.stop;
  if (typeof legacy.stream === 'boolean') body.stream = legacy.stream;
  return body;
}
