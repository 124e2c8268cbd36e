import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Bounds so a huge history cannot exhaust memory: commits read and bytes of `git log` output. */
export const churnLimits = { maxCommits: 20_000, maxOutputBytes: 64 * 1024 * 1024, timeoutMs: 60_000 };

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Commits per file (paths relative to `root`) in the year before `now`, from
 * `git log --format= --name-only --relative --since=<date> --until=<now>` run in `root`. Returns null with a warning when
 * `root` is not inside a git work tree or git fails, so the analysis goes on without hotspots.
 *
 * @example (await measureGitChurn('/repo', new Date(), [])).churn?.get('src/app.ts') // => 12
 */
export async function measureGitChurn(
  root: string,
  now: Date,
  warnings: string[],
): Promise<{ churn: Map<string, number>; since: string } | null> {
  try {
    const { stdout } = await execFileAsync('git', ['rev-parse', '--is-inside-work-tree'], {
      cwd: root,
      timeout: 10_000,
    });
    if (stdout.trim() !== 'true') throw new Error('not inside a work tree');
  } catch {
    warnings.push(
      `${root} is not a git repository (or git is not installed): hotspots need git churn and were skipped.`,
    );
    return null;
  }
  const since = new Date(now.getTime() - 365 * dayMs).toISOString();
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(
      'git',
      [
        '-c',
        'core.quotePath=false',
        'log',
        '--format=%x00',
        '--name-only',
        '--relative',
        `--since=${since}`,
        `--until=${now.toISOString()}`,
        `--max-count=${churnLimits.maxCommits}`,
      ],
      { cwd: root, maxBuffer: churnLimits.maxOutputBytes, timeout: churnLimits.timeoutMs },
    ));
  } catch (error) {
    warnings.push(
      `git log failed in ${root} (${(error as Error).message.split('\n')[0]}): hotspots were skipped.`,
    );
    return null;
  }
  const churn = new Map<string, number>();
  // Each commit starts with a NUL line (the format), so commits can be counted to detect the cap.
  const commits = stdout.split('\0');
  for (const commit of commits.slice(1)) {
    for (const line of commit.split('\n')) {
      const file = line.trim();
      if (file !== '') churn.set(file, (churn.get(file) ?? 0) + 1);
    }
  }
  if (commits.length - 1 >= churnLimits.maxCommits)
    warnings.push(
      `Churn counts only the newest ${churnLimits.maxCommits} commits since ${since.slice(0, 10)}.`,
    );
  return { churn, since };
}
