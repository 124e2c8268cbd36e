import { classifyMaliciousRequest } from '@plumb/engines';
import {
  applyModePrompt,
  completeChat,
  startChatStream,
  toUsage,
  type ChatInput,
  type ChatOutcome,
  type ChatStream,
  type Guard,
  type ProviderRegistry,
} from '@plumb/models';
import {
  PlumbError,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ChatMessage,
} from '@plumb/protocol';
import type { Principal } from '../http/principal.ts';
import type { Metering } from '../metering/create-metering.ts';
import type { CodeGraphService } from './code-graph/create-code-graph-service.ts';
import {
  buildRepositoryContext,
  type RepositoryContext,
  type RepositoryReport,
} from './code-graph/repository-context.ts';
import type { SessionService } from './create-session-service.ts';
import { runServerTool } from './run-server-tool.ts';
import type { DebugSessionService } from './debug-sessions/create-debug-session-service.ts';
import {
  compactStop,
  createDebuggerTools,
  toToolResultText,
} from './debug-sessions/create-debugger-tools.ts';

/** Tool rounds one request with `debug_session` may take before Plumb returns what it has. */
const maximumDebuggerRounds = 8;
/** Tool rounds one request with `repository` may take (explain calls) before Plumb returns what it has. */
const maximumRepositoryRounds = 6;

export interface ChatService {
  /** A whole completion; the session (if any) is updated before this resolves. */
  complete(request: ChatCompletionRequest, context: ChatRequestContext): Promise<ChatCompletion>;
  /**
   * A stream whose upstream call has already been accepted: errors before the first chunk throw here, so the
   * route can still answer with an HTTP error status.
   */
  stream(request: ChatCompletionRequest, context: ChatRequestContext): Promise<ChatStream>;
}

export interface ChatRequestContext {
  owner: string | null;
  /** Who is billed; null when auth is off. */
  principal: Principal | null;
  requestId: string;
  abortSignal: AbortSignal;
}

export interface ChatServiceOptions {
  registry: ProviderRegistry;
  sessions: SessionService;
  /** Guards applied to answers in `mode: "code"`, in order. */
  guards: Guard[];
  upstreamTimeoutMs: number;
  /** Refuse requests that plainly ask for malware, credential theft or detection evasion (default true). */
  refuseMalicious?: boolean;
  /** Budgets, rate limits and the usage ledger; every completed turn is metered. */
  metering: Metering;
  /** Debug sessions a request may hand to the model (`debug_session`). */
  debugSessions?: DebugSessionService;
  /** Uploaded repositories a request may put in the model's context (`repository`). */
  codeGraph?: CodeGraphService;
}

/**
 * The chat completion use case: resolve the model, join the session history, call the provider through the
 * models package, and record the turn in the session.
 *
 * @example
 * const chat = createChatService({ registry, sessions, metering, guards: [], upstreamTimeoutMs: 300_000 });
 * const completion = await chat.complete(request, { owner: null, principal: null, requestId, abortSignal });
 */
