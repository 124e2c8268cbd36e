import { performance } from 'node:perf_hooks';
import { readProcessMemory, type ProcessMemory } from '../read-process-memory.ts';
import type { DebugHttpClient, SessionProgram } from './debug-http-client.ts';
import { describe, lineOf } from './measure-http-steps.ts';
import { readDebuggeeTrees, type DebuggeeTree } from './read-debuggee-memory.ts';

/** What holding many paused sessions costs, and whether they all stay usable and go away cleanly. */
export interface LiveSessionsResult {
  requested: number;
  created: number;
  /** Sessions that answered a `step_over` with a new stop while all were held. */
  answeredStep: number;
  createSeconds: number;
  serverBefore: ProcessMemory;
  serverWhileHeld: ProcessMemory;
  serverAfterDelete: ProcessMemory;
  /** One tree of processes per debuggee (a direct child of the server), while the sessions were held. */
  debuggees: DebuggeeTree[];
  /** Debuggee processes (descendants of the server: sandbox, interpreter) while the sessions were held. */
  debuggeeProcesses: number;
  /** Descendants of the server still alive after every session was deleted (and 5 s of waiting). */
  leftoverProcesses: number[];
  failures: string[];
}

/**
 * Creates `perLanguage` paused sessions per program over HTTP (a few at a time), reads the server's VmRSS and
 * that of its descendant processes (the debuggees) while all are held, steps each once, deletes them all and
 * checks that no descendant process is left.
 *
 * @example
 * const result = await measureLiveSessions(http, plumb.server.pid, [javascriptProgram, pythonProgram], { perLanguage: 25 });
 */
export async function measureLiveSessions(
  http: DebugHttpClient[],
  serverPid: number,
  programs: SessionProgram[],
  options: { perLanguage: number },
): Promise<LiveSessionsResult> {
  const serverBefore = await readProcessMemory(serverPid);
  const pending = programs.flatMap((program) => Array.from({ length: options.perLanguage }, () => program));
  const requested = pending.length;
  const ids: string[] = [];
  const failures: string[] = [];
  const started = performance.now();
  // One worker per connection: each creates sessions one after another, as several clients would.
  await Promise.all(
    http.map(async (client) => {
      for (let program = pending.shift(); program !== undefined; program = pending.shift()) {
        try {
          const session = await client.create(program, { stopOnEntry: true });
          ids.push(session.id);
          if (lineOf(session) === undefined) failures.push(`${program.name} create: ${describe(session)}`);
        } catch (error) {
          failures.push(`${program.name} create: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );
  const createSeconds = (performance.now() - started) / 1000;
  const serverWhileHeld = await readProcessMemory(serverPid);
  const debuggees = await readDebuggeeTrees(serverPid);
  let answeredStep = 0;
  const client = http[0]!;
  for (const id of ids) {
    try {
      const answer = await client.command(id, 'step_over');
      if (lineOf(answer) !== undefined) answeredStep += 1;
      else failures.push(`step in ${id}: ${describe(answer)}`);
    } catch (error) {
      failures.push(`step in ${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const id of ids) {
    await client.remove(id).catch((error: unknown) => {
      failures.push(`delete ${id}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  const existing = new Set(serverBefore.descendantPids);
  const leftovers = async () => {
    const memory = await readProcessMemory(serverPid);
    return { memory, pids: memory.descendantPids.filter((pid) => !existing.has(pid)) };
  };
  let after = await leftovers();
  const deadline = performance.now() + 5000;
  while (after.pids.length > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = await leftovers();
  }
  return {
    requested,
    created: ids.length,
    answeredStep,
    createSeconds,
    serverBefore,
    serverWhileHeld,
    serverAfterDelete: after.memory,
    debuggees,
    debuggeeProcesses: serverWhileHeld.descendantPids.length - existing.size,
    leftoverProcesses: after.pids,
    failures,
  };
}
