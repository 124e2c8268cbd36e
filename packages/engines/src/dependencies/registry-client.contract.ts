import { describe, expect, it } from 'vitest';
import type { RegistryClient } from './registry-client.ts';

/** What a contract run needs: a factory for the client under test and the names its documents contain. */
export interface RegistryClientContractOptions {
  create: () => RegistryClient | Promise<RegistryClient>;
  /** A package the registry has, with at least one stable version and publish times. */
  existing: string;
  /** A name the registry answers 404 for. */
  missing: string;
  /** A scoped (npm) or differently spelled (PyPI, `Python_Dateutil`) name the registry has, if any. */
  alternateSpelling?: string | undefined;
}

/**
 * The behaviour every `RegistryClient` implementation shares: normalized documents, `null` for unknown names,
 * no throw for odd names, and consistent stats. Each implementation's test calls this.
 *
 * @example runRegistryClientContract({ create: () => createNpmRegistryClient({ registryUrl }), existing: 'lodash', missing: 'lodahs-x' });
 */
export function runRegistryClientContract(options: RegistryClientContractOptions): void {
  describe('RegistryClient contract', () => {
    it('returns a normalized document for an existing package', async () => {
      const client = await options.create();
      const document = await client.getPackage(options.existing);
      expect(document).not.toBeNull();
      expect(document?.ecosystem).toBe(client.ecosystem);
      expect(document?.versions.length).toBeGreaterThan(0);
      const latest = document?.distTags.latest;
      expect(latest).toBeTypeOf('string');
      expect(document?.versions.some((version) => version.version === latest)).toBe(true);
      expect(document?.hasPublishTimes).toBe(true);
      for (const version of document?.versions ?? []) {
        expect(version.version).toBeTypeOf('string');
        if (version.publishedAt !== undefined)
          expect(Number.isNaN(Date.parse(version.publishedAt))).toBe(false);
      }
    });

    it('answers null for a name the registry does not have', async () => {
      const client = await options.create();
      expect(await client.getPackage(options.missing)).toBeNull();
    });

    it('answers null, without a request, for names no registry can hold', async () => {
      const client = await options.create();
      for (const name of ['', '../../etc/passwd', 'a b', '\u0000', 'x'.repeat(300)])
        expect(await client.getPackage(name)).toBeNull();
    });

    if (options.alternateSpelling !== undefined) {
      const spelling = options.alternateSpelling;
      it(`finds ${spelling} by its registry spelling`, async () => {
        const client = await options.create();
        const document = await client.getPackage(spelling);
        expect(document).not.toBeNull();
        expect(document?.versions.length).toBeGreaterThan(0);
      });
    }

    it('counts its requests and serves repeated lookups from its cache', async () => {
      const client = await options.create();
      await client.getPackage(options.existing);
      const first = client.stats();
      await client.getPackage(options.existing);
      const second = client.stats();
      expect(second.requests).toBe(first.requests);
      expect(second.cacheHits).toBe(first.cacheHits + 1);
    });
  });
}