export function createChatService(options: ChatServiceOptions): ChatService {
  async function prepare(request: ChatCompletionRequest, context: ChatRequestContext): Promise<ChatInput> {
    const { model } = options.registry.resolveModel(request.model);
    const history = request.session_id
      ? await options.sessions.history(request.session_id, context.owner)
      : [];
    return {
      model,
      modelName: request.model,
      request,
      messages: [...history, ...request.messages],
      guards: options.guards,
      sessionId: request.session_id ?? null,
      abortSignal: AbortSignal.any([context.abortSignal, AbortSignal.timeout(options.upstreamTimeoutMs)]),
    };
  }

  async function record(
    request: ChatCompletionRequest,
    outcome: ChatOutcome,
    context: ChatRequestContext & { streamed: boolean },
  ): Promise<void> {
    await options.metering.recordChat({
      principal: context.principal,
      requestId: context.requestId,
      model: request.model,
      usage: outcome.usage,
      usageSource: outcome.usageSource,
      streamed: context.streamed,
    });
    if (!request.session_id) return;
    await options.sessions.append(request.session_id, context.owner, [
      ...request.messages,
      toHistoryMessage(outcome),
    ]);
  }

  /**
   * A completion where the model drives a debug session: the session's snapshot goes in as context, the
   * debugger's verbs as tools; Plumb runs the calls the model makes to them and asks again, until the model
   * answers without one (or calls a tool of the client's, which goes back to the client as usual).
   */
  async function completeWithDebugger(
    request: ChatCompletionRequest & { debug_session: string },
    context: ChatRequestContext,
  ): Promise<ChatCompletion> {
    if (!options.debugSessions) {
      throw new PlumbError('invalid_request', 'This server has no debug sessions; remove "debug_session".', {
        param: 'debug_session',
      });
    }
    const debugSessions = options.debugSessions;
    const session = await debugSessions.get(request.debug_session, context.owner);
    const tools = createDebuggerTools({ debugSessions, sessionId: session.id, owner: context.owner });
    const clash = request.tools?.find((tool) => tools.has(tool.function.name));
    if (clash) {
      throw new PlumbError(
        'invalid_request',
        `The tool name "${clash.function.name}" is Plumb's own with debug_session; rename your tool.`,
        { param: 'tools' },
      );
    }
    const augmented: ChatCompletionRequest = {
      ...request,
      tools: [...(request.tools ?? []), ...[...tools.values()].map((tool) => tool.definition)],
    };
    const base = await prepare(augmented, context);
    const history = base.messages.slice(0, base.messages.length - request.messages.length);
    const briefing: ChatMessage = {
      role: 'system',
      content:
        `You are working on debug session ${session.id}: ${session.language} program ${session.program}, now ${session.status}. ` +
        'Use the debug_* tools to step, set breakpoints, evaluate and inspect; each answers the new state. ' +
        `Current state:\n${JSON.stringify(compactStop(session.stop))}`,
    };
    let messages: ChatMessage[] = [...history, briefing, ...request.messages];
    const trace: { name: string; arguments: unknown; result: unknown }[] = [];
    for (let round = 1; ; round += 1) {
      const { completion, outcome } = await completeChat({ ...base, messages });
      const calls = outcome.message.tool_calls ?? [];
      const ours = calls.filter((call) => tools.has(call.function.name));
      if (ours.length === 0 || ours.length !== calls.length || round === maximumDebuggerRounds) {
        if (ours.length > 0 && ours.length === calls.length) {
          outcome.warnings.push(
            `The model was still calling debugger tools after ${maximumDebuggerRounds} rounds; its last calls were not run.`,
          );
        }
        await record(request, outcome, { ...context, streamed: false });
        return {
          ...completion,
          plumb: {
            ...completion.plumb,
            warnings: outcome.warnings,
            debug_session: { id: session.id, tool_calls: trace },
          },
        };
      }
      // An intermediate round: billed like any call, not added to the chat session's history.
      await options.metering.recordChat({
        principal: context.principal,
        requestId: context.requestId,
        model: request.model,
        usage: outcome.usage,
        usageSource: outcome.usageSource,
        streamed: false,
      });
      messages = [...messages, { role: 'assistant', content: outcome.message.content, tool_calls: calls }];
      for (const call of ours) {
        const { input, result } = await runServerTool(tools, call);
        trace.push({ name: call.function.name, arguments: input, result });
        await debugSessions
          .note(session.id, context.owner, {
            event: 'plumb.model_tool_call',
            body: { request_id: context.requestId, name: call.function.name, arguments: input },
          })
          .catch(() => undefined);
        messages.push({ role: 'tool', tool_call_id: call.id, content: toToolResultText(result) });
      }
    }
  }

  /** The repository context of a request (map, and tools unless streamed), or undefined without `repository`. */
  async function repositoryContextOf(
    request: ChatCompletionRequest,
    messages: ChatMessage[],
    context: ChatRequestContext & { withTools: boolean },
  ): Promise<RepositoryContext | undefined> {
    if (request.repository === undefined) return undefined;
    if (!options.codeGraph) {
      throw new PlumbError('invalid_request', 'This server has no code graph; remove "repository".', {
        param: 'repository',
      });
    }
    if (request.debug_session !== undefined) {
      throw new PlumbError(
        'invalid_request',
        '"repository" and "debug_session" cannot be combined in one request; send them in separate requests.',
        { param: 'repository' },
      );
    }
    return buildRepositoryContext({
      codeGraph: options.codeGraph,
      owner: context.owner,
      repository: request.repository,
      messages,
      withTools: context.withTools,
      // Each explain the model asks for is billed like POST /v3/explain.
      onExplain: async (explanation, durationSeconds) => {
        await options.metering.recordComputeUnits({
          principal: context.principal,
          requestId: context.requestId,
          operation: 'explain',
          measurement: {
            workUnits:
              explanation.dependencies.length +
              explanation.dependents.length +
              explanation.entryPoints.reduce((sum, entry) => sum + entry.via.length, 0),
            durationSeconds,
          },
        });
      },
    });
  }

  /**
   * A completion with a repository in context: the repo map goes in as a system message after Plumb's code
   * prompt (before the history and the caller's own system messages), the explain tool is offered, and Plumb
   * runs the model's calls to it and asks again, until the model answers without one.
   */
  async function completeWithRepository(
    request: ChatCompletionRequest,
    context: ChatRequestContext,
  ): Promise<ChatCompletion> {
    const base = await prepare(request, context);
    const repository = (await repositoryContextOf(request, base.messages, { ...context, withTools: true }))!;
    const { tools } = repository;
    const clash = request.tools?.find((tool) => tools.has(tool.function.name));
    if (clash) {
      throw new PlumbError(
        'invalid_request',
        `The tool name "${clash.function.name}" is Plumb's own with repository; rename your tool.`,
        { param: 'tools' },
      );
    }
    const augmented: ChatCompletionRequest = {
      ...request,
      tools: [...(request.tools ?? []), ...[...tools.values()].map((tool) => tool.definition)],
    };
    let messages: ChatMessage[] = [repository.message, ...base.messages];
    const trace: RepositoryReport['tool_calls'] = [];
    for (let round = 1; ; round += 1) {
      const { completion, outcome } = await completeChat({ ...base, request: augmented, messages });
      const calls = outcome.message.tool_calls ?? [];
      const ours = calls.filter((call) => tools.has(call.function.name));
      if (ours.length === 0 || ours.length !== calls.length || round === maximumRepositoryRounds) {
        if (ours.length > 0 && ours.length === calls.length) {
          outcome.warnings.push(
            `The model was still calling repository tools after ${maximumRepositoryRounds} rounds; its last calls were not run.`,
          );
        }
        await record(request, outcome, { ...context, streamed: false });
        const plumb: ChatCompletion['plumb'] & { repository: RepositoryReport } = {
          ...completion.plumb,
          warnings: [...repository.warnings, ...outcome.warnings],
          repository: repositoryReport(repository, trace),
        };
        return { ...completion, plumb };
      }
      // An intermediate round: billed like any call, not added to the chat session's history.
      await options.metering.recordChat({
        principal: context.principal,
        requestId: context.requestId,
        model: request.model,
        usage: outcome.usage,
        usageSource: outcome.usageSource,
        streamed: false,
      });
      messages = [...messages, { role: 'assistant', content: outcome.message.content, tool_calls: calls }];
      for (const call of ours) {
        const { input, result } = await runServerTool(tools, call);
        trace.push({ name: call.function.name, arguments: input, result });
        messages.push({ role: 'tool', tool_call_id: call.id, content: toToolResultText(result) });
      }
    }
  }

  return {
    async complete(request, context) {
      assertHasMessages(request);
      if (options.refuseMalicious !== false) assertNotMalicious(request);
      await options.metering.beforeRequest(context.principal);
      if (request.repository !== undefined) return completeWithRepository(request, context);
      if (request.debug_session !== undefined) {
        return completeWithDebugger({ ...request, debug_session: request.debug_session }, context);
      }
      const input = await prepare(request, context);
      const { completion, outcome } = await completeChat(input);
      await record(request, outcome, { ...context, streamed: false });
      return completion;
    },
    async stream(request, context) {
      assertHasMessages(request);
      if (options.refuseMalicious !== false) assertNotMalicious(request);
      if (request.debug_session !== undefined) {
        throw new PlumbError(
          'invalid_request',
          'debug_session runs debugger tool rounds before answering and is not streamed; send "stream": false.',
          { param: 'stream' },
        );
      }
      await options.metering.beforeRequest(context.principal);
      let input = await prepare(request, context);
      // Streamed requests get the repo map but no tool rounds: the answer is relayed as it is produced.
      const repository = await repositoryContextOf(request, input.messages, { ...context, withTools: false });
      if (repository) input = { ...input, messages: [repository.message, ...input.messages] };
      const stream = await startChatStream(input);
      // The turn is recorded before the stream's end is relayed, so a client that sends its next message
      // right after `[DONE]` already sees this turn in the history, and its usage is in the ledger. A stream
      // the client abandons is metered for what was relayed (providers report usage only at the end, so
      // counted with the tokenizer) and leaves the session alone; one that fails upstream records nothing.
      async function* relayThenRecord() {
        let relayedText = '';
        let finished = false;
        let failedUpstream = false;
        try {
          for await (const chunk of stream) {
            relayedText += completionTextOf(chunk);
            if (repository && chunk.plumb) {
              const plumb: NonNullable<ChatCompletionChunk['plumb']> & { repository: RepositoryReport } = {
                ...chunk.plumb,
                warnings: [...repository.warnings, ...chunk.plumb.warnings],
                repository: repositoryReport(repository, []),
              };
              yield { ...chunk, plumb };
            } else yield chunk;
          }
          finished = true;
          await record(request, await stream.outcome, { ...context, streamed: true });
        } catch (error) {
          failedUpstream = !context.abortSignal.aborted;
          throw error;
        } finally {
          // Not finished and no upstream failure: the consumer stopped early or the client went away.
          if (!finished && !failedUpstream) {
            const relayed = toUsage(undefined, {
              messages: applyModePrompt(input.messages, request.mode).messages,
              completionText: relayedText,
            });
            await options.metering.recordChat({
              principal: context.principal,
              requestId: context.requestId,
              model: request.model,
              usage: relayed.usage,
              usageSource: relayed.source,
              streamed: true,
            });
          }
        }
      }
      return { id: stream.id, outcome: stream.outcome, [Symbol.asyncIterator]: relayThenRecord };
    },
  };
}

