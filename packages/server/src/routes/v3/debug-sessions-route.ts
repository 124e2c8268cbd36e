import {
  PlumbError,
  createDebugSessionRequestSchema,
  debugCommandRequestSchema,
  debugEvaluateRequestSchema,
  debugSetVariableRequestSchema,
  setDebugBreakpointsRequestSchema,
  setExceptionBreakpointsRequestSchema,
} from '@plumb/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sessionOwner } from '../../auth/session-owner.ts';
import { parseRequestBody } from '../../http/parse-request-body.ts';
import type { Metering } from '../../metering/create-metering.ts';
import type {
  DebugSessionService,
  PositionedDebugEvent,
} from '../../services/debug-sessions/create-debug-session-service.ts';

type SessionRequest = FastifyRequest<{
  Params: { id: string };
  Querystring: Record<string, string | undefined>;
}>;

/** How often an idle `/events` stream sends a comment, so proxies keep it open. */
const heartbeatMilliseconds = 15_000;

/**
 * The debug session resource (scope `code:debug`): `POST /v3/debug/sessions` launches a program under a real
 * debugger and answers with its first stop; the session lives on between requests.
 *
 * - `GET /v3/debug/sessions`, `GET|DELETE /v3/debug/sessions/:id`
 * - `PUT .../breakpoints` (one file's breakpoints), `PUT .../exception-breakpoints`
 * - `POST .../commands` (`continue`, `step_over`, `step_in`, `step_out`, `pause`, `wait`, `run_to_line`,
 *   `restart`): answers the session with its new stop, or `running` when it did not stop within `wait_ms`
 * - `GET .../stack`, `GET .../scopes?frame_id=`, `GET .../variables?reference=&start=&count=`,
 *   `POST .../variables` (set), `POST .../evaluate`, `GET .../output`
 * - `GET .../events`: server-sent events (DAP event shapes), resumable with `Last-Event-ID`
 *
 * Billed in Compute Units: `debug.session` per launch, `debug.step` per command.
 *
 * @example await registerDebugSessionsRoute(app, { debugSessions, metering });
 */
