import { performance } from 'node:perf_hooks';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  createAccessTokenVerifier,
  createApiKeyStore,
  createMetering,
  openStorage,
  type Principal,
} from '@plumb/server';
import { median } from './summarize-samples.ts';
import { createTemporaryDirectory } from './temporary-directories.ts';

/** Median CPU cost of one request's auth or metering work, measured in process. */
export interface AuthCheckCost {
  label: string;
  microsecondsPerCall: number;
}

/**
 * Times the per-request work of authentication and metering on their own, in this process, on a fresh SQLite
 * data directory (the server's default storage): an API key check as the server does it (hash, then the
 * lookup remembered for 1 s), the same check reading storage every time (what it cost before), a JWT check
 * (ES256, verified once, then remembered), and metering's budget check plus usage event. Interleaved rounds,
 * median. Unlike the latency of a loaded server on a shared machine, this barely moves with other load, and in
 * a CPU-bound closed loop it is what the queue multiplies.
 *
 * @example
 * const costs = await measureAuthCheckCost({ rounds: 5, callsPerRound: 20_000 });
 */
export async function measureAuthCheckCost(options: {
  rounds: number;
  callsPerRound: number;
}): Promise<AuthCheckCost[]> {
  const storage = await openStorage({ dataDirectory: createTemporaryDirectory('plumb-bench-auth-cost-') });
  try {
    const cachedKeys = createApiKeyStore(storage);
    const uncachedKeys = createApiKeyStore(storage, { cacheMs: 0 });
    const { key } = await cachedKeys.create({ name: 'bench', scopes: ['code:read', 'code:write'] });

    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
    const issuer = 'http://127.0.0.1/oauth';
    const audience = 'http://127.0.0.1/v3';
    const token = await new SignJWT({ client_id: 'bench', scope: 'code:read code:write' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'bench' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('bench')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    const verify = createAccessTokenVerifier({
      issuer,
      audience,
      getPublicJwks: async () => ({ keys: [publicJwk] }),
    });

    const metering = createMetering({
      storage,
      prices: { models: { '*': { input: 1, output: 2 } }, computeUnit: 0.01 },
    });
    const principal: Principal = await cachedKeys.authenticate(key);
    let request = 0;
    const meter = async () => {
      await metering.beforeRequest(principal);
      await metering.recordChat({
        principal,
        requestId: `req-${(request += 1)}`,
        model: 'scripted/scripted-model',
        usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 },
        usageSource: 'provider',
        streamed: false,
      });
    };
    const subjects: Array<{ label: string; call: () => Promise<unknown> }> = [
      { label: 'API key (as served: lookup remembered 1 s)', call: () => cachedKeys.authenticate(key) },
      { label: 'API key, storage read every request', call: () => uncachedKeys.authenticate(key) },
      { label: 'OAuth JWT (verified once, then remembered)', call: () => verify(token) },
      { label: 'metering (budget check + usage event)', call: meter },
    ];
    const samples = new Map(subjects.map((subject) => [subject.label, [] as number[]]));
    for (let round = 0; round < options.rounds + 1; round += 1) {
      for (const subject of subjects) {
        const startedAt = performance.now();
        for (let call = 0; call < options.callsPerRound; call += 1) await subject.call();
        const elapsed = performance.now() - startedAt;
        // Round 0 warms the JIT and the caches.
        if (round > 0) samples.get(subject.label)!.push((elapsed * 1000) / options.callsPerRound);
      }
    }
    await metering.close();
    return subjects.map((subject) => ({
      label: subject.label,
      microsecondsPerCall: median(samples.get(subject.label)!),
    }));
  } finally {
    await storage.close();
  }
}
