import { randomBytes } from 'node:crypto';
import {
  createDebugBackend,
  debugLanguageOf,
  type DebugBackend,
  type DebugEvent,
  type DebugLanguage,
  type EvaluateResult,
  type StopResult,
} from '@plumb/engines';
import {
  PlumbError,
  type CreateDebugSessionRequest,
  type DebugBreakpoint,
  type DebugCommandRequest,
} from '@plumb/protocol';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugSessionRepository, StoredDebugSession } from '../../storage/index.ts';
import type { DebugJournalOperation } from './debug-journal-operation.ts';
import { createDebugSessionWorkspace, type DebugSessionWorkspace } from './debug-session-workspace.ts';
import { resolveVariablePath, VariablePaths } from './variable-paths.ts';

export interface DebugSessionLimits {
  /** A session nobody touched for this long is ended (its process killed); default 15 min. */
  idleTimeoutMilliseconds: number;
  /** A session is ended this long after it was created, busy or not; default 4 h. */
  maximumLifetimeMilliseconds: number;
  /** Live sessions (processes) one owner may hold. */
  maximumPerOwner: number;
  /** Live sessions on this server. */
  maximumTotal: number;
  /** Memory one debuggee may use; default 2 GiB. */
  memoryLimitBytes: number;
}

/**
 * How long events, the last stop and the activity time may wait in memory before they are stored together.
 * Live `/events` subscribers get events at once; a crash loses at most this much of the record, never the
 * journal that replay needs.
 */
const progressSaveDelayMilliseconds = 100;

export const defaultDebugSessionLimits: DebugSessionLimits = {
  idleTimeoutMilliseconds: 15 * 60_000,
  maximumLifetimeMilliseconds: 4 * 60 * 60_000,
  maximumPerOwner: 10,
  maximumTotal: 64,
  memoryLimitBytes: 2 * 1024 ** 3,
};

/** A debug session as the API shows it; every path in it is relative to the session's files. */
export interface DebugSessionView {
  id: string;
  object: 'debug_session';
  language: DebugLanguage;
  program: string;
  status: 'stopped' | 'running' | 'terminated' | 'expired';
  created_at: number;
  last_active_at: number;
  /** When the session ends if nobody touches it (idle timeout or maximum lifetime, whichever is first). */
  expires_at: number;
  breakpoints: Record<string, DebugProtocol.Breakpoint[]>;
  exception_breakpoints: ('uncaught' | 'all' | 'assertion')[];
  /** The last stop (snapshot), `running`, or how the program ended. */
  stop: StopResult | null;
  /** True when the server restarted and rebuilt this session by relaunching and replaying its journal. */
  replayed: boolean;
  warnings: string[];
}

/** A debug event as `/events` streams it: its position is the SSE event id. */
export interface PositionedDebugEvent {
  position: number;
  event: unknown;
}

