import { PlumbError } from '@plumb/protocol';
import type { DeclaredDependency } from './declared-dependency.ts';
import { createLineIndex, jsonMemberPositions } from './json-member-positions.ts';
import { parseJsonManifest } from './parse-json-manifest.ts';

/**
 * Installed packages of a `package-lock.json` (lockfileVersion 2 or 3, the `packages` map). Links, the root
 * entry and packages not from the registry are skipped. `direct` holds the versions of top-level
 * `node_modules/<name>` entries, used to resolve what package.json declares.
 *
 * @example parsePackageLock('{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"}}}').packages[0]?.name // => 'a'
 */
export function parsePackageLock(
  content: string,
  file = 'package-lock.json',
): { packages: DeclaredDependency[]; direct: Map<string, string>; warnings: string[] } {
  const lock = parseJsonManifest(content, file);
  const warnings: string[] = [];
  const packages: DeclaredDependency[] = [];
  const direct = new Map<string, string>();
  const entries = lock.packages;
  if (entries === undefined) {
    warnings.push(
      `${file}: lockfileVersion ${typeof lock.lockfileVersion === 'number' ? lock.lockfileVersion : 1} has no "packages" map; only versions 2 and 3 are read. Run \`npm install --lockfile-version 3\` to upgrade it.`,
    );
    return { packages, direct, warnings };
  }
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries))
    throw new PlumbError('manifest_invalid', `${file}: "packages" must be an object keyed by install path.`, {
      param: file,
    });
  const positions = jsonMemberPositions(content, 2);
  const locate = createLineIndex(content);
  const seen = new Set<string>();
  for (const [key, raw] of Object.entries(entries as Record<string, unknown>)) {
    if (key === '' || typeof raw !== 'object' || raw === null) continue;
    const entry = raw as Record<string, unknown>;
    if (entry.link === true || typeof entry.version !== 'string') continue;
    const marker = key.lastIndexOf('node_modules/');
    if (marker === -1) continue; // a workspace folder, not an installed package
    const name = typeof entry.name === 'string' ? entry.name : key.slice(marker + 'node_modules/'.length);
    const resolved = typeof entry.resolved === 'string' ? entry.resolved : '';
    if (resolved !== '' && !/^https?:/.test(resolved)) continue;
    if (key === `node_modules/${name}` || key === `node_modules/${key.slice(13)}`) {
      if (marker === 0) direct.set(key.slice(13), entry.version);
    }
    const identity = `${name}@${entry.version}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const keyOffset = positions.get(`packages\u0000${key}`)?.keyOffset;
    packages.push({
      name,
      ecosystem: 'npm',
      declared: entry.version,
      locked: entry.version,
      source: { file, line: keyOffset === undefined ? undefined : locate(keyOffset).line },
      origin: 'lockfile',
      section: entry.dev === true ? 'dev' : 'prod',
    });
  }
  return { packages, direct, warnings };
}
