import semver from 'semver';
import type { Advisory, Ecosystem } from './package-document.ts';
import { comparePep440Text } from './pep440.ts';
import { advisoryKey, type AdvisoryClient } from './registry-client.ts';
import { createRegistryHttp, type RegistryHttpOptions } from './registry-http.ts';

export interface NpmAdvisoryClientOptions extends RegistryHttpOptions {
  /** npm registry base URL; the endpoint is `<registry>-/npm/v1/security/advisories/bulk`. */
  registryUrl?: string | undefined;
}

/**
 * The npm bulk advisory endpoint (what `npm audit` uses): POST `{ name: [versions] }`, answered with the
 * advisories whose `vulnerable_versions` include any of them. npm packages only.
 *
 * @example await createNpmAdvisoryClient().getAdvisories([{ ecosystem: 'npm', name: 'lodash', versions: ['4.17.15'] }])
 */
export function createNpmAdvisoryClient(options: NpmAdvisoryClientOptions = {}): AdvisoryClient {
  const http = createRegistryHttp(options);
  const url = `${(options.registryUrl ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/')}-/npm/v1/security/advisories/bulk`;
  return {
    async getAdvisories(queries) {
      const result = new Map<string, Advisory[]>();
      const body: Record<string, string[]> = {};
      for (const query of queries) {
        if (query.ecosystem !== 'npm') continue;
        body[query.name] = [...new Set([...(body[query.name] ?? []), ...query.versions])];
        result.set(advisoryKey('npm', query.name), []);
      }
      if (Object.keys(body).length === 0) return result;
      const response = await http.postJson(url, body);
      if (response.status !== 'ok' || !isRecord(response.body)) return result;
      for (const [name, entries] of Object.entries(response.body)) {
        if (!Array.isArray(entries)) continue;
        result.set(advisoryKey('npm', name), entries.filter(isRecord).map(parseNpmBulkAdvisory));
      }
      return result;
    },
    stats: () => http.stats(),
  };
}

function parseNpmBulkAdvisory(entry: Record<string, unknown>): Advisory {
  const url = typeof entry.url === 'string' ? entry.url : undefined;
  const ghsa = url ? /GHSA-[\w-]+/.exec(url)?.[0] : undefined;
  const range = typeof entry.vulnerable_versions === 'string' ? entry.vulnerable_versions : '*';
  return {
    id: ghsa ?? String(entry.id),
    aliases: ghsa ? [String(entry.id)] : [],
    summary: typeof entry.title === 'string' ? entry.title : 'Security advisory',
    severity: severityOf(entry.severity),
    vulnerableRange: range,
    semverRange: range,
    ranges: [],
    fixedIn: undefined,
    url,
  };
}

export interface OsvAdvisoryClientOptions extends RegistryHttpOptions {
  /** OSV API base URL; default `https://api.osv.dev/`. */
  apiUrl?: string | undefined;
}

/**
 * OSV (`/v1/querybatch`, then `/v1/vulns/<id>` for the details, since querybatch answers only ids) for PyPI
 * and npm. Queries by package, so the answer covers every version and the recommendation can avoid them all.
 *
 * @example await createOsvAdvisoryClient().getAdvisories([{ ecosystem: 'pypi', name: 'PyYAML', versions: ['5.3'] }])
 */
export function createOsvAdvisoryClient(options: OsvAdvisoryClientOptions = {}): AdvisoryClient {
  const http = createRegistryHttp(options);
  const base = (options.apiUrl ?? 'https://api.osv.dev/').replace(/\/?$/, '/');
  return {
    async getAdvisories(queries) {
      const result = new Map<string, Advisory[]>();
      const unique = [
        ...new Map(queries.map((query) => [advisoryKey(query.ecosystem, query.name), query])).values(),
      ];
      // OSV limits a batch to 1000 queries.
      for (let start = 0; start < unique.length; start += 1000) {
        const batch = unique.slice(start, start + 1000);
        const response = await http.postJson(`${base}v1/querybatch`, {
          queries: batch.map((query) => ({
            package: { name: query.name, ecosystem: query.ecosystem === 'npm' ? 'npm' : 'PyPI' },
          })),
        });
        const results =
          response.status === 'ok' && isRecord(response.body) && Array.isArray(response.body.results)
            ? response.body.results
            : [];
        await Promise.all(
          batch.map(async (query, index) => {
            const entry: unknown = results[index];
            const ids =
              isRecord(entry) && Array.isArray(entry.vulns)
                ? entry.vulns.filter(isRecord).map((vuln) => String(vuln.id))
                : [];
            const advisories: Advisory[] = [];
            for (const id of ids) {
              const detail = await http.getJson(
                `${base}v1/vulns/${encodeURIComponent(id)}`,
                'application/json',
              );
              if (detail.status === 'ok' && isRecord(detail.body))
                advisories.push(parseOsvVulnerability(detail.body, query.ecosystem, query.name));
            }
            result.set(advisoryKey(query.ecosystem, query.name), advisories);
          }),
        );
      }
      return result;
    },
    stats: () => http.stats(),
  };
}

