import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { repositoryRoot } from './start-child-server.ts';

/** The machine a run measured on: results from different machines are not comparable, ratios mostly are. */
export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  availableParallelism: number;
  /** 1, 5 and 15 minute load averages when the run started: a busy shared machine shows here. */
  loadAverageAtStart: number[];
  totalMemoryMiB: number;
  freeMemoryMiB: number;
  platform: string;
  osRelease: string;
  arch: string;
  nodeVersion: string;
  /** `git rev-parse HEAD` and whether the work tree had changes; undefined outside git. */
  gitCommit?: string;
  gitDirty?: boolean;
}

/**
 * Collects CPU, memory, OS, Node and git facts for the results file.
 *
 * @example
 * const machine = collectMachineInfo();
 */
export function collectMachineInfo(): MachineInfo {
  const cpus = os.cpus();
  const info: MachineInfo = {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    availableParallelism: os.availableParallelism(),
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    freeMemoryMiB: Math.round(os.freemem() / 2 ** 20),
    platform: os.platform(),
    osRelease: os.release(),
    arch: os.arch(),
    nodeVersion: process.version,
  };
  try {
    const git = (...parameters: string[]) =>
      execFileSync('git', parameters, {
        cwd: repositoryRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    info.gitCommit = git('rev-parse', 'HEAD').trim();
    info.gitDirty = git('status', '--porcelain').trim() !== '';
  } catch {
    // Not a git checkout (or no commit yet): the results file simply has no commit.
  }
  return info;
}