export async function registerDebugSessionsRoute(
  app: FastifyInstance,
  options: { debugSessions: DebugSessionService; metering: Metering },
) {
  const { debugSessions, metering } = options;
  const owner = (request: FastifyRequest) => sessionOwner(request.principal);

  app.post('/v3/debug/sessions', async (request, reply) => {
    const body = parseRequestBody(createDebugSessionRequestSchema, request.body ?? {});
    await metering.beforeRequest(request.principal);
    const started = performance.now();
    const session = await debugSessions.create(body, owner(request));
    await metering.recordComputeUnits({
      principal: request.principal,
      requestId: request.id,
      operation: 'debug.session',
      measurement: { workUnits: 1, durationSeconds: (performance.now() - started) / 1000 },
    });
    return reply.status(201).send(session);
  });
  app.get('/v3/debug/sessions', async (request) => ({
    object: 'list',
    data: await debugSessions.list(owner(request)),
  }));
  app.get('/v3/debug/sessions/:id', async (request: SessionRequest) =>
    debugSessions.get(request.params.id, owner(request)),
  );
  app.delete('/v3/debug/sessions/:id', async (request: SessionRequest) =>
    debugSessions.delete(request.params.id, owner(request)),
  );
  app.put('/v3/debug/sessions/:id/breakpoints', async (request: SessionRequest) => {
    const body = parseRequestBody(setDebugBreakpointsRequestSchema, request.body ?? {});
    return debugSessions.setBreakpoints(request.params.id, owner(request), body);
  });
  app.put('/v3/debug/sessions/:id/exception-breakpoints', async (request: SessionRequest) => {
    const body = parseRequestBody(setExceptionBreakpointsRequestSchema, request.body ?? {});
    return debugSessions.setExceptionBreakpoints(request.params.id, owner(request), body.filters);
  });
  app.post('/v3/debug/sessions/:id/commands', async (request: SessionRequest) => {
    const body = parseRequestBody(debugCommandRequestSchema, request.body ?? {});
    await metering.beforeRequest(request.principal);
    const started = performance.now();
    const session = await debugSessions.command(request.params.id, owner(request), body);
    await metering.recordComputeUnits({
      principal: request.principal,
      requestId: request.id,
      operation: 'debug.step',
      measurement: { workUnits: 1, durationSeconds: (performance.now() - started) / 1000 },
    });
    return session;
  });
  app.get('/v3/debug/sessions/:id/stack', async (request: SessionRequest) => ({
    object: 'list',
    data: await debugSessions.stackTrace(request.params.id, owner(request)),
  }));
  app.get('/v3/debug/sessions/:id/scopes', async (request: SessionRequest) => ({
    object: 'list',
    data: await debugSessions.scopes(
      request.params.id,
      owner(request),
      integerParameter(request.query.frame_id, 'frame_id', 0),
    ),
  }));
  app.get('/v3/debug/sessions/:id/variables', async (request: SessionRequest) => {
    const reference = integerParameter(request.query.reference, 'reference', undefined);
    const start =
      request.query.start === undefined ? undefined : integerParameter(request.query.start, 'start', 0);
    const count =
      request.query.count === undefined ? undefined : integerParameter(request.query.count, 'count', 0);
    return {
      object: 'list',
      data: await debugSessions.variables(request.params.id, owner(request), {
        variablesReference: reference,
        ...(start !== undefined ? { start } : {}),
        ...(count !== undefined ? { count } : {}),
      }),
    };
  });
  app.post('/v3/debug/sessions/:id/variables', async (request: SessionRequest) => {
    const body = parseRequestBody(debugSetVariableRequestSchema, request.body ?? {});
    return debugSessions.setVariable(request.params.id, owner(request), {
      variablesReference: body.variables_reference,
      name: body.name,
      value: body.value,
    });
  });
  app.post('/v3/debug/sessions/:id/evaluate', async (request: SessionRequest) => {
    const body = parseRequestBody(debugEvaluateRequestSchema, request.body ?? {});
    return debugSessions.evaluate(request.params.id, owner(request), {
      expression: body.expression,
      ...(body.frame_id !== undefined ? { frameId: body.frame_id } : {}),
      ...(body.timeout_ms !== undefined ? { timeoutMilliseconds: body.timeout_ms } : {}),
    });
  });
  app.get('/v3/debug/sessions/:id/output', async (request: SessionRequest) => ({
    object: 'list',
    data: await debugSessions.output(request.params.id, owner(request)),
  }));
  app.get('/v3/debug/sessions/:id/events', async (request: SessionRequest, reply) => {
    const lastEventId = request.headers['last-event-id'] ?? request.query.after;
    const after = lastEventId === undefined ? 0 : integerParameter(String(lastEventId), 'Last-Event-ID', 0);
    const response = reply.raw;
    const pending: PositionedDebugEvent[] = [];
    const write = (event: PositionedDebugEvent) => {
      if (!response.headersSent) {
        pending.push(event);
        return;
      }
      if (response.destroyed) return;
      const name = eventName(event.event);
      response.write(`id: ${event.position}\nevent: ${name}\ndata: ${JSON.stringify(event.event)}\n\n`);
    };
    const subscription = await debugSessions.subscribe(request.params.id, owner(request), after, write);
    reply.hijack();
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    response.flushHeaders();
    for (const event of [...subscription.backlog, ...pending]) write(event);
    const heartbeat = setInterval(() => {
      if (!response.destroyed) response.write(': keep-alive\n\n');
    }, heartbeatMilliseconds);
    heartbeat.unref();
    response.on('close', () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
    });
  });
}

/** The SSE `event:` name: the DAP event name (`stopped`, `output`, `terminated`, `plumb.replayed` ...). */
function eventName(event: unknown): string {
  const name = (event as { event?: unknown }).event;
  return typeof name === 'string' && /^[\w.-]+$/.test(name) ? name : 'message';
}

function integerParameter(value: string | undefined, name: string, fallback: number | undefined): number {
  if (value === undefined || value === '') {
    if (fallback === undefined) {
      throw new PlumbError(
        'invalid_request',
        `The query parameter "${name}" is required (a non-negative integer).`,
        {
          param: name,
        },
      );
    }
    return fallback;
  }
  if (!/^\d{1,12}$/.test(value)) {
    throw new PlumbError(
      'invalid_request',
      `"${name}" must be a non-negative integer, got "${value.slice(0, 40)}".`,
      {
        param: name,
      },
    );
  }
  return Number(value);
}
