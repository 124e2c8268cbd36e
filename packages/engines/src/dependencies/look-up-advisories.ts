import type { DeclaredDependency } from './declared-dependency.ts';
import type { Advisory, Ecosystem, PackageDocument } from './package-document.ts';
import { advisoryKey, type AdvisoryClient } from './registry-client.ts';
import { versionSchemeOf } from './version-scheme.ts';

/**
 * Asks every advisory client about every package found (its resolved version and its 30 newest stable
 * versions, so recommendations can avoid vulnerable ones) and merges the answers, one entry per advisory
 * across its ids and aliases. A client that fails sets `failed` and adds a warning; it never throws.
 *
 * @example const { byKey } = await lookUpAdvisories({ clients: [osv], declared, documents, resolved, keyOf, warnings });
 */
export async function lookUpAdvisories(options: {
  clients: AdvisoryClient[];
  declared: DeclaredDependency[];
  /** Registry answers by `keyOf(dependency)`: a document, `null` (not found) or the lookup's error. */
  documents: Map<string, PackageDocument | null | Error>;
  resolved: Map<DeclaredDependency, string | undefined>;
  keyOf: (dependency: DeclaredDependency) => string;
  warnings: string[];
}): Promise<{ byKey: Map<string, Advisory[]>; failed: boolean }> {
  const { clients, declared, documents, resolved, keyOf, warnings } = options;
  const byKey = new Map<string, Advisory[]>();
  if (clients.length === 0) return { byKey, failed: false };
  const queries = new Map<string, { ecosystem: Ecosystem; name: string; versions: Set<string> }>();
  for (const dependency of declared) {
    const document = documents.get(keyOf(dependency));
    if (!document || document instanceof Error) continue;
    const key = keyOf(dependency);
    const query = queries.get(key) ?? {
      ecosystem: dependency.ecosystem,
      name: document.name,
      versions: new Set<string>(),
    };
    queries.set(key, query);
    const version = resolved.get(dependency);
    if (version) query.versions.add(version);
    // Candidates too, so the recommendation can avoid vulnerable versions.
    const scheme = versionSchemeOf(dependency.ecosystem);
    document.versions
      .filter((candidate) => scheme.isValid(candidate.version) && !scheme.isPrerelease(candidate.version))
      .sort((left, right) => scheme.compare(right.version, left.version))
      .slice(0, 30)
      .forEach((candidate) => query.versions.add(candidate.version));
  }
  let failed = false;
  for (const client of clients) {
    try {
      const answer = await client.getAdvisories(
        [...queries.values()].map((query) => ({ ...query, versions: [...query.versions] })),
      );
      for (const [key, query] of queries) {
        const found = answer.get(advisoryKey(query.ecosystem, query.name)) ?? answer.get(key);
        if (!found) continue;
        const known = byKey.get(key) ?? [];
        const ids = new Set(known.flatMap((advisory) => [advisory.id, ...advisory.aliases]));
        byKey.set(key, [
          ...known,
          ...found.filter(
            (advisory) => !ids.has(advisory.id) && !advisory.aliases.some((alias) => ids.has(alias)),
          ),
        ]);
      }
    } catch (error) {
      failed = true;
      warnings.push(
        `Advisories could not be fetched (${error instanceof Error ? error.message : String(error)}); vulnerability checks are incomplete.`,
      );
    }
  }
  return { byKey, failed };
}