export interface DebugSessionService {
  create(request: CreateDebugSessionRequest, owner: string | null): Promise<DebugSessionView>;
  get(id: string, owner: string | null): Promise<DebugSessionView>;
  list(owner: string | null): Promise<DebugSessionView[]>;
  delete(
    id: string,
    owner: string | null,
  ): Promise<{ id: string; object: 'debug_session.deleted'; deleted: true }>;
  setBreakpoints(
    id: string,
    owner: string | null,
    request: { file: string; breakpoints: DebugBreakpoint[] },
  ): Promise<{ file: string; breakpoints: DebugProtocol.Breakpoint[] }>;
  setExceptionBreakpoints(
    id: string,
    owner: string | null,
    filters: ('uncaught' | 'all' | 'assertion')[],
  ): Promise<DebugSessionView>;
  command(id: string, owner: string | null, request: DebugCommandRequest): Promise<DebugSessionView>;
  stackTrace(id: string, owner: string | null): Promise<DebugProtocol.StackFrame[]>;
  scopes(id: string, owner: string | null, frameId: number): Promise<DebugProtocol.Scope[]>;
  variables(
    id: string,
    owner: string | null,
    options: { variablesReference: number; start?: number; count?: number },
  ): Promise<DebugProtocol.Variable[]>;
  evaluate(
    id: string,
    owner: string | null,
    options: { expression: string; frameId?: number; timeoutMilliseconds?: number },
  ): Promise<EvaluateResult>;
  setVariable(
    id: string,
    owner: string | null,
    options: { variablesReference: number; name: string; value: string },
  ): Promise<EvaluateResult>;
  output(id: string, owner: string | null): Promise<DebugProtocol.OutputEvent['body'][]>;
  /**
   * Events after `afterPosition` (stored ones first), then live ones until `unsubscribe`. For SSE.
   */
  subscribe(
    id: string,
    owner: string | null,
    afterPosition: number,
    listener: (event: PositionedDebugEvent) => void,
  ): Promise<{ backlog: PositionedDebugEvent[]; unsubscribe: () => void }>;
  /** Adds an event to the session's log (e.g. a model's tool call), for `/events` subscribers and the record. */
  note(id: string, owner: string | null, event: { event: string; body: unknown }): Promise<void>;
  /** Live sessions held by this server (processes). */
  liveCount(): number;
  /** Kills every debuggee; sessions stay `live` in storage, so the next server rebuilds them on first use. */
  close(): Promise<void>;
}

interface LiveSession {
  stored: StoredDebugSession;
  spec: CreateDebugSessionRequest;
  language: DebugLanguage;
  workspace: DebugSessionWorkspace;
  backend: DebugBackend;
  stopListening: () => void;
  breakpoints: Map<string, DebugBreakpoint[]>;
  bound: Map<string, DebugProtocol.Breakpoint[]>;
  exceptionFilters: ('uncaught' | 'all' | 'assertion')[];
  lastStop: StopResult | null;
  journalPosition: number;
  eventPosition: number;
  /** Operations on one session run one at a time, in arrival order. */
  queue: Promise<unknown>;
  /**
   * Writes of events, last stop and activity time, in order, never blocking the caller: they are gathered in
   * `pending` and saved in one transaction at most `progressSaveDelayMilliseconds` later (only the journal is
   * written before answering). `flushProgress` saves at once and answers when everything is stored.
   */
  progressWrites: Promise<unknown>;
  pending: {
    events: PositionedDebugEvent[];
    changes: { lastStop?: unknown; lastActiveAt?: number };
    timer: NodeJS.Timeout | undefined;
  };
  listeners: Set<(event: PositionedDebugEvent) => void>;
  idleTimer: NodeJS.Timeout | undefined;
  replayed: boolean;
  warnings: string[];
  /** Names of the variable references handed out since the last stop, for journaling variable changes. */
  variablePaths: VariablePaths;
}

/**
 * Stateful debug sessions: a real debugger process per session, held by this server between requests,
 * persisted in Storage (spec, journal of operations, events) so a restarted server rebuilds a session by
 * relaunching and replaying. Sessions belong to their owner; others get `debug_session_not_found`.
 *
 * @example
 * const debugSessions = createDebugSessionService({ repository, limits: defaultDebugSessionLimits });
 * const session = await debugSessions.create({ files, program: 'main.py', stop_on_entry: true }, owner);
 * await debugSessions.command(session.id, owner, { command: 'step_over' });
 */
