import { PlumbError } from '@plumb/protocol';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokenVerifier } from './verify-access-token.ts';

const issuer = 'https://plumb.example/oauth';
const audience = 'https://plumb.example/v3';

async function makeKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const sign = (claims: Record<string, unknown> = {}) =>
    new SignJWT({ client_id: 'ci-bot', scope: 'code:read unknown:scope admin', ...claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('ci-bot')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
  return { jwk, sign };
}

describe('createAccessTokenVerifier', () => {
  it('returns the principal, keeping only known scopes', async () => {
    const key = await makeKey('k1');
    const verify = createAccessTokenVerifier({
      issuer,
      audience,
      getPublicJwks: async () => ({ keys: [key.jwk] }),
    });
    expect(await verify(await key.sign())).toEqual({
      subject: 'ci-bot',
      kind: 'oauth',
      scopes: ['code:read', 'admin'],
      clientId: 'ci-bot',
      apiKeyId: null,
    });
  });

  it('caches the key set, reloading for an unknown kid at most once per interval', async () => {
    const first = await makeKey('k1');
    const second = await makeKey('k2');
    const published = [first.jwk];
    let loads = 0;
    const getPublicJwks = async () => {
      loads += 1;
      return { keys: [...published] };
    };
    const slow = createAccessTokenVerifier({
      issuer,
      audience,
      getPublicJwks,
      unknownKeyReloadIntervalMs: 60_000,
    });
    await slow(await first.sign());
    await slow(await first.sign());
    expect(loads).toBe(1);
    published.push(second.jwk);
    // Within the interval, garbage kids cannot make it reload.
    await expect(slow(await second.sign())).rejects.toBeInstanceOf(PlumbError);
    await expect(slow(await second.sign())).rejects.toBeInstanceOf(PlumbError);
    expect(loads).toBe(1);

    // After the interval, a token with a new kid reloads the set once and verifies.
    published.pop();
    const eager = createAccessTokenVerifier({
      issuer,
      audience,
      getPublicJwks,
      unknownKeyReloadIntervalMs: 0,
    });
    await eager(await first.sign());
    expect(loads).toBe(2);
    published.push(second.jwk);
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect((await eager(await second.sign())).subject).toBe('ci-bot');
    expect(loads).toBe(3);
  });

  it('loads the key set once for concurrent first requests', async () => {
    const key = await makeKey('k1');
    let loads = 0;
    const verify = createAccessTokenVerifier({
      issuer,
      audience,
      getPublicJwks: async () => {
        loads += 1;
        return { keys: [key.jwk] };
      },
    });
    const token = await key.sign();
    await Promise.all(Array.from({ length: 10 }, () => verify(token)));
    expect(loads).toBe(1);
  });
});
