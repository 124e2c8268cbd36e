import { describe, expect, it } from 'vitest';
import { checkDependencies } from './check-dependencies.ts';
import { createNpmRegistryClient } from './npm-registry-client.ts';
import { runRegistryClientContract } from './registry-client.contract.ts';
import { resolveNpmRegistryUrl } from './resolve-npm-registry-url.ts';

// Opt-in: these talk to the registry npm itself is configured for (npm_config_registry, .npmrc, default).
const live = process.env.PLUMB_LIVE_REGISTRY === '1';
const registryUrl = resolveNpmRegistryUrl({ environment: process.env, projectRoot: process.cwd() });

describe.runIf(live)(`npm client against the live registry ${registryUrl}`, () => {
  runRegistryClientContract({
    create: () => createNpmRegistryClient({ registryUrl }),
    existing: 'semver',
    missing: 'react-native-secure-file-upload-helper',
    alternateSpelling: '@babel/core',
  });

  it('checks a real manifest end to end', async () => {
    const result = await checkDependencies({
      manifests: [
        {
          path: 'package.json',
          content: '{"dependencies": {"chart.js": "4.0.0-alpha.3", "lodahs": "^4.17.21"}}',
        },
      ],
      registry: createNpmRegistryClient({ registryUrl }),
    });
    const [chart, lodahs] = result.dependencies;
    expect(chart?.verdicts.find((verdict) => verdict.check === 'prerelease')?.status).toBe('fail');
    expect(chart?.recommendation?.version).toMatch(/^4\.\d+\.\d+$/);
    expect(lodahs?.status).toBe('fail');
  }, 60_000);
});

describe.skipIf(live)('npm client against the live registry', () => {
  it.skip(`skipped: set PLUMB_LIVE_REGISTRY=1 to run the RegistryClient contract against ${registryUrl}`, () => {});
});