export function createDebugSessionService(options: {
  repository: DebugSessionRepository;
  limits?: Partial<DebugSessionLimits>;
  pythonPath?: string;
  now?: () => number;
}): DebugSessionService {
  const repository = options.repository;
  const limits = { ...defaultDebugSessionLimits, ...options.limits };
  const now = options.now ?? Date.now;
  const live = new Map<string, LiveSession>();
  /** Rebuilds in progress, so two requests after a restart do not relaunch the same session twice. */
  const rebuilding = new Map<string, Promise<LiveSession>>();
  let closed = false;

  function notFound(id: string): PlumbError {
    return new PlumbError(
      'debug_session_not_found',
      `No debug session "${id}" exists for this caller. Create one with POST /v3/debug/sessions.`,
      { param: 'id' },
    );
  }

  function expiresAt(stored: StoredDebugSession): number {
    return Math.min(stored.expiresAt, stored.lastActiveAt + limits.idleTimeoutMilliseconds);
  }

  function ownerCount(owner: string | null): number {
    let count = 0;
    for (const session of live.values()) if (session.stored.owner === owner) count += 1;
    return count;
  }

  function checkCapacity(owner: string | null): void {
    if (live.size >= limits.maximumTotal) {
      throw new PlumbError(
        'debug_session_limit_reached',
        `This server holds ${live.size} live debug sessions, its maximum. Delete sessions you no longer need or retry later.`,
        { headers: { 'retry-after': '30' } },
      );
    }
    if (ownerCount(owner) >= limits.maximumPerOwner) {
      throw new PlumbError(
        'debug_session_limit_reached',
        `You hold ${limits.maximumPerOwner} live debug sessions, the most one caller may. Delete one (DELETE /v3/debug/sessions/:id) first.`,
      );
    }
  }

  function record(session: LiveSession, event: unknown): void {
    session.eventPosition += 1;
    const positioned = { position: session.eventPosition, event: session.workspace.relativize(event) };
    session.pending.events.push(positioned);
    saveProgressSoon(session);
    for (const listener of session.listeners) listener(positioned);
  }

  /**
   * Saves what `pending` gathered a little later, off the response path: a stepping client's events, last
   * stops and activity times over `progressSaveDelayMilliseconds` cost one commit, not several per step.
   * Failures are dropped as before: events and the last stop are a record; replay relies on the journal.
   */
  function saveProgressSoon(session: LiveSession): void {
    if (session.pending.timer) return;
    session.pending.timer = setTimeout(() => void flushProgress(session), progressSaveDelayMilliseconds);
    session.pending.timer.unref();
  }

  /** Saves what `pending` holds now; answers when everything recorded so far is in storage. */
  function flushProgress(session: LiveSession): Promise<unknown> {
    if (session.pending.timer) clearTimeout(session.pending.timer);
    const { events, changes } = session.pending;
    session.pending = { events: [], changes: {}, timer: undefined };
    if (events.length > 0 || Object.keys(changes).length > 0) {
      session.progressWrites = session.progressWrites
        .then(() => repository.saveProgress(session.stored.id, { events, changes }))
        .catch(() => undefined);
    }
    return session.progressWrites;
  }

  async function journal(session: LiveSession, operation: DebugJournalOperation): Promise<void> {
    session.journalPosition += 1;
    await repository.appendJournal(session.stored.id, session.journalPosition, operation);
  }

  function touch(session: LiveSession): void {
    session.stored.lastActiveAt = now();
    session.pending.changes.lastActiveAt = session.stored.lastActiveAt;
    saveProgressSoon(session);
    scheduleExpiry(session);
  }

  function scheduleExpiry(session: LiveSession): void {
    if (session.idleTimer) clearTimeout(session.idleTimer);
    const delay = Math.max(0, expiresAt(session.stored) - now());
    session.idleTimer = setTimeout(() => void expire(session), delay);
    session.idleTimer.unref();
  }

  async function expire(session: LiveSession): Promise<void> {
    if (live.get(session.stored.id) !== session) return;
    const reason =
      now() >= session.stored.expiresAt
        ? 'it reached its maximum lifetime'
        : `nobody used it for ${Math.round(limits.idleTimeoutMilliseconds / 60_000)} minutes`;
    record(session, { type: 'event', event: 'plumb.expired', body: { reason } });
    await release(session, 'expired');
  }

  async function release(session: LiveSession, status: 'expired' | 'terminated' | 'live'): Promise<void> {
    live.delete(session.stored.id);
    if (session.idleTimer) clearTimeout(session.idleTimer);
    session.stopListening();
    await session.backend.terminate().catch(() => undefined);
    await flushProgress(session);
    session.workspace.remove();
    if (status !== 'live') {
      session.stored.status = status;
      await repository.update(session.stored.id, { status });
    }
  }

  function sourceBreakpoints(breakpoints: DebugBreakpoint[]): DebugProtocol.SourceBreakpoint[] {
    return breakpoints.map((breakpoint) => ({
      line: breakpoint.line,
      ...(breakpoint.column !== undefined ? { column: breakpoint.column } : {}),
      ...(breakpoint.condition !== undefined ? { condition: breakpoint.condition } : {}),
      ...(breakpoint.hit_condition !== undefined ? { hitCondition: breakpoint.hit_condition } : {}),
      ...(breakpoint.log_message !== undefined ? { logMessage: breakpoint.log_message } : {}),
    }));
  }

  function checkFile(session: LiveSession, file: string): void {
    if (!session.spec.files.some((candidate) => candidate.path === file)) {
      throw new PlumbError(
        'breakpoint_invalid',
        `"${file}" is not one of this session's files; use one of: ${session.spec.files
          .slice(0, 10)
          .map((candidate) => candidate.path)
          .join(', ')}.`,
        { param: 'file' },
      );
    }
  }

  /** Starts (or restarts) the debuggee with the session's current breakpoints. */
  async function launch(session: LiveSession, waitMilliseconds: number): Promise<StopResult> {
    session.stopListening();
    session.backend = createDebugBackend(session.language, {
      python: options.pythonPath,
      pythonBackend: session.spec.python_backend,
    });
    session.stopListening = session.backend.onEvent((event: DebugEvent) => record(session, event));
    const breakpoints: Record<string, DebugProtocol.SourceBreakpoint[]> = {};
    for (const [file, list] of session.breakpoints) {
      breakpoints[session.workspace.resolve(file)] = sourceBreakpoints(list);
    }
    const stop = await session.backend.launch({
      program: session.workspace.resolve(session.spec.program),
      cwd: session.workspace.root,
      ...(session.spec.args ? { args: session.spec.args } : {}),
      ...(session.spec.environment ? { environment: session.spec.environment } : {}),
      stopOnEntry: session.spec.stop_on_entry ?? false,
      breakpoints,
      exceptionFilters: session.exceptionFilters,
      waitMilliseconds,
      readablePaths: [session.workspace.root],
      memoryLimitBytes: limits.memoryLimitBytes,
    });
    // Where each breakpoint was bound is only known after launch for files not yet loaded: ask again.
    for (const [file, list] of session.breakpoints) {
      if (stop.status === 'terminated') break;
      session.bound.set(
        file,
        session.workspace.relativize(
          await session.backend.setBreakpoints(session.workspace.resolve(file), sourceBreakpoints(list)),
        ),
      );
    }
    return stop;
  }

  function newLiveSession(stored: StoredDebugSession, spec: CreateDebugSessionRequest): LiveSession {
    const language = debugLanguageOf(spec.program);
    const session: LiveSession = {
      stored,
      spec,
      language,
      workspace: createDebugSessionWorkspace(spec.files),
      backend: createDebugBackend(language, {
        python: options.pythonPath,
        pythonBackend: spec.python_backend,
      }),
      stopListening: () => undefined,
      breakpoints: new Map((spec.breakpoints ?? []).map((entry) => [entry.file, entry.breakpoints])),
      bound: new Map(),
      exceptionFilters: spec.exception_breakpoints ?? [],
      lastStop: null,
      journalPosition: 0,
      eventPosition: 0,
      queue: Promise.resolve(),
      progressWrites: Promise.resolve(),
      pending: { events: [], changes: {}, timer: undefined },
      listeners: new Set(),
      idleTimer: undefined,
      replayed: false,
      warnings: [],
      variablePaths: new VariablePaths(),
    };
    return session;
  }

  function settle(session: LiveSession, stop: StopResult): StopResult {
    session.variablePaths.clear();
    session.variablePaths.rememberSnapshot(stop);
    session.lastStop = session.workspace.relativize(stop);
    session.pending.changes.lastStop = session.lastStop;
    saveProgressSoon(session);
    return session.lastStop;
  }

  async function runCommand(session: LiveSession, request: DebugCommandRequest): Promise<StopResult> {
    const wait = { waitMilliseconds: request.wait_ms ?? 5_000 };
    const backend = session.backend;
    switch (request.command) {
      case 'continue':
        return backend.continue(wait);
      case 'step_over':
        return backend.stepOver(wait);
      case 'step_in':
        return backend.stepIn(wait);
      case 'step_out':
        return backend.stepOut(wait);
      case 'pause':
        return backend.pause(wait);
      case 'wait':
        return backend.waitForStop(wait);
      case 'restart':
        return launch(session, wait.waitMilliseconds);
      case 'run_to_line': {
        const file = request.file ?? session.spec.program;
        checkFile(session, file);
        const existing = session.breakpoints.get(file) ?? [];
        const absolute = session.workspace.resolve(file);
        await backend.setBreakpoints(absolute, sourceBreakpoints([...existing, { line: request.line ?? 1 }]));
        try {
          return await backend.continue(wait);
        } finally {
          await backend.setBreakpoints(absolute, sourceBreakpoints(existing)).catch(() => undefined);
        }
      }
    }
  }

  /** Runs `work` after every earlier operation of the session. */
  function serialize<TResult>(session: LiveSession, work: () => Promise<TResult>): Promise<TResult> {
    const result = session.queue.then(work, work).catch((error: unknown) => {
      throw scrub(session, error);
    });
    session.queue = result.catch(() => undefined);
    return result;
  }

  async function rebuild(stored: StoredDebugSession): Promise<LiveSession> {
    const spec = stored.spec as CreateDebugSessionRequest;
    checkCapacity(stored.owner);
    const session = newLiveSession(stored, spec);
    session.eventPosition = await repository.lastEventPosition(stored.id);
    const operations = (await repository.journal(stored.id)) as DebugJournalOperation[];
    session.journalPosition = operations.length;
    live.set(stored.id, session);
    try {
      let stop = await launch(session, Math.max(spec.wait_ms ?? 5_000, 10_000));
      for (const operation of operations) {
        if (operation.kind === 'breakpoints') {
          session.breakpoints.set(operation.file, operation.breakpoints);
          if (stop.status !== 'terminated') {
            session.bound.set(
              operation.file,
              session.workspace.relativize(
                await session.backend.setBreakpoints(
                  session.workspace.resolve(operation.file),
                  sourceBreakpoints(operation.breakpoints),
                ),
              ),
            );
          }
        } else if (operation.kind === 'exception_breakpoints') {
          session.exceptionFilters = operation.filters;
          if (stop.status !== 'terminated') await session.backend.setExceptionBreakpoints(operation.filters);
        } else if (operation.kind === 'command') {
          // A command that stopped the program first time is given time to stop again.
          const wait = operation.outcome.status === 'running' ? 200 : 10_000;
          stop = await runCommand(session, {
            command: operation.command,
            ...(operation.file !== undefined ? { file: operation.file } : {}),
            ...(operation.line !== undefined ? { line: operation.line } : {}),
            wait_ms: wait,
          });
        } else if (operation.kind === 'evaluate') {
          await session.backend
            .evaluate({
              expression: operation.expression,
              ...(operation.frameId !== undefined ? { frameId: operation.frameId } : {}),
            })
            .catch(() => undefined);
        } else if (!(await replayVariableChange(session, stop, operation))) {
          session.warnings.push(
            `The variable change of "${operation.name}" made before the restart could not be replayed; set it again if it matters.`,
          );
        }
      }
      const relative = session.workspace.relativize(stop);
      // The journal is written before each answer; the stored last stop may lag it by a moment.
      const recorded = recordedOutcome(operations, stored.lastStop as StopResult | null);
      if (recorded && !sameOutcome(outcomeOf(relative), recorded)) {
        session.warnings.push(
          `The replay after the server restart ended at ${describeOutcome(outcomeOf(relative))}, not where the session was (${describeOutcome(recorded)}): the program does not behave the same on every run.`,
        );
      }
      session.replayed = true;
      settle(session, stop);
      record(session, {
        type: 'event',
        event: 'plumb.replayed',
        body: { operations: operations.length, warnings: session.warnings },
      });
      touch(session);
      return session;
    } catch (error) {
      await release(session, 'live');
      throw scrub(session, error);
    }
  }

  /** Sets a journaled variable again in the relaunched program; false when its container is not found. */
  async function replayVariableChange(
    session: LiveSession,
    stop: StopResult,
    operation: Extract<DebugJournalOperation, { kind: 'set_variable' }>,
  ): Promise<boolean> {
    if (operation.path === undefined || operation.value === undefined) return false;
    try {
      const variablesReference = await resolveVariablePath(session.backend, stop, operation.path);
      if (variablesReference === undefined) return false;
      await session.backend.setVariable({ variablesReference, name: operation.name, value: operation.value });
      return true;
    } catch {
      return false;
    }
  }

  async function load(id: string, owner: string | null): Promise<StoredDebugSession> {
    const current = live.get(id);
    if (current) {
      if (current.stored.owner !== owner) throw notFound(id);
      return current.stored;
    }
    const stored = await repository.get(id);
    if (!stored || stored.owner !== owner) throw notFound(id);
    return stored;
  }

  /** The live session, rebuilt by replay when this server does not hold its process (after a restart). */
  async function acquire(id: string, owner: string | null): Promise<LiveSession> {
    if (closed)
      throw new PlumbError('service_unavailable', 'The server is shutting down; retry in a moment.');
    const stored = await load(id, owner);
    const current = live.get(id);
    if (current) {
      touch(current);
      return current;
    }
    if (stored.status !== 'live') throw endedError(stored);
    if (now() >= expiresAt(stored)) {
      await repository.update(id, { status: 'expired' });
      stored.status = 'expired';
      throw endedError(stored);
    }
    let pending = rebuilding.get(id);
    if (!pending) {
      pending = rebuild(stored).finally(() => rebuilding.delete(id));
      rebuilding.set(id, pending);
    }
    return pending;
  }

  function endedError(stored: StoredDebugSession): PlumbError {
    const why =
      stored.status === 'expired'
        ? `expired (idle for ${Math.round(limits.idleTimeoutMilliseconds / 60_000)} minutes or past its maximum lifetime)`
        : 'was deleted';
    return new PlumbError(
      'debug_session_terminated',
      `Debug session "${stored.id}" ${why}; its program is no longer running. Create a new session with POST /v3/debug/sessions.`,
      { param: 'id' },
    );
  }

  function view(stored: StoredDebugSession, session?: LiveSession): DebugSessionView {
    const spec = stored.spec as CreateDebugSessionRequest;
    const stop = session ? session.lastStop : (stored.lastStop as StopResult | null);
    const breakpoints: Record<string, DebugProtocol.Breakpoint[]> = {};
    if (session) for (const [file, bound] of session.bound) breakpoints[file] = bound;
    let status: DebugSessionView['status'];
    if (stored.status === 'expired') status = 'expired';
    else if (stored.status === 'terminated') status = 'terminated';
    else status = stop?.status ?? 'running';
    return {
      id: stored.id,
      object: 'debug_session',
      language: debugLanguageOf(spec.program),
      program: spec.program,
      status,
      created_at: Math.floor(stored.createdAt / 1000),
      last_active_at: Math.floor(stored.lastActiveAt / 1000),
      expires_at: Math.floor(expiresAt(stored) / 1000),
      breakpoints,
      exception_breakpoints: session?.exceptionFilters ?? spec.exception_breakpoints ?? [],
      stop,
      replayed: session?.replayed ?? false,
      warnings: session ? [...session.warnings] : [],
    };
  }

  return {
    async create(request, owner) {
      debugLanguageOf(request.program);
      for (const entry of request.breakpoints ?? []) {
        if (!request.files.some((file) => file.path === entry.file)) {
          throw new PlumbError(
            'breakpoint_invalid',
            `Breakpoints name "${entry.file}", which is not among the files sent.`,
            {
              param: 'breakpoints',
            },
          );
        }
      }
      checkCapacity(owner);
      const created = now();
      const stored: StoredDebugSession = {
        id: `dbg_${randomBytes(18).toString('base64url')}`,
        owner,
        language: debugLanguageOf(request.program),
        spec: request,
        status: 'live',
        lastStop: null,
        createdAt: created,
        lastActiveAt: created,
        expiresAt: created + limits.maximumLifetimeMilliseconds,
      };
      await repository.create(stored);
      const session = newLiveSession(stored, request);
      live.set(stored.id, session);
      try {
        settle(session, await launch(session, request.wait_ms ?? 5_000));
      } catch (error) {
        await release(session, 'terminated');
        throw scrub(session, error);
      }
      touch(session);
      return view(stored, session);
    },
    async get(id, owner) {
      const stored = await load(id, owner);
      return view(stored, live.get(id));
    },
    async list(owner) {
      const stored = await repository.listByOwner(owner, 100);
      return stored.map((entry) => view(live.get(entry.id)?.stored ?? entry, live.get(entry.id)));
    },
    async delete(id, owner) {
      const stored = await load(id, owner);
      const session = live.get(id);
      if (session) await serialize(session, () => release(session, 'terminated'));
      else await repository.update(stored.id, { status: 'terminated' });
      return { id, object: 'debug_session.deleted', deleted: true };
    },
    async setBreakpoints(id, owner, request) {
      const session = await acquire(id, owner);
      checkFile(session, request.file);
      return serialize(session, async () => {
        session.breakpoints.set(request.file, request.breakpoints);
        const bound = session.workspace.relativize(
          await session.backend.setBreakpoints(
            session.workspace.resolve(request.file),
            sourceBreakpoints(request.breakpoints),
          ),
        );
        session.bound.set(request.file, bound);
        await journal(session, { kind: 'breakpoints', file: request.file, breakpoints: request.breakpoints });
        return { file: request.file, breakpoints: bound };
      });
    },
    async setExceptionBreakpoints(id, owner, filters) {
      const session = await acquire(id, owner);
      return serialize(session, async () => {
        await session.backend.setExceptionBreakpoints(filters);
        session.exceptionFilters = filters;
        await journal(session, { kind: 'exception_breakpoints', filters });
        return view(session.stored, session);
      });
    },
    async command(id, owner, request) {
      const session = await acquire(id, owner);
      // Pause must overtake a `wait` or `continue` still waiting in the queue, or it could never interrupt one.
      const work = async () => {
        const stop = settle(session, await runCommand(session, request));
        await journal(session, {
          kind: 'command',
          command: request.command,
          ...(request.file !== undefined ? { file: request.file } : {}),
          ...(request.line !== undefined ? { line: request.line } : {}),
          outcome: outcomeOf(stop),
        });
        return view(session.stored, session);
      };
      return request.command === 'pause' || request.command === 'wait'
        ? work().catch((error: unknown) => {
            throw scrub(session, error);
          })
        : serialize(session, work);
    },
    async stackTrace(id, owner) {
      const session = await acquire(id, owner);
      return serialize(session, async () => session.workspace.relativize(await session.backend.stackTrace()));
    },
    async scopes(id, owner, frameId) {
      const session = await acquire(id, owner);
      return serialize(session, async () => {
        const scopes = await session.backend.scopes(frameId);
        session.variablePaths.rememberScopes(frameId, scopes);
        return scopes;
      });
    },
    async variables(id, owner, variableOptions) {
      const session = await acquire(id, owner);
      return serialize(session, async () => {
        const variables = await session.backend.variables(variableOptions);
        session.variablePaths.rememberChildren(variableOptions.variablesReference, variables);
        return session.workspace.relativize(variables);
      });
    },
    async evaluate(id, owner, evaluateOptions) {
      const session = await acquire(id, owner);
      return serialize(session, async () => {
        const result = await session.backend.evaluate(evaluateOptions);
        await journal(session, {
          kind: 'evaluate',
          expression: evaluateOptions.expression,
          ...(evaluateOptions.frameId !== undefined ? { frameId: evaluateOptions.frameId } : {}),
        });
        return session.workspace.relativize(result);
      });
    },
    async setVariable(id, owner, variableOptions) {
      const session = await acquire(id, owner);
      return serialize(session, async () => {
        const result = await session.backend.setVariable(variableOptions);
        const path = session.variablePaths.pathOf(variableOptions.variablesReference);
        await journal(session, {
          kind: 'set_variable',
          name: variableOptions.name,
          value: variableOptions.value,
          ...(path ? { path } : {}),
        });
        return session.workspace.relativize(result);
      });
    },
    async output(id, owner) {
      const session = await acquire(id, owner);
      return session.workspace.relativize(session.backend.output());
    },
    async subscribe(id, owner, afterPosition, listener) {
      const stored = await load(id, owner);
      const session = live.get(stored.id);
      // Subscribe first, then read the backlog, then drop live events the backlog already holds.
      const seen = { last: afterPosition };
      const buffered: PositionedDebugEvent[] = [];
      let replaying = true;
      const relay = (event: PositionedDebugEvent) => {
        if (replaying) buffered.push(event);
        else if (event.position > seen.last) {
          seen.last = event.position;
          listener(event);
        }
      };
      session?.listeners.add(relay);
      if (session) await flushProgress(session);
      const backlog = await repository.events(stored.id, afterPosition, 10_000);
      for (const event of backlog) seen.last = Math.max(seen.last, event.position);
      replaying = false;
      const late = buffered.filter((event) => event.position > seen.last);
      for (const event of late) seen.last = event.position;
      return {
        backlog: [...backlog, ...late],
        unsubscribe: () => session?.listeners.delete(relay),
      };
    },
    async note(id, owner, event) {
      const session = await acquire(id, owner);
      record(session, { type: 'event', event: event.event, body: event.body });
    },
    liveCount: () => live.size,
    async close() {
      closed = true;
      await Promise.allSettled([...rebuilding.values()]);
      await Promise.all([...live.values()].map((session) => release(session, 'live')));
    },
  };
}