function assertHasMessages(request: ChatCompletionRequest): void {
  if (request.messages.length === 0) {
    throw new PlumbError(
      'invalid_request',
      '"messages" is empty. Send at least one message; with a session_id, send only the new ones.',
      { param: 'messages' },
    );
  }
}

const refusalReasons = {
  malware: 'it asks for malware',
  credential_theft: 'it asks for code that steals credentials',
  detection_evasion: 'it asks for code that evades security detection',
} as const;

/** Refuses, before any model is called, a request whose newest user message plainly asks for an attack tool. */
function assertNotMalicious(request: ChatCompletionRequest): void {
  const latest = request.messages.findLast((message) => message.role === 'user');
  if (!latest) return;
  const text =
    typeof latest.content === 'string'
      ? latest.content
      : latest.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  const verdict = classifyMaliciousRequest(text);
  if (!verdict.refused) return;
  const category = verdict.category ?? 'malware';
  throw new PlumbError(
    'request_refused',
    `This request was refused because ${refusalReasons[category]}${verdict.reason ? ` (${verdict.reason})` : ''}. Plumb helps with defensive security work: detection, hardening, code review and explanations.`,
    { param: 'messages' },
  );
}

/** The answer text a chunk carries (content and tool call arguments), as `toUsage` counts completions. */
function completionTextOf(chunk: ChatCompletionChunk): string {
  let text = '';
  for (const choice of chunk.choices) {
    text += choice.delta.content ?? '';
    for (const call of choice.delta.tool_calls ?? []) text += call.function?.arguments ?? '';
  }
  return text;
}

function repositoryReport(
  repository: RepositoryContext,
  toolCalls: RepositoryReport['tool_calls'],
): RepositoryReport {
  return {
    name: repository.name,
    revision: repository.revision,
    map_tokens: repository.mapTokens,
    definitions_shown: repository.definitionsShown,
    tool_calls: toolCalls,
  };
}

function toHistoryMessage(outcome: ChatOutcome): ChatMessage {
  const { message } = outcome;
  return {
    role: 'assistant',
    content: message.content,
    ...(message.tool_calls && message.tool_calls.length > 0 ? { tool_calls: message.tool_calls } : {}),
  };
}
