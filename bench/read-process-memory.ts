import { readFile, readdir } from 'node:fs/promises';

/** Resident memory of one process, and of its descendants should it have spawned any. */
export interface ProcessMemory {
  pid: number;
  /** VmRSS of the process itself, KiB. */
  residentKibibytes: number;
  /** VmRSS of every descendant process (tsx runs in-process, so normally none), KiB. */
  descendantsResidentKibibytes: number;
  descendantPids: number[];
}

/**
 * Reads VmRSS from `/proc/<pid>/status` (Linux only) for a process and its descendants.
 *
 * @example
 * const memory = await readProcessMemory(child.pid);
 * console.log(memory.residentKibibytes);
 */
export async function readProcessMemory(pid: number): Promise<ProcessMemory> {
  const residentKibibytes = await readResidentKibibytes(pid);
  const descendantPids = await listDescendants(pid);
  let descendantsResidentKibibytes = 0;
  for (const descendant of descendantPids) {
    descendantsResidentKibibytes += await readResidentKibibytes(descendant).catch(() => 0);
  }
  return { pid, residentKibibytes, descendantsResidentKibibytes, descendantPids };
}

/**
 * The command line of a process, to check that the pid measured is the server and not a wrapper.
 *
 * @example
 * await readCommandLine(process.pid); // ['node', '--import', 'tsx', ...]
 */
export async function readCommandLine(pid: number): Promise<string[]> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
  return raw.split('\0').filter((part) => part !== '');
}

async function readResidentKibibytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no VmRSS line; is the process a zombie?`);
  return Number(match[1]);
}

async function listDescendants(pid: number): Promise<number[]> {
  const found: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop()!;
    // Children are listed per thread; a process's children may hang off any of its threads.
    const threads = await readdir(`/proc/${current}/task`).catch(() => [] as string[]);
    for (const thread of threads) {
      const children = await readFile(`/proc/${current}/task/${thread}/children`, 'utf8').catch(() => '');
      for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
        found.push(child);
        pending.push(child);
      }
    }
  }
  return found;
}