/** The error with the session's workspace paths shown as the caller's relative paths. */
function scrub(session: LiveSession, error: unknown): unknown {
  if (error instanceof Error) error.message = session.workspace.relativize(error.message);
  return error;
}

/** Where the session was when the server went away: the last journaled command's outcome, else the last stop. */
function recordedOutcome(
  operations: DebugJournalOperation[],
  lastStop: StopResult | null,
): Extract<DebugJournalOperation, { kind: 'command' }>['outcome'] | undefined {
  for (let index = operations.length - 1; index >= 0; index -= 1) {
    const operation = operations[index];
    if (operation?.kind === 'command') return operation.outcome;
  }
  return lastStop ? outcomeOf(lastStop) : undefined;
}

function outcomeOf(stop: StopResult): Extract<DebugJournalOperation, { kind: 'command' }>['outcome'] {
  if (stop.status !== 'stopped') return { status: stop.status };
  return { status: 'stopped', file: stop.snapshot.location.file, line: stop.snapshot.location.line };
}

function sameOutcome(
  left: Extract<DebugJournalOperation, { kind: 'command' }>['outcome'],
  right: Extract<DebugJournalOperation, { kind: 'command' }>['outcome'],
): boolean {
  return left.status === right.status && left.file === right.file && left.line === right.line;
}

function describeOutcome(outcome: Extract<DebugJournalOperation, { kind: 'command' }>['outcome']): string {
  return outcome.status === 'stopped' ? `${outcome.file}:${outcome.line}` : outcome.status;
}
