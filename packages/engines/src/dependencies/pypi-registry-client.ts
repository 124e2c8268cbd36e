import { PlumbError } from '@plumb/protocol';
import type { PackageDocument, PackageVersion } from './package-document.ts';
import type { RegistryClient } from './registry-client.ts';
import { createRegistryHttp, type RegistryHttpOptions } from './registry-http.ts';

export interface PypiRegistryClientOptions extends RegistryHttpOptions {
  /** Base URL of the JSON API; default `https://pypi.org/`. Requests go to `<base>pypi/<name>/json`. */
  indexUrl?: string | undefined;
}

/**
 * A PyPI client over the JSON API (`/pypi/<name>/json`): releases, upload times, yanked flags, requires_python.
 *
 * @example (await createPypiRegistryClient().getPackage('PyYAML'))?.distTags.latest
 */
export function createPypiRegistryClient(options: PypiRegistryClientOptions = {}): RegistryClient {
  const http = createRegistryHttp(options);
  const base = (options.indexUrl ?? 'https://pypi.org/').replace(/\/?$/, '/');
  return {
    ecosystem: 'pypi',
    async getPackage(name, getOptions = {}) {
      const normalized = normalizePypiName(name);
      if (!/^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/.test(normalized)) return null;
      const url = `${base}pypi/${normalized}/json`;
      const response = await http.getJson(url, 'application/json', { offline: getOptions.offline });
      if (response.status === 'not_found') return null;
      return parsePypiDocument(response.body, url);
    },
    stats: () => http.stats(),
  };
}

/**
 * PEP 503 name normalization: lower case, runs of `-`, `_`, `.` become one `-`.
 *
 * @example normalizePypiName('Python_Dateutil') // => 'python-dateutil'
 */
export function normalizePypiName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

/**
 * Normalizes a PyPI JSON API document. A release is yanked when every one of its files is; its publish time is
 * its earliest upload; its `requires_python` comes from its files.
 *
 * @example parsePypiDocument({ info: { name: 'x', version: '1.0' }, releases: { '1.0': [] } }).distTags.latest // => '1.0'
 */
export function parsePypiDocument(body: unknown, source = 'PyPI'): PackageDocument {
  const info = isRecord(body) && isRecord(body.info) ? body.info : undefined;
  if (!isRecord(body) || !info || typeof info.name !== 'string')
    throw new PlumbError(
      'registry_unavailable',
      `${source} answered with a document that is not a PyPI JSON API project (no "info.name"). Check the index URL.`,
    );
  const releases = isRecord(body.releases) ? body.releases : {};
  const versions: PackageVersion[] = [];
  for (const [version, rawFiles] of Object.entries(releases)) {
    const files = Array.isArray(rawFiles) ? rawFiles.filter(isRecord) : [];
    const uploads = files
      .map((file) => (typeof file.upload_time_iso_8601 === 'string' ? file.upload_time_iso_8601 : undefined))
      .filter((time): time is string => time !== undefined)
      .sort();
    const yanked = files.length > 0 && files.every((file) => file.yanked === true);
    const reason = files.find((file) => typeof file.yanked_reason === 'string' && file.yanked_reason !== '');
    const requiresPython = files.find(
      (file) => typeof file.requires_python === 'string' && file.requires_python !== '',
    );
    versions.push({
      version,
      publishedAt: uploads[0],
      yanked,
      yankedReason: yanked && reason ? String(reason.yanked_reason) : undefined,
      requiresPython: requiresPython ? String(requiresPython.requires_python) : undefined,
    });
  }
  const license =
    typeof info.license_expression === 'string' && info.license_expression !== ''
      ? info.license_expression
      : typeof info.license === 'string' && info.license !== '' && info.license.length < 64
        ? info.license
        : classifierLicense(info.classifiers);
  const latest = typeof info.version === 'string' ? info.version : undefined;
  if (latest && typeof info.requires_python === 'string') {
    const current = versions.find((version) => version.version === latest);
    if (current && !current.requiresPython && info.requires_python !== '')
      current.requiresPython = info.requires_python;
  }
  return {
    name: info.name,
    ecosystem: 'pypi',
    distTags: latest ? { latest } : {},
    versions,
    hasPublishTimes: versions.some((version) => version.publishedAt !== undefined),
    unpublished: versions.length === 0,
    license,
  };
}

const classifierLicenses: Record<string, string> = {
  'MIT License': 'MIT',
  'BSD License': 'BSD-3-Clause',
  'Apache Software License': 'Apache-2.0',
  'ISC License (ISCL)': 'ISC',
  'Python Software Foundation License': 'PSF-2.0',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'GNU General Public License v3 (GPLv3)': 'GPL-3.0',
  'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0',
};

function classifierLicense(classifiers: unknown): string | undefined {
  if (!Array.isArray(classifiers)) return undefined;
  for (const classifier of classifiers) {
    if (typeof classifier !== 'string' || !classifier.startsWith('License :: OSI Approved :: ')) continue;
    const name = classifier.slice('License :: OSI Approved :: '.length);
    return classifierLicenses[name] ?? name;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
