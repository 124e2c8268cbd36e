import { createNpmAdvisoryClient, createOsvAdvisoryClient } from './advisory-clients.ts';
import { createNpmRegistryClient } from './npm-registry-client.ts';
import { createPypiRegistryClient } from './pypi-registry-client.ts';
import type { AdvisoryClient, RegistryClient } from './registry-client.ts';

export interface DependencyClientsOptions {
  /** npm registry (see `resolveNpmRegistryUrl`); default https://registry.npmjs.org/. */
  npmRegistryUrl?: string | undefined;
  /** PyPI JSON API base; default https://pypi.org/. */
  pypiUrl?: string | undefined;
  /** OSV API base; default https://api.osv.dev/. */
  osvUrl?: string | undefined;
  /** Ask the advisory services (npm bulk advisories, OSV); default true. */
  advisories?: boolean | undefined;
  /** ETag cache directory shared by every client. */
  cacheDirectory?: string | undefined;
  offline?: boolean | undefined;
  timeoutMs?: number | undefined;
  retries?: number | undefined;
}

/**
 * The registry and advisory clients `checkDependencies` needs, configured alike: npm and PyPI registries,
 * npm's bulk advisory endpoint and OSV, one cache directory.
 *
 * @example
 * const { registry, advisories } = createDependencyClients({ cacheDirectory: '~/.plumb/registry-cache' });
 * await checkDependencies({ projectRoot: '.', registry, advisories });
 */
export function createDependencyClients(options: DependencyClientsOptions = {}): {
  registry: RegistryClient[];
  advisories: AdvisoryClient[];
} {
  const http = {
    cacheDirectory: options.cacheDirectory,
    offline: options.offline,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
  };
  return {
    registry: [
      createNpmRegistryClient({ ...http, registryUrl: options.npmRegistryUrl }),
      createPypiRegistryClient({ ...http, indexUrl: options.pypiUrl }),
    ],
    advisories:
      options.advisories === false
        ? []
        : [
            createNpmAdvisoryClient({ ...http, registryUrl: options.npmRegistryUrl }),
            createOsvAdvisoryClient({ ...http, apiUrl: options.osvUrl }),
          ],
  };
}
