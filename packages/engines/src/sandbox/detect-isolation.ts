import { spawnSync } from 'node:child_process';

/** How the sandbox can cut a process off from the network and the file system on this machine. */
export type IsolationMethod = 'bubblewrap' | 'unshare' | 'none';

let detected: IsolationMethod | undefined;

/**
 * Finds the strongest isolation that actually works here (a binary can be installed yet refused by the kernel,
 * e.g. unprivileged user namespaces disabled), once per process: bubblewrap (read-only root, private /tmp,
 * no network, own PID namespace), else `unshare -Urn` (no network), else none.
 *
 * @example detectIsolation() // => 'bubblewrap' on Debian with the bubblewrap package
 */
export function detectIsolation(): IsolationMethod {
  if (detected) return detected;
  const bubblewrap = spawnSync(
    'bwrap',
    ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-net', '--unshare-pid', 'true'],
    { stdio: 'ignore', timeout: 5_000 },
  );
  if (bubblewrap.status === 0) return (detected = 'bubblewrap');
  const unshare = spawnSync('unshare', ['-Urn', 'true'], { stdio: 'ignore', timeout: 5_000 });
  if (unshare.status === 0) return (detected = 'unshare');
  return (detected = 'none');
}
