import { chatCompletionRequestSchema } from '@plumb/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireScope } from '../../auth/register-authentication.ts';
import { chatScope } from '../../auth/route-scopes.ts';
import { sessionOwner } from '../../auth/session-owner.ts';
import { parseRequestBody } from '../../http/parse-request-body.ts';
import { writeEventStream } from '../../http/write-event-stream.ts';
import type { ChatService } from '../../services/create-chat-service.ts';

export interface ChatCompletionsRouteOptions {
  chat: ChatService;
  /** Mode used when the body has none; only the deprecated /v1 alias sets this. */
  defaultMode?: 'code' | 'chat';
}

/**
 * Handles one chat completion request (JSON or SSE). Shared by `POST /v3/chat/completions` and the
 * deprecated `POST /v1/chat/completions` alias.
 *
 * @example
 * app.post('/v3/chat/completions', createChatCompletionsHandler({ chat }));
 */
export function createChatCompletionsHandler(options: ChatCompletionsRouteOptions) {
  return async function handleChatCompletion(request: FastifyRequest, reply: FastifyReply) {
    const body =
      options.defaultMode && isObject(request.body) && request.body.mode === undefined
        ? { ...request.body, mode: options.defaultMode }
        : request.body;
    const chatRequest = parseRequestBody(chatCompletionRequestSchema, body);
    // The scope depends on the mode, so it is checked here rather than from the route table.
    requireScope(request, chatScope(chatRequest.mode));
    // Driving a debug session runs the caller's program.
    if (chatRequest.debug_session !== undefined) requireScope(request, 'code:debug');
    // The repository map and explain tool read the caller's uploaded code, as POST /v3/explain does.
    if (chatRequest.repository !== undefined) requireScope(request, 'code:read');
    const abortController = new AbortController();
    // 'close' before the response finished means the client went away: stop the upstream call. (After a
    // normal end there is nothing to abort, and aborting would cost every request an exception object.)
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abortController.abort();
    });
    const context = {
      owner: sessionOwner(request.principal),
      principal: request.principal,
      requestId: request.id,
      abortSignal: abortController.signal,
    };

    if (!chatRequest.stream) {
      return reply.send(await options.chat.complete(chatRequest, context));
    }
    const stream = await options.chat.stream(chatRequest, context);
    reply.hijack();
    await writeEventStream(reply.raw, stream, {
      headers: collectHeaders(reply),
      onError: (error) => request.log.warn({ err: error }, 'stream ended with an error'),
      // Set when the request carries an Idempotency-Key (idempotency/register-idempotency.ts).
      ...(request.recordStreamTranscript ? { onTranscript: request.recordStreamTranscript } : {}),
    });
  };
}

/** A hijacked reply bypasses Fastify's hooks, so carry over headers set so far (request id, deprecation). */
function collectHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Registers `POST /v3/chat/completions`. */
export async function registerChatCompletionsRoute(
  app: FastifyInstance,
  options: ChatCompletionsRouteOptions,
) {
  app.post('/v3/chat/completions', createChatCompletionsHandler(options));
}
