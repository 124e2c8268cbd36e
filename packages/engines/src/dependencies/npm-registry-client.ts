import { PlumbError } from '@plumb/protocol';
import type { PackageDocument, PackageVersion } from './package-document.ts';
import type { RegistryClient } from './registry-client.ts';
import { createRegistryHttp, type RegistryHttpOptions } from './registry-http.ts';

export interface NpmRegistryClientOptions extends RegistryHttpOptions {
  /** Registry base URL (see `resolveNpmRegistryUrl`); default `https://registry.npmjs.org/`. */
  registryUrl?: string | undefined;
}

const abbreviatedAccept = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

/**
 * An npm registry client. Full packuments when publish times are needed, abbreviated metadata otherwise;
 * scoped names are requested as `@scope%2fname`; 404 answers `null`.
 *
 * @example
 * const npm = createNpmRegistryClient({ registryUrl: resolveNpmRegistryUrl({ environment: process.env }) });
 * (await npm.getPackage('semver'))?.distTags.latest;
 */
export function createNpmRegistryClient(options: NpmRegistryClientOptions = {}): RegistryClient {
  const http = createRegistryHttp(options);
  const base = (options.registryUrl ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/');
  return {
    ecosystem: 'npm',
    async getPackage(name, getOptions = {}) {
      if (!isValidNpmName(name)) return null;
      const url = base + encodeNpmName(name);
      const needTimes = getOptions.needPublishTimes ?? true;
      const response = await http.getJson(url, needTimes ? 'application/json' : abbreviatedAccept, {
        offline: getOptions.offline,
      });
      if (response.status === 'not_found') return null;
      return parseNpmPackument(response.body, url);
    },
    stats: () => http.stats(),
  };
}

/**
 * `@scope/name` becomes `@scope%2fname`, as the npm CLI requests it.
 *
 * @example encodeNpmName('@babel/core') // => '@babel%2Fcore'
 */
export function encodeNpmName(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

/**
 * npm's naming rules (validate-npm-package-name, for new packages, plus the legacy upper case).
 *
 * @example isValidNpmName('@types-react') // => false
 */
export function isValidNpmName(name: string): boolean {
  if (name.length === 0 || name.length > 214) return false;
  return /^(?:@[a-z0-9~][a-z0-9._~-]*\/)?[a-z0-9~][a-z0-9._~-]*$/i.test(name);
}

/**
 * Normalizes a full or abbreviated npm packument.
 *
 * @example parseNpmPackument({ name: 'a', 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': {} } }).versions.length // => 1
 */
export function parseNpmPackument(body: unknown, source = 'the npm registry'): PackageDocument {
  if (!isRecord(body) || typeof body.name !== 'string')
    throw new PlumbError(
      'registry_unavailable',
      `${source} answered with a document that is not an npm packument (no "name"). Check that the registry URL points at an npm registry.`,
    );
  const time = isRecord(body.time) ? body.time : {};
  const rawVersions = isRecord(body.versions) ? body.versions : {};
  const versions: PackageVersion[] = [];
  for (const [version, raw] of Object.entries(rawVersions)) {
    const manifest = isRecord(raw) ? raw : {};
    const publishedAt = typeof time[version] === 'string' ? time[version] : undefined;
    versions.push({
      version,
      publishedAt,
      deprecated:
        typeof manifest.deprecated === 'string' && manifest.deprecated !== ''
          ? manifest.deprecated
          : undefined,
      engines: stringRecord(manifest.engines),
      peerDependencies: stringRecord(manifest.peerDependencies),
      license: licenseText(manifest.license),
      description: typeof manifest.description === 'string' ? manifest.description : undefined,
    });
  }
  const distTags = stringRecord(body['dist-tags']) ?? {};
  return {
    name: body.name,
    ecosystem: 'npm',
    distTags,
    versions,
    hasPublishTimes: versions.length > 0 && versions.every((version) => version.publishedAt !== undefined),
    unpublished: versions.length === 0 || isRecord(time.unpublished),
    license: licenseText(body.license),
  };
}

function licenseText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // Old packages write `{ type: "MIT", url }` or a list of those.
  if (isRecord(value) && typeof value.type === 'string') return value.type;
  if (Array.isArray(value)) {
    const types = value.map((item) =>
      isRecord(item) && typeof item.type === 'string' ? item.type : undefined,
    );
    if (types.every((type) => type !== undefined) && types.length > 0) return `(${types.join(' OR ')})`;
  }
  return undefined;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return Object.fromEntries(entries);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
