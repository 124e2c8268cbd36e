import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A large project for scale tests and benchmarks: a lockfile v3 over `names` (the first ten are direct
 * dependencies) and, for each name, a packument shaped like the npm registry's (three versions with publish
 * times, licenses, engines) written to `<registryDirectory>/npm/`, for the recorded registry to serve.
 * The documents are generated, not recorded: only their shape and count matter for timing.
 *
 * @example const { lockfile, manifest } = await writeSyntheticProject(directory, npmHighImpact.slice(0, 1500));
 */
export async function writeSyntheticProject(
  registryDirectory: string,
  names: readonly string[],
): Promise<{ lockfile: string; manifest: string }> {
  await mkdir(path.join(registryDirectory, 'npm'), { recursive: true });
  const packages: Record<string, unknown> = { '': { name: 'large-app', version: '1.0.0', dependencies: {} } };
  const direct: Record<string, string> = {};
  await Promise.all(
    names.map(async (name, index) => {
      const versions = ['1.0.0', '1.1.0', '2.0.0'];
      const document = {
        _id: name,
        name,
        'dist-tags': { latest: '2.0.0' },
        versions: Object.fromEntries(
          versions.map((version) => [
            version,
            {
              name,
              version,
              license: index % 50 === 0 ? 'GPL-3.0-only' : 'MIT',
              engines: { node: '>=14' },
              dist: {
                tarball: `https://registry.npmjs.org/${name}/-/${name.split('/').at(-1) ?? name}-${version}.tgz`,
              },
            },
          ]),
        ),
        time: {
          created: '2020-01-01T00:00:00.000Z',
          modified: '2024-06-01T00:00:00.000Z',
          '1.0.0': '2020-01-01T00:00:00.000Z',
          '1.1.0': '2022-01-01T00:00:00.000Z',
          '2.0.0': '2024-06-01T00:00:00.000Z',
        },
      };
      await writeFile(
        path.join(registryDirectory, 'npm', `${encodeURIComponent(name)}.json`),
        JSON.stringify(document),
      );
      const version = index % 3 === 0 ? '1.1.0' : '2.0.0';
      packages[`node_modules/${name}`] = {
        version,
        resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').at(-1) ?? name}-${version}.tgz`,
        license: 'MIT',
      };
      if (index < 10) direct[name] = `^${version}`;
    }),
  );
  (packages[''] as { dependencies: Record<string, string> }).dependencies = direct;
  return {
    lockfile: JSON.stringify(
      { name: 'large-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
      null,
      2,
    ),
    manifest: JSON.stringify({ name: 'large-app', version: '1.0.0', dependencies: direct }, null, 2),
  };
}
