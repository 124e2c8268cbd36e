import { allScopes, type Scope } from '@plumb/protocol';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { Principal } from '../http/principal.ts';
import { invalidTokenError } from './invalid-token-error.ts';

export interface AccessTokenVerifierOptions {
  /** `${publicUrl}/oauth`: tokens from any other issuer are refused. */
  issuer: string;
  /** `${publicUrl}/v3`: tokens for any other resource are refused. */
  audience: string;
  /** The authorization server's public keys (`createSigningKeyStore(storage).getPublicJwks`). */
  getPublicJwks: () => Promise<{ keys: JWK[] }>;
  /** Allowed clock skew for `exp`, `nbf` and `iat`; default 5 s. */
  clockToleranceSeconds?: number;
  /** Least time between two key reloads caused by tokens naming an unknown `kid`; default 10 s. */
  unknownKeyReloadIntervalMs?: number;
  /** Keys are reloaded anyway when older than this (retired keys drop out); default 5 min. */
  keysMaxAgeMs?: number;
}

/** Checks an access token and returns the principal it stands for, or throws 401 `invalid_token`. */
export type AccessTokenVerifier = (token: string) => Promise<Principal>;

/** The only algorithm tokens may use: no `none`, no HMAC (which would let a public key act as a secret). */
const allowedAlgorithms = ['ES256'];

/** How many verified tokens are remembered (a few MB at most). */
const verifiedTokenCacheSize = 10_000;

/**
 * JWT access tokens (RFC 9068) from Plumb's authorization server, verified locally with `jose`: ES256 only,
 * `typ: at+jwt`, issuer, audience, expiry (5 s tolerance). The key set is cached; a token naming a `kid` the
 * cache lacks reloads it (at most once per interval, so garbage tokens cannot hammer storage).
 *
 * @example
 * const verify = createAccessTokenVerifier({ issuer, audience, getPublicJwks: signingKeys.getPublicJwks });
 * const principal = await verify(token); // { kind: 'oauth', subject, clientId, scopes, apiKeyId: null }
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const reloadIntervalMs = options.unknownKeyReloadIntervalMs ?? 10_000;
  const maxAgeMs = options.keysMaxAgeMs ?? 5 * 60_000;
  let cache: { keySet: JWTVerifyGetKey; kids: Set<string | undefined>; loadedAt: number } | undefined;
  let loading: Promise<NonNullable<typeof cache>> | undefined;

  function load() {
    loading ??= options
      .getPublicJwks()
      .then((jwks) => {
        cache = {
          keySet: createLocalJWKSet(jwks),
          kids: new Set(jwks.keys.map((key) => key.kid)),
          loadedAt: Date.now(),
        };
        return cache;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  async function keysFor(kid: string | undefined) {
    const now = Date.now();
    if (cache === undefined || now - cache.loadedAt > maxAgeMs) return load();
    if (!cache.kids.has(kid) && now - cache.loadedAt > reloadIntervalMs) return load();
    return cache;
  }

  // Verified tokens are remembered until they expire: a JWT's validity depends only on its signature,
  // claims and the clock, so a second ES256 verification of the same token can only repeat the first answer.
  // (JWTs cannot be revoked anyway; that is why their lifetime is short.) Bounded, oldest entries first out.
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();

  return async function verifyAccessToken(token) {
    const remembered = verified.get(token);
    if (remembered !== undefined) {
      if (Date.now() < remembered.expiresAt) return remembered.principal;
      verified.delete(token);
    }
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw invalidTokenError('The access token is not a JWT');
    }
    const { keySet } = await keysFor(kid);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: allowedAlgorithms,
        typ: 'at+jwt',
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw invalidTokenError(describeVerificationFailure(error, options));
    }
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
    if (clientId === undefined) throw invalidTokenError('The access token has no client_id claim');
    const principal: Principal = {
      subject: payload.sub ?? clientId,
      kind: 'oauth',
      scopes: parseScopeClaim(payload.scope),
      clientId,
      apiKeyId: null,
    };
    if (payload.exp !== undefined) {
      if (verified.size >= verifiedTokenCacheSize) {
        const oldest = verified.keys().next().value;
        if (oldest !== undefined) verified.delete(oldest);
      }
      verified.set(token, { principal, expiresAt: payload.exp * 1000 });
    }
    return principal;
  };
}

/** Space-separated scopes; names this API does not know are ignored rather than trusted. */
function parseScopeClaim(claim: unknown): Scope[] {
  if (typeof claim !== 'string') return [];
  const granted = new Set(claim.split(' '));
  return allScopes.filter((scope) => granted.has(scope));
}

function describeVerificationFailure(error: unknown, options: AccessTokenVerifierOptions): string {
  if (error instanceof errors.JWTExpired) {
    return 'The access token has expired; get a new one (refresh token or client credentials)';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return `The access token is for another audience; this API accepts tokens for ${options.audience} (request them with resource=${options.audience})`;
      case 'iss':
        return `The access token was issued by another issuer; this API accepts tokens from ${options.issuer}`;
      case 'typ':
        return 'The access token has the wrong type; send an OAuth access token (typ at+jwt), not an ID token or other JWT';
      default:
        return `The access token's "${error.claim}" claim is missing or invalid`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return `The access token is signed with a disallowed algorithm; only ${allowedAlgorithms.join(', ')} is accepted`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'The access token signature does not verify; the token was altered or not issued by this server';
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'The access token is signed with a key this server does not publish; it was not issued here or its key was retired';
  }
  return 'The access token is malformed';
}
