import { readFile, readdir } from 'node:fs/promises';

/** One debuggee: a direct child process of the server and everything under it (sandbox, interpreter). */
export interface DebuggeeTree {
  /** The direct child of the server. */
  rootPid: number;
  pids: number[];
  /** `python` when any process of the tree runs a Python interpreter, `javascript` when one runs node. */
  language: 'javascript' | 'python' | 'unknown';
  /** Summed VmRSS of the tree, KiB. */
  residentKibibytes: number;
}

async function childrenOf(pid: number): Promise<number[]> {
  const threads = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const children: number[] = [];
  for (const thread of threads) {
    const listed = await readFile(`/proc/${pid}/task/${thread}/children`, 'utf8').catch(() => '');
    children.push(...listed.split(/\s+/).filter(Boolean).map(Number));
  }
  return children;
}

async function residentKibibytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : 0;
}

async function commandLine(pid: number): Promise<string[]> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return raw.split('\0').filter(Boolean);
}

/**
 * Groups the descendants of `serverPid` by the server's direct child they descend from (one tree per debug
 * session: bubblewrap and the interpreter it runs), with the language each tree runs and its summed VmRSS
 * (Linux /proc only).
 *
 * @example
 * const trees = await readDebuggeeTrees(plumb.server.pid);
 * trees.filter((tree) => tree.language === 'python').length;
 */
export async function readDebuggeeTrees(serverPid: number): Promise<DebuggeeTree[]> {
  const trees: DebuggeeTree[] = [];
  for (const rootPid of await childrenOf(serverPid)) {
    const pids: number[] = [];
    const pending = [rootPid];
    while (pending.length > 0) {
      const pid = pending.pop()!;
      pids.push(pid);
      pending.push(...(await childrenOf(pid)));
    }
    let language: DebuggeeTree['language'] = 'unknown';
    let resident = 0;
    for (const pid of pids) {
      resident += await residentKibibytes(pid);
      const executable = (await commandLine(pid))[0] ?? '';
      const name = executable.split('/').at(-1) ?? '';
      if (/^python/.test(name)) language = 'python';
      else if (name === 'node' && language === 'unknown') language = 'javascript';
    }
    trees.push({ rootPid, pids, language, residentKibibytes: resident });
  }
  return trees;
}
