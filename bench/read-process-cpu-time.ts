import { readFile, readdir } from 'node:fs/promises';

/**
 * CPU time a process has run so far, in nanoseconds, summed over all its threads (the main thread, libuv's
 * pool, V8's GC helpers) from `/proc/<pid>/task/<tid>/schedstat` (Linux only; nanosecond resolution, unlike
 * the 10 ms ticks of `/proc/<pid>/stat`). Time of threads that ended between two readings is lost, so compare
 * readings of a long-lived server. CPU time per request is what a noisy shared machine changes least: other
 * processes delay a server's requests but do not make it spend more CPU on each.
 *
 * @example
 * const before = await readProcessCpuTime(server.pid);
 * // ... send requests ...
 * const microsecondsPerRequest = (await readProcessCpuTime(server.pid)) - before) / 1e3 / requests;
 */
export async function readProcessCpuTime(pid: number): Promise<number> {
  const threads = await readdir(`/proc/${pid}/task`);
  let nanoseconds = 0;
  for (const thread of threads) {
    const schedstat = await readFile(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').catch(() => '0');
    nanoseconds += Number(schedstat.split(' ')[0] ?? 0);
  }
  return nanoseconds;
}