/**
 * Normalizes one OSV vulnerability record for the given package.
 *
 * @example parseOsvVulnerability({ id: 'PYSEC-1', affected: [] }, 'pypi', 'x').id // => 'PYSEC-1'
 */
export function parseOsvVulnerability(
  record: Record<string, unknown>,
  ecosystem: Ecosystem,
  name: string,
): Advisory {
  const normalize = (text: string) =>
    ecosystem === 'pypi' ? text.toLowerCase().replace(/[-_.]+/g, '-') : text;
  const affected = (Array.isArray(record.affected) ? record.affected.filter(isRecord) : []).filter((item) => {
    const pkg = isRecord(item.package) ? item.package : {};
    return typeof pkg.name !== 'string' || normalize(pkg.name) === normalize(name);
  });
  const ranges: Advisory['ranges'] = [];
  const versions: string[] = [];
  for (const item of affected) {
    if (Array.isArray(item.versions))
      versions.push(...item.versions.filter((v): v is string => typeof v === 'string'));
    for (const range of Array.isArray(item.ranges) ? item.ranges.filter(isRecord) : []) {
      if (range.type === 'GIT') continue;
      let current: Advisory['ranges'][number] | undefined;
      for (const event of Array.isArray(range.events) ? range.events.filter(isRecord) : []) {
        if (typeof event.introduced === 'string') {
          current = { introduced: event.introduced };
          ranges.push(current);
        } else if (current && typeof event.fixed === 'string') current.fixed = event.fixed;
        else if (current && typeof event.last_affected === 'string')
          current.lastAffected = event.last_affected;
      }
    }
  }
  const fixes = ranges.map((range) => range.fixed).filter((fixed): fixed is string => fixed !== undefined);
  const databaseSpecific = isRecord(record.database_specific) ? record.database_specific : {};
  return {
    id: String(record.id),
    aliases: Array.isArray(record.aliases) ? record.aliases.map(String) : [],
    summary:
      typeof record.summary === 'string'
        ? record.summary
        : (typeof record.details === 'string' ? record.details : 'Vulnerability').slice(0, 200),
    severity: severityOf(databaseSpecific.severity),
    vulnerableRange:
      ranges
        .map(
          (range) =>
            [
              range.introduced && range.introduced !== '0' ? `>=${range.introduced}` : '',
              range.fixed ? `<${range.fixed}` : range.lastAffected ? `<=${range.lastAffected}` : '',
            ]
              .filter(Boolean)
              .join(', ') || '*',
        )
        .join(' || ') || (versions.length > 0 ? versions.join(', ') : '*'),
    ranges,
    versions: versions.length > 0 ? versions : undefined,
    fixedIn: fixes.sort(ecosystem === 'npm' ? (a, b) => semver.compare(a, b) : comparePep440Text).at(-1),
  };
}

/**
 * Whether an advisory affects `version`.
 *
 * @example advisoryAffects({ semverRange: '<4.17.21', ranges: [] } as Advisory, '4.17.15', 'npm') // => true
 */
export function advisoryAffects(advisory: Advisory, version: string, ecosystem: Ecosystem): boolean {
  if (advisory.semverRange !== undefined)
    return (
      semver.valid(version) !== null &&
      semver.satisfies(version, advisory.semverRange, { includePrerelease: true })
    );
  if (advisory.versions?.includes(version)) return true;
  const compare =
    ecosystem === 'npm'
      ? (a: string, b: string) =>
          semver.valid(a) && semver.valid(b) ? semver.compare(a, b) : a.localeCompare(b)
      : comparePep440Text;
  return advisory.ranges.some((range) => {
    const introduced = range.introduced ?? '0';
    if (introduced !== '0' && compare(version, introduced) < 0) return false;
    if (range.fixed !== undefined) return compare(version, range.fixed) < 0;
    if (range.lastAffected !== undefined) return compare(version, range.lastAffected) <= 0;
    return true;
  });
}

function severityOf(value: unknown): Advisory['severity'] {
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (text === 'medium') return 'moderate';
  return text === 'low' || text === 'moderate' || text === 'high' || text === 'critical' ? text : 'unknown';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
